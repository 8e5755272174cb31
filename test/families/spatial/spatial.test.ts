// The spatial family's mechanisms, each on a case small enough to count by hand.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { simulate } from '../../../src/core/simulate.js';
import { InputError } from '../../../src/spec/errors.js';
import { importTimeloop } from '../../../src/io/timeloop.js';
import { ROOT } from '../../helpers.js';

const fixture = readFileSync(join(ROOT, 'test', 'families', 'spatial', 'gemm64-4x4.yaml'), 'utf8');
const gemm = (m: number, n: number, k: number) => loadWorkloadText(`name: g\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: ${m}, n: ${n}, k: ${k} }\n`, 'g.yaml');
const run = (archText: string, workload = gemm(64, 64, 64)) => simulate(loadArchText(archText, 'arch.yaml'), workload, { convention: 'timeloop' }).operators[0];
const withMapping = (mapping: string) => fixture.replace(/mapping:[\s\S]*$/, mapping);
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('spatial family', () => {
  it('counts the output-stationary 4x4 case by hand (multicast, first-read elision, per-instance partitions)', () => {
    const op = run(fixture);
    expect(op.cycles).toBe(16384);
    // input is multicast along N: 64·64·64 / 4 reads from the GLB.
    expect(op.stats['GLB.input.reads']).toBe(65536);
    expect(op.stats['GLB.input.fills']).toBe(4096);
    // 256 outputs per PE, 64 updates each; the first read of each is elided; no refills.
    expect(op.stats['RegFile.output.updates']).toBe(16384);
    expect(op.stats['RegFile.output.reads']).toBe(16384 - 256);
    expect(op.stats['RegFile.output.fills']).toBe(0);
    expect(op.energy.totalJ * 1e12).toBeCloseTo(1460224, 6);
  });

  it('without multicast every PE reads its own copy', () => {
    const op = run(fixture.replace('name: GLB,', 'name: GLB, multicast: false,'));
    expect(op.stats['GLB.input.reads']).toBe(4 * 65536);
  });

  it('the printed mapping reproduces the run', () => {
    const op = run(fixture);
    const printed = op.notes.find((n) => n.startsWith('mapping: '))!.slice('mapping: '.length);
    const again = run(withMapping(`mapping: ${printed}\n`));
    expect(again.stats).toEqual(op.stats);
    expect(again.energy.totalJ).toBe(op.energy.totalJ);
  });

  it('throttles a level by its bandwidth (Timeloop slowdown rule)', () => {
    // DRAM reads 8192 words over 16384 compute cycles = 0.5 words/cycle; at 0.2 the slowdown is 0.4.
    const op = run(fixture.replace('name: DRAM,', 'name: DRAM, read_bandwidth: 0.2,'));
    expect(op.stats['DRAM.slowdown']).toBeCloseTo(0.4, 12);
    expect(op.cycles).toBe(Math.ceil(16384 / 0.4));
    expect(op.bottleneck).toBe('DRAM');
  });

  it('a sliding window delivers only the new input rows', () => {
    // 1-D conv: P = 8 outputs, R = 3 taps; the Buffer holds one window, DRAM steps P.
    const conv = loadWorkloadText('name: c\ndtype: int8\noperators:\n  - { name: c, kind: conv2d, in_h: 10, in_w: 1, in_c: 1, out_c: 1, kernel_h: 3, kernel_w: 1, stride: 1, padding: 0 }\n', 'c.yaml');
    const arch = withMapping('mapping:\n  - { target: DRAM, temporal: P8 }\n  - { target: GLB, temporal: R3 }\n  - { target: RegFile, keep: [output], bypass: [input, weight] }\n');
    const op = run(arch.replace(/instances: 16, mesh_x: 4/g, 'instances: 1'), conv);
    expect(op.stats['GLB.input.tile']).toBe(3);
    expect(op.stats['GLB.input.fills']).toBe(3 + 7); // not 8 windows × 3
    expect(op.stats['GLB.weight.fills']).toBe(3); // the weights stay: P is irrelevant to them
  });

  it('rejects a mapping that overflows a level, at the mapping', () => {
    const message = errorOf(() => run(withMapping('mapping:\n  - { target: RegFile, temporal: "M64 N64 K64" }\n')));
    expect(message).toMatch(/^arch\.yaml:\d+:\d+: error: mapping: operator 'g': the mapping does not fit: GLB needs 12288 words per instance, its capacity is 8192/);
  });

  it('rejects factors that do not cover a bound and unknown dimensions, with positions', () => {
    expect(errorOf(() => run(withMapping('mapping:\n  - { target: GLB, temporal: "M16 N64 K64" }\n')))).toMatch(/arch\.yaml:\d+:\d+: .*factors of M multiply to 16, the bound is 64/);
    expect(errorOf(() => run(withMapping('mapping:\n  - { target: GLB, temporal: "X4" }\n')))).toMatch(/no dimension 'X'/);
  });

  it('accepts imperfect factors only when asked, counting the padding as work', () => {
    const arch = withMapping('mapping:\n  - { target: GLB, temporal: "M16 N16", spatial: "M4 N4", spatial_x: [M], bypass: [output] }\n  - { target: RegFile, temporal: K64, keep: [output], bypass: [input, weight] }\n');
    expect(errorOf(() => run(arch, gemm(60, 64, 64)))).toMatch(/factors of M multiply to 64, the bound is 60/);
    const op = run(arch.replace('mapping:', 'mapper: { imperfect: true }\nmapping:'), gemm(60, 64, 64));
    expect(op.macs.dense).toBe(60 * 64 * 64);
    expect(op.macs.issued).toBe(64 * 64 * 64);
    expect(op.cycles).toBe(16384);
    expect(op.notes.some((n) => n.startsWith('imperfect factors'))).toBe(true);
  });

  it('positions spec errors with a did-you-mean', () => {
    expect(errorOf(() => loadArchText(fixture.replace('block_size: 8, energy: { read: 20', 'blok_size: 8, energy: { read: 20'), 'arch.yaml'))).toMatch(/^arch\.yaml:8:\d+: error: storage\[1\]\.blok_size: unknown key 'blok_size'.*did you mean 'block_size'\?/);
    expect(errorOf(() => loadArchText(fixture.replace('target: RegFile', 'target: RegFil'), 'arch.yaml'))).toMatch(/unknown storage level 'RegFil'.*did you mean 'RegFile'\?/);
  });

  it('the mapper beats the hand-written output-stationary mapping in EDP, deterministically', () => {
    const hand = run(fixture);
    const searched = () => run(withMapping('mapper: { objective: edp, evaluations: 100000, seed: 7 }\n'));
    const a = searched();
    expect(a.energy.totalJ * a.cycles).toBeLessThanOrEqual(hand.energy.totalJ * hand.cycles);
    expect(a.stats['mapper.evaluated']).toBe(100000);
    const b = searched();
    expect(b.notes).toEqual(a.notes);
  });

  it('honours mapper constraints: fixed factors (0 = the rest), innermost loop order, keep/bypass', () => {
    const constrained = withMapping('mapper: { objective: edp, evaluations: 20000 }\nconstraints:\n  - { target: GLB, spatial: "M4 N4", spatial_x: [M], bypass: [output] }\n  - { target: RegFile, temporal: K0, keep: [output], bypass: [input, weight] }\n');
    const op = run(constrained);
    const nest = op.notes.find((n) => n.startsWith('mapping: '))!;
    // All of K sits in the RegFile (other dimensions stay free there), innermost.
    expect(nest).toMatch(/target: RegFile, temporal: "[^"]*K64", permutation: \[[^\]]*K\], keep: \[output\], bypass: \[input, weight\]/);
    expect(nest.split('target: RegFile')[0]).not.toMatch(/K\d/);
    expect(nest).toMatch(/target: GLB, .*spatial: "M4", spatial_x: \[M\], spatial_y: "N4", keep: \[input, weight\], bypass: \[output\]/);
    expect(errorOf(() => run(constrained.replace('temporal: K0', 'temporal: K48')))).toMatch(/fixed factors of K multiply to 48, which does not divide the bound 64/);
  });

  it('exhaustive search finds the best mapping of a small space', () => {
    const arch = 'family: spatial\nstorage:\n  - { name: DRAM, energy: { read: 100 pJ, write: 100 pJ, update: 100 pJ } }\n  - { name: Buf, capacity: 6, energy: { read: 1 pJ, write: 1 pJ, update: 1 pJ } }\ncompute: { energy: { mac: 1 pJ } }\nmapper: { objective: energy, search: exhaustive }\n';
    const best = run(arch, gemm(4, 2, 2));
    // 2 temporal slots per prime factor (4 primes), 3! orders at each of 2 levels, 2^3 bypass choices.
    expect(best.stats['mapper.evaluated']).toBe(2 ** 4 * 36 * 8);
    for (const seed of [1, 2, 3]) {
      const sampled = run(arch.replace('search: exhaustive', `search: random, evaluations: 300, seed: ${seed}`), gemm(4, 2, 2));
      expect(best.energy.totalJ).toBeLessThanOrEqual(sampled.energy.totalJ);
    }
  });
});

describe('Timeloop import errors', () => {
  const dir = join(ROOT, 'test', 'reference', 'timeloop');
  const files = ['01-gemm16-1pe/arch.yaml', '01-gemm16-1pe/problem.yaml', '01-gemm16-1pe/mapping.yaml', 'common-ert.yaml'].map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
  it('recognises files in any order', () => {
    const body = (yaml: string) => yaml.split('\nstorage:')[1];
    expect(body(importTimeloop([...files].reverse()).archYaml)).toBe(body(importTimeloop(files).archYaml));
  });
  it('reads Timeloop v0.4 architectures (flat node lists with tags) like v0.3 ones', () => {
    const v04 = { file: 'v04.yaml', text: readFileSync(join(ROOT, 'test', 'families', 'spatial', 'timeloop-v04-arch.yaml'), 'utf8') };
    const body = (yaml: string) => yaml.split('\nstorage:')[1];
    expect(body(importTimeloop([v04, files[1], files[2], files[3]]).archYaml)).toBe(body(importTimeloop(files).archYaml));
  });

  it('recognises a strided CNN layer and runs the mapper when no mapping is given', () => {
    const problem = { file: 'cnn.yaml', text: readFileSync(join(ROOT, 'test', 'families', 'spatial', 'timeloop-cnn-problem.yaml'), 'utf8') };
    const imported = importTimeloop([files[0], problem, files[3]]);
    expect(imported.workloadYaml).toContain('kind: conv2d, batch: 1, in_h: 13, in_w: 13, in_c: 4, out_c: 8, kernel_h: 3, kernel_w: 3, stride: 2');
    expect(imported.dimNames).toEqual({ N: 'N', M: 'K', C: 'C', P: 'P', Q: 'Q', R: 'R', S: 'S' });
    const op = simulate(loadArchText(imported.archYaml, 'a.yaml'), loadWorkloadText(imported.workloadYaml, 'w.yaml')).operators[0];
    expect(op.macs.dense).toBe(8 * 4 * 9 * 36);
    expect(op.stats['mapper.evaluated']).toBeGreaterThan(0);
    // One MAC: cycles are the MACs; every word of every tensor crosses DRAM at least once.
    expect(op.cycles).toBe(op.macs.dense);
    expect(op.stats['DRAM.input.reads']).toBeGreaterThanOrEqual(13 * 13 * 4);
  });

  it('turns mapspace constraints into mapper constraints', () => {
    const case02 = ['02-gemm64-4x4pe/arch.yaml', '02-gemm64-4x4pe/problem.yaml'].map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
    const constraints = { file: 'constraints.yaml', text: readFileSync(join(ROOT, 'test', 'families', 'spatial', 'timeloop-constraints.yaml'), 'utf8') };
    const imported = importTimeloop([...case02, constraints, files[3]]);
    expect(imported.archYaml).toContain('  - { target: RegFile, temporal: "K0", permutation: [K] }');
    expect(imported.archYaml).toContain('  - { target: GLB, spatial: "M4 N4 K1", spatial_x: [M] }');
    const op = simulate(loadArchText(imported.archYaml, 'a.yaml'), loadWorkloadText(imported.workloadYaml, 'w.yaml')).operators[0];
    const mapping = op.notes.find((n) => n.startsWith('mapping: '))!;
    expect(mapping).toMatch(/spatial: "M4", spatial_x: \[M\], spatial_y: "N4", keep: \[input, weight\], bypass: \[output\]/);
    expect(mapping).toMatch(/target: RegFile, temporal: "[^"]*K64", .*keep: \[output\], bypass: \[input, weight\]/);
    // The hand-written output-stationary mapping is in this space: the search does at least as well.
    expect(op.energy.totalJ * op.cycles).toBeLessThanOrEqual(1460224e-12 * 16384 * (1 + 1e-12));
  });

  it('positions unsupported sections and unknown names', () => {
    const sparse = { file: 'sparse.yaml', text: 'sparse_optimizations:\n  targets: []\n' };
    expect(errorOf(() => importTimeloop([...files, sparse]))).toMatch(/^sparse\.yaml:2:3: error: sparse_optimizations: .*not supported/);
    const badMap = { ...files[2], text: files[2].text.replace('target: Buffer', 'target: Bufer') };
    expect(errorOf(() => importTimeloop([files[0], files[1], badMap, files[3]]))).toMatch(/mapping\.yaml:\d+:\d+: error: mapping\[1\]\.target: unknown storage level 'Bufer'.*did you mean 'Buffer'/);
  });
});
