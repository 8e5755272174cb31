// Golden results for every shipped preset × every workload its family can run. Regenerate
// deliberately with `npm run golden:update` and review the diff.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { simulate } from '../../src/core/simulate.js';
import { findFamily } from '../../src/families/registry.js';
import { loadArchFile, loadWorkloadFile } from '../../src/io/files.js';
import { bundled, roundDeep, ROOT } from '../helpers.js';
import { InputError } from '../../src/spec/errors.js';

const update = process.env.UPDATE_GOLDEN === '1';
const dir = join(ROOT, 'test', 'golden', 'results');

describe('golden results: preset × workload', () => {
  const workloads = bundled('workloads').map((path) => loadWorkloadFile(path));
  for (const archPath of bundled('arch')) {
    const arch = loadArchFile(archPath);
    const family = findFamily(arch.family)!;
    for (const workload of workloads) {
      if (!workload.operators.every((op) => family.operatorKinds.includes(op.kind))) continue;
      const name = `${basename(archPath).replace(/\.ya?ml$/, '')}__${basename(workload.file).replace(/\.ya?ml$/, '')}`;
      it(name, () => {
        // An LLM workload that does not fit the preset's memory is refused; the golden records the refusal.
        const run = () => {
          try {
            return simulate(arch, workload, { seed: 1 });
          } catch (error) {
            if (error instanceof InputError) return { refused: error.message };
            throw error;
          }
        };
        const result = roundDeep(JSON.parse(JSON.stringify(run())));
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
