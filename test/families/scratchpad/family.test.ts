import { describe, it, expect } from 'vitest';
import { scratchpadFamily, SCRATCHPAD_PARAMS, SCRATCHPAD_STATS } from '../../../src/families/scratchpad/index.js';
import { defaultValue } from '../../../src/families/scratchpad/config.js';
import { InputError } from '../../../src/spec/errors.js';
import { archSpec, piuma, presetValues, run, sparseOp, xeonLike } from './helpers.js';

function configError(values: Record<string, number | string | boolean>): { keyPath: string; message: string } {
  try {
    scratchpadFamily.configure(archSpec(values));
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0];
    return { keyPath: issue.keyPath, message: issue.message };
  }
  throw new Error('expected an InputError');
}

describe('scratchpad family declarations', () => {
  it('every parameter has a description, a default and a source', () => {
    const keys = new Set<string>();
    for (const decl of SCRATCHPAD_PARAMS) {
      expect(keys.has(decl.key)).toBe(false);
      keys.add(decl.key);
      expect(decl.description.length).toBeGreaterThan(10);
      expect(decl.source, decl.key).toBeTruthy();
      expect(decl.default, decl.key).not.toBeUndefined();
      expect(() => defaultValue(decl)).not.toThrow();
    }
  });

  it('the defaults are the PIUMA preset', () => {
    const preset = presetValues('arch/piuma.yaml').values;
    for (const decl of SCRATCHPAD_PARAMS) {
      if (preset[decl.key] !== undefined) expect(preset[decl.key], decl.key).toBe(defaultValue(decl));
    }
    expect(scratchpadFamily.configure(archSpec({}))).toEqual({ ...scratchpadFamily.configure(piuma()), name: 'test' });
  });

  it('both presets use only declared keys and configure cleanly', () => {
    expect(presetValues('arch/xeon-like.yaml').values['dram.access_granularity']).toBe(64);
    const p = scratchpadFamily.configure(piuma());
    expect(p.cores * (p.mtpPerCore * p.threadsPerMtp + p.stpPerCore)).toBe(528); // 8 x 66 threads per die
    expect(p.scratchpad.capacityBytes).toBe(4 * 1024 * 1024);
    expect(p.dram.accessGranularityBytes).toBe(8);
    expect(scratchpadFamily.configure(xeonLike()).dram.accessGranularityBytes).toBe(64);
    expect(scratchpadFamily.peakMacsPerCycle(p)).toBe(8 * (4 + 2 * 0.5));
    expect(scratchpadFamily.clockHz(p)).toBe(1e9);
  });

  it('every stat the kernels emit is declared', () => {
    const declared = new Set(SCRATCHPAD_STATS.map((s) => s.key));
    const a = { kind: 'rmat' as const, scale: 7, edgeFactor: 4, a: 0.57, b: 0.19, c: 0.19 };
    for (const op of [
      sparseOp('spgemm', a, { dataflow: 'row-wise' }),
      sparseOp('spgemm', a, { dataflow: 'inner' }),
      sparseOp('spgemm', a, { dataflow: 'outer' }),
      sparseOp('spmv', a),
      sparseOp('pagerank', a, { iterations: 2 }),
      sparseOp('bfs', a),
    ]) {
      const result = run(piuma(), op);
      for (const key of Object.keys(result.stats)) expect(declared.has(key), key).toBe(true);
      for (const key of declared) expect(result.stats[key], key).not.toBeUndefined();
    }
  });
});

describe('configure rejects impossible combinations with the key path', () => {
  it('cache line vs access granularity', () => {
    expect(configError({ 'cache.line': 48, 'dram.access_granularity': 32 }).keyPath).toBe('cache.line');
    expect(configError({ 'dram.access_granularity': 6 }).keyPath).toBe('dram.access_granularity');
    expect(configError({ 'cache.line': 256, 'dram.access_granularity': 8 }).keyPath).toBe('cache.line');
  });

  it('cache too small for its ways', () => {
    expect(configError({ 'cache.capacity': 256, 'cache.ways': 8 }).keyPath).toBe('cache.capacity');
  });

  it('scratchpad too small for a hash table', () => {
    expect(configError({ 'scratchpad.capacity': 32 }).keyPath).toBe('scratchpad.capacity');
  });

  it('no threads, interleave and mesh width', () => {
    expect(configError({ mtp_per_core: 0, stp_per_core: 0 }).keyPath).toBe('mtp_per_core');
    expect(configError({ 'dram.interleave': 100 }).keyPath).toBe('dram.interleave');
    expect(configError({ cores: 2, 'network.mesh_width': 4 }).keyPath).toBe('network.mesh_width');
  });
});

describe('iterations', () => {
  it('SpGEMM and SpMV iterations are identical repetitions: everything extensive scales', () => {
    const a = { kind: 'rmat' as const, scale: 8, edgeFactor: 4, a: 0.57, b: 0.19, c: 0.19 };
    for (const kind of ['spgemm', 'spmv'] as const) {
      const one = run(piuma(), sparseOp(kind, a));
      const three = run(piuma(), sparseOp(kind, a, { iterations: 3 }));
      expect(three.cycles).toBe(3 * one.cycles);
      expect(three.macs.effectual).toBe(3 * one.macs.effectual);
      expect(three.memory.dram.readBytes).toBe(3 * one.memory.dram.readBytes);
      expect(three.stats['atomics.ops']).toBe(3 * one.stats['atomics.ops']);
      expect(three.stats['dram.wasted_fraction']).toBe(one.stats['dram.wasted_fraction']);
      for (const [key, bound] of Object.entries(three.bounds)) expect(three.cycles, key).toBeGreaterThanOrEqual(bound);
    }
  });

  it('BFS stops after `iterations` levels', () => {
    const a = { kind: 'rmat' as const, scale: 9, edgeFactor: 4, a: 0.57, b: 0.19, c: 0.19 };
    const full = run(piuma(), sparseOp('bfs', a, { iterations: 64 }));
    const two = run(piuma(), sparseOp('bfs', a, { iterations: 2 }));
    expect(full.stats['bfs.levels']).toBeGreaterThan(2);
    expect(two.stats['bfs.levels']).toBe(2);
    expect(two.stats['bfs.vertices_reached']).toBeLessThan(full.stats['bfs.vertices_reached']);
  });
});

describe('operators the family rejects', () => {
  it('dimension mismatch and unknown dataflow are InputErrors with key paths', () => {
    const a = { kind: 'uniform' as const, rows: 10, cols: 20, density: 0.2 };
    expect(() => run(piuma(), sparseOp('spgemm', a, { b: a }))).toThrow(InputError);
    let caught: unknown;
    try {
      run(piuma(), sparseOp('spgemm', { kind: 'banded', rows: 10, halfBandwidth: 1 }, { dataflow: 'diagonal' as never }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).issues[0].keyPath).toBe('operators[0].dataflow');
    expect((caught as InputError).issues[0].file).toBe('test.yaml');
    expect(() => run(piuma(), sparseOp('bfs', a))).toThrow(/square/);
  });
});
