// Test helpers: build ArchSpecs from the family's defaults, from overrides, or from the shipped
// YAML presets (a minimal stand-in for the project loader: nested keys → dotted keys, quantities
// parsed with the family's own simple parser), and sparse operators.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ArchSpec, MatrixSource, SparseOperator } from '../../../src/core/types.js';
import { DEFAULT_OPTIONS } from '../../../src/core/types.js';
import { ENERGY_TABLES } from '../../../src/core/energy-tables.js';
import type { FamilyContext, OperatorSimulation } from '../../../src/families/family.js';
import type { ParamValue } from '../../../src/spec/params.js';
import { scratchpadFamily, SCRATCHPAD_PARAMS } from '../../../src/families/scratchpad/index.js';
import { parseSimpleQuantity } from '../../../src/families/scratchpad/config.js';
import { parseMatrixMarket } from '../../../src/matrix/mtx.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const META_KEYS = new Set(['family', 'name', 'description', 'sources', 'parameters', 'energy']);

export function presetValues(file: string): { values: Record<string, ParamValue>; energyTable: string; name: string } {
  const doc = parse(readFileSync(`${ROOT}${file}`, 'utf8')) as Record<string, unknown>;
  const values: Record<string, ParamValue> = {};
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (!prefix && META_KEYS.has(key)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        walk(value as Record<string, unknown>, path);
        continue;
      }
      const decl = SCRATCHPAD_PARAMS.find((d) => d.key === path);
      if (!decl) throw new Error(`${file}: unknown parameter ${path}`);
      values[path] = decl.type === 'quantity' && typeof value === 'string' ? parseSimpleQuantity(value) : (value as ParamValue);
    }
  };
  walk(doc, '');
  const energy = doc.energy as { table: string };
  return { values, energyTable: energy.table, name: String(doc.name) };
}

export function archSpec(values: Record<string, ParamValue>, name = 'test'): ArchSpec {
  return { family: 'scratchpad', name, file: `${name}.yaml`, sources: [], values, energy: { table: 'horowitz-45nm', overrides: {} }, hash: name };
}

export function piuma(overrides: Record<string, ParamValue> = {}): ArchSpec {
  return archSpec({ ...presetValues('arch/piuma.yaml').values, ...overrides }, 'piuma');
}

export function xeonLike(overrides: Record<string, ParamValue> = {}): ArchSpec {
  return archSpec({ ...presetValues('arch/xeon-like.yaml').values, ...overrides }, 'xeon-like');
}

export function context(seed = 1, table = 'horowitz-45nm'): FamilyContext {
  return { options: { ...DEFAULT_OPTIONS, seed, sparsityMode: 'concrete' }, energy: ENERGY_TABLES[table], masks: new Map(), workloadFile: 'test.yaml', operatorIndex: 0 };
}

export type Dataflow = 'inner' | 'outer' | 'row-wise';

export function sparseOp(kind: SparseOperator['kind'], a: MatrixSource, extra: Partial<SparseOperator> & { dataflow?: Dataflow } = {}): SparseOperator {
  return { kind, name: `${kind}-test`, count: 1, a, iterations: 1, dtype: 'fp32', ...extra } as SparseOperator;
}

const mtxCache = new Map<string, MatrixSource>();
export function mtx(name: string): MatrixSource {
  let source = mtxCache.get(name);
  if (!source) {
    const file = `workloads/matrices/${name}.mtx`;
    source = { kind: 'mtx', file, matrix: parseMatrixMarket(readFileSync(`${ROOT}${file}`, 'utf8'), file) };
    mtxCache.set(name, source);
  }
  return source;
}

export function run(arch: ArchSpec, op: SparseOperator, seed = 1): OperatorSimulation {
  const config = scratchpadFamily.configure(arch);
  return scratchpadFamily.simulateOperator(config, op, context(seed));
}

/** DRAM bytes moved (read + write). */
export function dramBytes(result: OperatorSimulation): number {
  return result.memory.dram.readBytes + result.memory.dram.writeBytes;
}
