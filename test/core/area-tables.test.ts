// The area model: cited per-component figures, node scaling, and what it buys in a sweep (a
// Pareto front over time, energy and area that is not trivial).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peAreaMm2, sramMm2PerByte, TPU_V1_FLOORPLAN } from '../../src/core/area-tables.js';
import { systolicArea } from '../../src/families/systolic/area.js';
import { loadArchFile } from '../../src/io/files.js';
import { ROOT } from '../helpers.js';

describe('area tables', () => {
  it("reproduce TPU v1's floor plan: 65,536 int8 PEs ≈ 24 % and 24 MiB of SRAM ≈ 29 % of 331 mm²", () => {
    expect(65536 * peAreaMm2('int8', 28)).toBeCloseTo(0.24 * 331, 6);
    expect(24 * 2 ** 20 * sramMm2PerByte(28)).toBeCloseTo(0.29 * 331, 6);
    expect(TPU_V1_FLOORPLAN.nodeNm).toBe(28);
  });

  it('scale with the node squared and with the datapath: fp16 PEs are larger than int8, int4 smaller', () => {
    expect(peAreaMm2('int8', 7) / peAreaMm2('int8', 28)).toBeCloseTo(1 / 16, 9);
    expect(sramMm2PerByte(14) / sramMm2PerByte(28)).toBeCloseTo(1 / 4, 9);
    expect(peAreaMm2('fp16', 28)).toBeGreaterThan(3 * peAreaMm2('int8', 28));
    expect(peAreaMm2('int4', 28)).toBeLessThan(peAreaMm2('int8', 28));
  });

  it('give a systolic preset PE-array and SRAM area from its resolved parameters', () => {
    const tpu = systolicArea(loadArchFile(join(ROOT, 'arch', 'tpu-v1.yaml')).values);
    expect(tpu.components.pe_array).toBeCloseTo(79.44, 1);
    // 24 MiB unified buffer + 256 KiB weight FIFO + 4 MiB accumulators at the UB's density.
    expect(tpu.components.sram).toBeCloseTo(((24 + 0.25 + 4) / 24) * 0.29 * 331, 1);
  });
});

describe('areaMm2 in a sweep', () => {
  it('makes the time/energy/area Pareto front of an array × SRAM sweep non-trivial', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'accsim-area-')), 'sweep');
    const bin = join(ROOT, 'bin', 'accsim.js');
    const sweep = spawnSync(process.execPath, [bin, 'sweep', '-a', 'edge-128', '-w', 'resnet18', '--set', 'compute.rows=32,64,128', '--set', 'compute.cols=32,64,128', '--set', 'memory.filter_sram.capacity=256,1024KiB', '--constraint', 'compute.rows == compute.cols', '-o', dir, '-j', '1', '-q'], { encoding: 'utf8' });
    expect(sweep.status, sweep.stderr).toBe(0);
    const front = (metrics: string) => JSON.parse(spawnSync(process.execPath, [bin, 'sweep-reduce', dir, '--pareto', metrics, '-f', 'json'], { encoding: 'utf8' }).stdout).fronts[0].points.length;
    const withArea = front('seconds,energyJ,areaMm2');
    expect(withArea).toBeGreaterThan(front('seconds,energyJ'));
    expect(withArea).toBeGreaterThanOrEqual(3);
  });
});
