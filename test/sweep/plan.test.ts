// Sweep planning: paths, axes order, constraints and sampling (pure, from file texts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan, sampleDesigns, taskOf, type PlanInput } from '../../src/sweep/plan.js';
import { sanitizeName } from '../../src/sweep/constraints.js';
import { ROOT } from '../helpers.js';

const spec = (relativePath: string, text?: string) => ({ file: relativePath, path: join(ROOT, relativePath), text: text ?? readFileSync(join(ROOT, relativePath), 'utf8') });
const EDGE = spec('arch/edge-128.yaml');
const BERT = spec('workloads/bert-base.yaml');
const RESNET = spec('workloads/resnet18.yaml');

const plan = (sets: string[], extra: Partial<PlanInput> = {}) => buildPlan({ arch: EDGE, workloads: [BERT], sets, ...extra });
const paramsOf = (p: ReturnType<typeof plan>) =>
  Array.from({ length: p.totalPoints }, (_, i) => {
    const task = taskOf(p, i);
    return [task.workload, ...p.definition.axes.map((axis, a) => axis.values[task.values[a]].param)];
  });

describe('sweep paths', () => {
  it('accepts file keys, declared defaults, operator names, energy entries and aliases', () => {
    const p = plan([
      'compute.rows=32,64',
      'memory.dram.bandwidth_mode=fixed,calc', // declared parameter, not written in edge-128.yaml
      'operators[qkv].m=64,128', // an operator selected by name
      'energy.overrides.mac.int8=0.2 pJ',
      'weights.density=0.5',
    ]);
    expect(p.definition.axes.map((a) => a.target)).toEqual([
      { target: 'arch', segments: ['compute', 'rows'] },
      { target: 'arch', segments: ['memory', 'dram', 'bandwidth_mode'] },
      { target: 'workload', segments: ['operators', 'qkv', 'm'] },
      { target: 'arch', segments: ['energy', 'overrides', 'mac.int8'] },
      { target: 'workload', segments: [], alias: { operand: 'weight', field: 'density' } },
    ]);
    expect(p.totalPoints).toBe(8);
  });

  it('rejects an unknown path with a did-you-mean among the base spec paths', () => {
    expect(() => plan(['compute.rowz=32'])).toThrow(/<command line>: error: --set compute\.rowz: unknown sweep path 'compute\.rowz'.*did you mean 'compute\.rows'\?/);
    expect(() => plan(['parameters.seqq=64'])).toThrow(/did you mean 'parameters\.seq'\?/);
    expect(() => plan(['operators[9].m=1'])).toThrow(/unknown sweep path/);
    expect(() => plan(['compute.rows'])).toThrow(/no PATH=VALUES form/);
  });

  it('needs a prefix when a path is in both files, and a workload path in every workload', () => {
    const archWithBatch = spec('arch/edge-128.yaml', `${EDGE.text}\nparameters:\n  seq: 4\n`);
    expect(() => buildPlan({ arch: archWithBatch, workloads: [BERT], sets: ['parameters.seq=1,2'] })).toThrow(/both an architecture and a workload key.*arch:parameters\.seq or workload:parameters\.seq/);
    expect(buildPlan({ arch: archWithBatch, workloads: [BERT], sets: ['workload:parameters.seq=1,2'] }).definition.axes[0].target.target).toBe('workload');
    expect(() => buildPlan({ arch: EDGE, workloads: [BERT, RESNET], sets: ['parameters.batch=1,2'] })).toThrow(/'parameters\.batch' is not a key of workloads\/bert-base\.yaml/);
    expect(() => plan(['compute.rows=1', 'arch:compute.rows=2'])).toThrow(/sets the same key as 'compute\.rows'/);
  });

  it('orders points as a grid with the first axis slowest, then by workload', () => {
    const p = buildPlan({ arch: EDGE, workloads: [BERT, RESNET], sets: ['compute.rows=16,32', 'compute.dataflow=ws,os'] });
    expect(p.totalPoints).toBe(8);
    expect(paramsOf(p)).toEqual([
      [0, 16, 'ws'],
      [1, 16, 'ws'],
      [0, 16, 'os'],
      [1, 16, 'os'],
      [0, 32, 'ws'],
      [1, 32, 'ws'],
      [0, 32, 'os'],
      [1, 32, 'os'],
    ]);
  });
});

describe('constraints', () => {
  it('drops violating points deterministically and counts them', () => {
    const p = plan(['compute.rows=32,64,128', 'compute.cols=32,64,128'], { constraints: ['compute.rows * compute.cols <= 4096'] });
    expect(paramsOf(p)).toEqual([
      [0, 32, 32],
      [0, 32, 64],
      [0, 32, 128],
      [0, 64, 32],
      [0, 64, 64],
      [0, 128, 32],
    ]);
    expect(p.skippedByConstraints).toBe(3);
    expect(p.definition.constraints).toEqual(['compute.rows * compute.cols <= 4096']);
  });

  it('compares quantities with units, sees unswept base values and accepts sanitized names', () => {
    const bandwidth = plan(['memory.dram.bandwidth=10..40:10GB/s'], { constraints: ['memory.dram.bandwidth >= 20 GB/s'] });
    expect(paramsOf(bandwidth).map((r) => r[1])).toEqual([20e9, 30e9, 40e9]);
    // compute.cols is not swept: its base value (128) is in scope.
    const square = plan(['compute.rows=64,128,256'], { constraints: ['compute_rows <= compute.cols'] });
    expect(paramsOf(square).map((r) => r[1])).toEqual([64, 128]);
    expect(sanitizeName('workload:operators[2].m')).toBe('operators_2_m');
  });

  it('reports bad constraints as input errors', () => {
    expect(() => plan(['compute.rows=32'], { constraints: ['compute.rows * 2'] })).toThrow(/needs exactly one comparison/);
    expect(() => plan(['compute.rows=32'], { constraints: ['bogus < 3'] })).toThrow(/unknown name 'bogus'.*names in scope: .*compute_rows/);
    expect(() => plan(['memory.dram.bandwidth=10GB/s'], { constraints: ['memory.dram.bandwidth < 3'] })).toThrow(/compares a bandwidth quantity with a dimensionless one/);
  });
});

describe('sampling', () => {
  it('random: distinct grid points in grid order, reproducible from the seed', () => {
    const sample = (seed: number) => Array.from(sampleDesigns([10, 10, 10], { kind: 'random', count: 50 }, seed));
    const a = sample(3);
    expect(a).toEqual(sample(3));
    expect(a).not.toEqual(sample(4));
    const codes = Array.from({ length: 50 }, (_, d) => a[d * 3] * 100 + a[d * 3 + 1] * 10 + a[d * 3 + 2]);
    expect(new Set(codes).size).toBe(50);
    expect([...codes].sort((x, y) => x - y)).toEqual(codes);
    // A count at least the grid's size is the grid.
    expect(sampleDesigns([2, 3], { kind: 'random', count: 100 }, 1).length).toBe(12);
  });

  it('latin-hypercube: every stratum of every axis is used once', () => {
    const count = 8;
    const values = sampleDesigns([8, 16], { kind: 'latin-hypercube', count }, 5);
    const first = Array.from({ length: count }, (_, j) => values[j * 2]).sort((a, b) => a - b);
    const second = Array.from({ length: count }, (_, j) => Math.floor(values[j * 2 + 1] / 2)).sort((a, b) => a - b);
    expect(first).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(second).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('comes from a sweep file, with the file seed unless --seed is given', () => {
    const sweepFile = { file: 'sweep.yaml', text: 'axes:\n  compute.rows: "8..256:8"\n  compute.cols: "8..256:8"\nsampling: random\ncount: 30\nseed: 9\n' };
    const fromFile = plan([], { sweepFile });
    expect(fromFile.totalPoints).toBe(30);
    expect(fromFile.definition.seed).toBe(9);
    expect(plan([], { sweepFile, seed: 9 }).runId).toBe(fromFile.runId);
    expect(plan([], { sweepFile, seed: 10 }).runId).not.toBe(fromFile.runId);
  });
});
