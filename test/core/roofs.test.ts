// Invariant over every bundled preset × bundled workload × datatype the preset runs: no operator
// is faster than its compute roof (its datatype's peak MACs per cycle) or any bandwidth roof
// (the family's per-level lower bounds), and the roofline chart places no point above a roof.
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { simulate } from '../../src/core/simulate.js';
import { InputError } from '../../src/spec/errors.js';
import { rooflineData, memoryLevels } from '../../src/report/charts/roofline.js';
import type { Datatype, Workload } from '../../src/core/types.js';
import { loadArchFile, loadWorkloadFile } from '../../src/io/files.js';
import { bundled } from '../helpers.js';

const DTYPES: Datatype[] = ['fp16', 'int8', 'fp8', 'tf32'];

function withDtype(workload: Workload, dtype: Datatype): Workload {
  return { ...workload, operators: workload.operators.map((op) => ({ ...op, dtype })) as Workload['operators'] };
}

describe('roofs: no operator beats its compute or bandwidth roof', () => {
  const workloads = bundled('workloads').map((f) => loadWorkloadFile(f));
  for (const archFile of bundled('arch')) {
    it(basename(archFile), () => {
      const arch = loadArchFile(archFile);
      let checked = 0;
      for (const base of workloads) {
        // Scratchpad machines run sparse graph kernels whose cost does not depend on the datatype;
        // a spatial machine's compute roof is its MAC count for every datatype, and its mapper
        // search per operator is the slowest simulation here, so its own datatype checks it.
        for (const dtype of arch.family === 'scratchpad' || arch.family === 'spatial' ? [null] : [null, ...DTYPES]) {
          const workload = dtype ? withDtype(base, dtype) : base;
          let result;
          try {
            result = simulate(arch, workload, { engine: 'analytical' });
          } catch (error) {
            if (error instanceof InputError) continue; // the preset cannot run this workload or datatype
            throw error;
          }
          for (const op of result.operators) {
            const where = `${arch.name} × ${workload.name} (${op.dtype}) ${op.name}`;
            expect(op.macs.issued, `${where}: issued MACs within peak × cycles`).toBeLessThanOrEqual(op.peakMacsPerCycle * op.cycles * (1 + 1e-9));
            expect(op.utilization, where).toBeLessThanOrEqual(1 + 1e-9);
            for (const [level, bound] of Object.entries(op.bounds)) expect(op.cycles, `${where}: bounds.${level}`).toBeGreaterThanOrEqual(bound);
          }
          for (const level of memoryLevels(result)) {
            const roof = rooflineData(result, level, 'issued');
            for (const p of roof.points) {
              const op = result.operators.find((o) => o.name === p.name)!;
              expect(p.attained, `${result.workload.name} ${p.name} (${op.dtype}) under its compute roof`).toBeLessThanOrEqual(2 * op.peakMacsPerCycle * result.arch.clockHz * (1 + 1e-9));
              if (roof.bandwidth) expect(p.attained, `${p.name} under the ${level} roof`).toBeLessThanOrEqual(roof.bandwidth.bytesPerSecond * p.operationalIntensity * (1 + 1e-6));
            }
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    }, 600_000);
  }

  it('the A100 INT8 header peak and roof are twice the FP16 ones (624 vs 312 TOP/s)', () => {
    const arch = loadArchFile(bundled('arch').find((f) => f.endsWith('a100.yaml'))!);
    const base = loadWorkloadFile(bundled('workloads').find((f) => f.endsWith('bert-base.yaml'))!);
    const fp16 = simulate(arch, withDtype(base, 'fp16'), { engine: 'analytical' });
    const int8 = simulate(arch, withDtype(base, 'int8'), { engine: 'analytical' });
    const within = (x: number, ref: number) => expect(Math.abs(x / ref - 1)).toBeLessThan(0.002);
    within(fp16.arch.peakMacsPerCycle * fp16.arch.clockHz * 2, 312e12);
    within(int8.arch.peakMacsPerCycle * int8.arch.clockHz * 2, 624e12);
    within(rooflineData(int8, 'hbm').peakOpsPerSecond, 624e12);
    within(int8.operators[0].peakMacsPerCycle, 2 * fp16.operators[0].peakMacsPerCycle);
  });
});
