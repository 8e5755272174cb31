// The tensor-core kernel a weight format declares for this family (sparsity/capabilities.ts):
// formats without a dedicated case in the kernel selection run what they declare, a fallback is
// named in the result, and an unsupported format is an input error — never a silent default.

import { inputError } from '../../spec/errors.js';
import { FORMATS, type FormatCapability } from '../../sparsity/index.js';
import { KERNEL_DESCRIPTIONS, type KernelId } from './kernels.js';

const capabilityOf = (formatKind: string): FormatCapability | undefined => FORMATS[formatKind]?.families['tensor-core'];

export function isKernelId(name: string): name is KernelId {
  return name in KERNEL_DESCRIPTIONS;
}

export function declaredKernel(formatKind: string, file: string, keyPath: string): KernelId {
  const capability = capabilityOf(formatKind);
  const name = capability?.use === 'kernel' ? capability.kernel : capability?.use === 'fallback' ? capability.as : undefined;
  if (name === undefined || !isKernelId(name)) {
    const why = capability?.use === 'unsupported' ? capability.why : `the format declares no tensor-core kernel (${capability ? capability.use : 'no declaration'})`;
    throw inputError({ file, keyPath, message: `weight format '${formatKind}' cannot run on the tensor-core family: ${why}`, expected: `a format with a tensor-core kernel: ${Object.entries(FORMATS).filter(([, f]) => f.families['tensor-core'].use === 'kernel').map(([id]) => id).join(', ')}` });
  }
  return name;
}

/** The result's note for a format that runs as a fallback here. */
export function fallbackNote(formatKind: string): string | undefined {
  const capability = capabilityOf(formatKind);
  return capability?.use === 'fallback' ? `weight format ${formatKind} has no tensor-core kernel of its own: it runs as ${capability.as} (${capability.why})` : undefined;
}
