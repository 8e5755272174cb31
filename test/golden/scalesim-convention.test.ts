// Golden results of `--convention scalesim` (SCALE-Sim v2's counts) for the systolic presets.
// Regenerate deliberately with `npm run golden:update` and review the diff. The eyeriss-like
// preset runs only BERT-base here: its CNN layers have overlapping conv windows on a 12x14 array,
// which the emulation walks element by element (seconds per network).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/core/simulate.js';
import { loadArchFile, loadWorkloadFile } from '../../src/io/files.js';
import { roundDeep, ROOT } from '../helpers.js';

const update = process.env.UPDATE_GOLDEN === '1';
const dir = join(ROOT, 'test', 'golden', 'results-scalesim');
const CASES: Array<[string, string[]]> = [
  ['tpu-v1', ['resnet18', 'mobilenet-v1', 'alexnet', 'bert-base']],
  ['edge-128', ['resnet18', 'mobilenet-v1', 'alexnet', 'bert-base']],
  ['eyeriss-like', ['bert-base']],
];

describe('golden results: preset × workload, SCALE-Sim convention', () => {
  for (const [archName, workloads] of CASES) {
    for (const workloadName of workloads) {
      const name = `${archName}__${workloadName}`;
      it(name, () => {
        const arch = loadArchFile(join(ROOT, 'arch', `${archName}.yaml`));
        const workload = loadWorkloadFile(join(ROOT, 'workloads', `${workloadName}.yaml`));
        const result = roundDeep(JSON.parse(JSON.stringify(simulate(arch, workload, { seed: 1, convention: 'scalesim' }))));
        const file = join(dir, `${name}.json`);
        if (update) {
          mkdirSync(dir, { recursive: true });
          writeFileSync(file, JSON.stringify(result, null, 1) + '\n');
        }
        expect(existsSync(file), `${file} is missing: run npm run golden:update`).toBe(true);
        expect(result).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      });
    }
  }
});
