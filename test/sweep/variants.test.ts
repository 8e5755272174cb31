// Variants from the base spec's plain data (immer), their positioned trees, and point evaluation.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyAssignments } from '../../src/sweep/paths.js';
import { baseTreeFromText, treeOfVariant, type PlainValue } from '../../src/sweep/spec-tree.js';
import { buildPlan, taskOf } from '../../src/sweep/plan.js';
import { createEvaluator } from '../../src/sweep/evaluate.js';
import { loadArchText } from '../../src/spec/load-arch.js';
import { simulate } from '../../src/core/simulate.js';
import type { SweepPoint } from '../../src/sweep/types.js';
import { ROOT, loadWorkload } from '../helpers.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
type Obj = { [key: string]: PlainValue };
const at = (value: PlainValue, ...keys: Array<string | number>): PlainValue => keys.reduce<PlainValue>((v, k) => (v as Obj)[k as string], value);

describe('variants share structure with the base spec', () => {
  const arch = baseTreeFromText(read('arch/edge-128.yaml'), 'arch/edge-128.yaml');
  const workload = baseTreeFromText(read('workloads/bert-base.yaml'), 'workloads/bert-base.yaml');

  it('changes only the path to the assigned key; unchanged subtrees are the same objects', () => {
    const variant = applyAssignments(arch.plain, [{ target: { target: 'arch', segments: ['compute', 'rows'] }, value: 64 }]);
    expect(at(variant, 'compute', 'rows')).toBe(64);
    expect(at(arch.plain, 'compute', 'rows')).toBe(128); // the base is untouched
    expect(variant).not.toBe(arch.plain);
    expect(at(variant, 'compute')).not.toBe(at(arch.plain, 'compute'));
    expect(at(variant, 'memory')).toBe(at(arch.plain, 'memory'));
    expect(at(variant, 'energy')).toBe(at(arch.plain, 'energy'));
    expect(at(variant, 'sources')).toBe(at(arch.plain, 'sources'));

    const op2 = applyAssignments(workload.plain, [{ target: { target: 'workload', segments: ['operators', 2, 'm'] }, value: 64 }]);
    expect(at(op2, 'operators', 2, 'm')).toBe(64);
    expect(at(op2, 'operators', 0)).toBe(at(workload.plain, 'operators', 0));
    expect(at(op2, 'parameters')).toBe(at(workload.plain, 'parameters'));
  });

  it('maps unchanged subtrees back to the original tree nodes and keeps positions of changed values', () => {
    const variant = applyAssignments(arch.plain, [{ target: { target: 'arch', segments: ['memory', 'dram', 'bandwidth'] }, value: '1 GB/s' }]);
    const tree = treeOfVariant(arch, variant);
    const base = arch.root;
    if (tree.kind !== 'map' || base.kind !== 'map') throw new Error('expected maps');
    expect(tree.entries.get('compute')!.node).toBe(base.entries.get('compute')!.node);
    const dram = (node: typeof tree) => {
      const memory = (node as Extract<typeof tree, { kind: 'map' }>).entries.get('memory')!.node as Extract<typeof tree, { kind: 'map' }>;
      return (memory.entries.get('dram')!.node as Extract<typeof tree, { kind: 'map' }>).entries.get('bandwidth')!.node;
    };
    expect(dram(tree)).toMatchObject({ kind: 'scalar', value: '1 GB/s', position: dram(base).position });
    // The variant validates like a user-written file.
    const spec = loadArchText(read('arch/edge-128.yaml').replace('bandwidth: 25.6 GB/s', 'bandwidth: 1 GB/s'), 'x');
    expect(treeOfVariant(arch, arch.plain)).toBe(base);
    expect(spec.values['memory.dram.bandwidth']).toBe(1e9);
  });

  it('sparsity aliases set every GEMM-like operator, creating the operand spec when absent', () => {
    const variant = applyAssignments(workload.plain, [
      { target: { target: 'workload', segments: [], alias: { operand: 'weight', field: 'format' } }, value: 'csr' },
      { target: { target: 'workload', segments: [], alias: { operand: 'weight', field: 'density' } }, value: 0.2 },
    ]);
    const operators = at(variant, 'operators') as Obj[];
    expect(operators).toHaveLength(6);
    for (const op of operators) expect(op.sparsity).toEqual({ weight: { pattern: { kind: 'unstructured', density: 0.2 }, format: 'csr' } });
    const direct = applyAssignments(workload.plain, [{ target: { target: 'workload', segments: ['operators', 1, 'sparsity', 'input', 'pattern', 'density'] }, value: 0.3 }]);
    expect(at(direct, 'operators', 1, 'sparsity')).toEqual({ input: { pattern: { kind: 'unstructured', density: 0.3 } } });
    const formatOnly = applyAssignments(workload.plain, [{ target: { target: 'workload', segments: [], alias: { operand: 'input', field: 'format' } }, value: 'bitmap' }]);
    expect(at(formatOnly, 'operators', 0, 'sparsity')).toEqual({ input: { pattern: { kind: 'dense' }, format: 'bitmap' } });
  });
});

describe('point evaluation', () => {
  const spec = (p: string) => ({ file: p, path: join(ROOT, p), text: read(p) });

  it('records invalid combinations as error points with the loader message, and goes on', () => {
    const plan = buildPlan({ arch: spec('arch/edge-128.yaml'), workloads: [spec('workloads/bert-base.yaml')], sets: ['compute.rows=0,32', 'compute.dataflow=ws,diagonal'] });
    const evaluate = createEvaluator(plan.definition);
    const points = Array.from({ length: plan.totalPoints }, (_, i) => JSON.parse(evaluate(taskOf(plan, i)).line) as SweepPoint);
    expect(points.map((p) => p.status)).toEqual(['error', 'error', 'ok', 'error']);
    expect(points[0].params).toEqual({ 'compute.rows': 0, 'compute.dataflow': 'ws' });
    expect(points[0].error).toMatch(/^arch\/edge-128\.yaml \[point 0\]:10:9: error: compute\.rows: 0 is below the minimum 1/);
    expect(points[3].error).toMatch(/\[point 3\]:12:13: error: compute\.dataflow: 'diagonal' is not a valid choice/);
    expect(points[2]).toMatchObject({ schema: 'accsim.sweep-point', version: 1, index: 2, workload: 'workloads/bert-base.yaml', status: 'ok' });
    expect(points[2].metrics!.peakMacsPerCycle).toBe(32 * 128);
  });

  it('gives the same metrics as simulating the equivalent hand-edited file', () => {
    const plan = buildPlan({ arch: spec('arch/edge-128.yaml'), workloads: [spec('workloads/bert-base.yaml')], sets: ['memory.dram.bandwidth=12.8GB/s', 'memory.ofmap_sram.capacity=512KiB'], engine: 'event' });
    const point = JSON.parse(createEvaluator(plan.definition)(taskOf(plan, 0)).line) as SweepPoint;
    const arch = loadArchText(read('arch/edge-128.yaml').replace('bandwidth: 25.6 GB/s', 'bandwidth: 12.8 GB/s').replace('ofmap_sram: { capacity: 1 MiB }', 'ofmap_sram: { capacity: 512 KiB }'), 'edited.yaml');
    const result = simulate(arch, loadWorkload('bert-base.yaml'), { engine: 'event' });
    expect(point.params).toEqual({ 'memory.dram.bandwidth': 12.8e9, 'memory.ofmap_sram.capacity': 524288 });
    expect(point.metrics).toMatchObject({ cycles: result.total.cycles, energyJ: result.total.energy.totalJ, onChipBytes: 2 * 2 ** 21 + 2 ** 19 });
  });
});
