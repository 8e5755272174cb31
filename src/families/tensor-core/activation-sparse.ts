// Activation-sparse GEMM on a tensor-core GPU, the way Deja Vu (Liu et al., ICML 2023), BlockFFN
// (Song et al., 2025) and CoreInfer (Wang et al., 2024) use it at decode: an input activation that
// is zero for every token of a token tile multiplies a whole weight column (one neuron) by zero,
// so that column is never loaded. With chunk-level union density d the kernel gathers d·K of the
// weight's K columns and runs a dense MMA on the gathered panel: the same GEMM with K' = d·K,
// plus a list of active column indices that must be read before the gather can be issued.
//
// Assumptions, stated in the result's notes:
//  - the weight is stored neuron-major (transposed offline, as Deja Vu does for the FFN
//    down-projection), so one active neuron is one contiguous run of N values and a gather moves
//    whole DRAM bursts [A];
//  - the activity (which neurons are nonzero) is known when the kernel starts (BlockFFN's router
//    or Deja Vu's predictor ran before); the predictor's own cost is not counted;
//  - the union is taken over tiles of `TOKEN_TILE` tokens; every token tile reads the mean active
//    fraction (first approximation: the per-tile K' differences are averaged).

import type { FamilyContext, OperatorSimulation } from '../family.js';
import type { StatDecl } from '../../spec/params.js';
import type { GemmOperator } from '../../core/types.js';
import { activeColumnFraction, operandView } from '../../core/operand-sparsity.js';


export const ACTIVATION_SPARSE_STATS: readonly StatDecl[] = [
  { key: 'activeColumnFraction', unit: 'fraction', description: 'Activation-sparse gather: weight columns read / K (chunk-level union density of the input over a token tile)' },
  { key: 'activeIndexBytes', unit: 'B', description: 'Activation-sparse gather: bytes of active-column indices read from HBM' },
  { key: 'denseKernelCycles', unit: 'cycles', description: 'Activation-sparse gather: cycles the dense kernel would have taken for the same GEMM' },
];

/** Tokens whose activations are unioned per gather; Deja Vu's sparse kernels serve batch ≤ 64 [A]. */
export const TOKEN_TILE = 64;

export interface ActivationSparseMachine {
  /** Effective HBM bytes per SM clock cycle (peak × efficiency / clock). */
  hbmBytesPerCycle: number;
}

/**
 * Runs `op` as an activation-sparse GEMM when its input declares a sparsity pattern and its weight
 * is dense, and keeps it only when it beats the dense kernel (the library would dispatch the faster
 * one). Returns undefined when the mechanism does not apply. `denseGemm` simulates a GEMM with the
 * family's ordinary kernel selection; it is called with the input's sparsity removed, so it never
 * comes back here.
 */
export function activationSparseGemm(
  op: GemmOperator,
  context: FamilyContext,
  machine: ActivationSparseMachine,
  denseGemm: (op: GemmOperator) => OperatorSimulation,
): OperatorSimulation | undefined {
  const input = operandView(op, 'input', context.options, context.masks);
  const weight = operandView(op, 'weight', context.options, context.masks);
  if (input.pattern.kind === 'dense' || weight.pattern.kind !== 'dense' || weight.format.kind !== 'dense' || op.conv) return undefined;

  const tokenTile = Math.min(op.m, TOKEN_TILE);
  const union = activeColumnFraction(input, tokenTile, context.masks);
  const denseOp: GemmOperator = { ...op, sparsity: op.sparsity?.weight ? { weight: op.sparsity.weight } : undefined };
  const dense = denseGemm(denseOp);
  const activeK = Math.max(1, Math.round(op.k * union));
  const gathered = denseGemm({ ...denseOp, k: activeK });

  // The active index list: one index per active column per token tile and batch element, read
  // from HBM before the dependent gather (not overlapped with it).
  const indexBytesEach = op.k <= 65536 ? 2 : 4;
  const tokenTiles = Math.ceil(op.m / tokenTile);
  const indexBytes = activeK * indexBytesEach * tokenTiles * op.batch;
  const indexCycles = Math.ceil(indexBytes / machine.hbmBytesPerCycle - 1e-9);
  const cycles = gathered.cycles + indexCycles;
  const effectual = op.m * op.n * op.k * op.batch * weight.density * input.density;
  const unionNote = `chunk-level union density ${union.toFixed(4)} over ${tokenTile}-token tiles (${input.mode} mode)`;

  if (cycles >= dense.cycles) {
    return {
      ...dense,
      macs: { ...dense.macs, effectual },
      notes: [...dense.notes, `${op.name}: activation-sparse gather not used: at ${unionNote} it is not faster than the dense kernel`],
    };
  }
  const hbm = gathered.memory.hbm;
  const memory = {
    ...gathered.memory,
    hbm: {
      readBytes: hbm.readBytes + indexBytes,
      writeBytes: hbm.writeBytes,
      perTensor: { ...hbm.perTensor, 'activation-index': { readBytes: indexBytes, writeBytes: 0 } },
    },
  };
  const hbmAction = gathered.actions.find((a) => a.component === 'hbm');
  const actions = [
    ...gathered.actions,
    { component: 'hbm', action: 'active-index byte read', count: indexBytes, energyPerActionJ: hbmAction?.energyPerActionJ ?? 0 },
  ];
  return {
    ...gathered,
    cycles,
    stallCycles: cycles - gathered.computeCycles,
    macs: { dense: op.m * op.n * op.k * op.batch, issued: gathered.macs.issued, effectual },
    memory,
    actions,
    bounds: { ...gathered.bounds, hbm: Math.ceil((memory.hbm.readBytes + memory.hbm.writeBytes) / machine.hbmBytesPerCycle - 1e-9) },
    stats: { ...gathered.stats, activeColumnFraction: union, activeIndexBytes: indexBytes, denseKernelCycles: dense.cycles },
    notes: [
      ...gathered.notes,
      `${op.name}: activation-sparse gather (Deja Vu / BlockFFN / CoreInfer): ${unionNote}; ${activeK} of ${op.k} weight columns read, then a dense MMA with K = ${activeK}; ` +
        `${indexBytes} B of active-column indices read before the gather; weight assumed stored neuron-major (contiguous per column) [A]; predictor/router cost not counted`,
    ],
  };
}
