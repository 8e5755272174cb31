// The example reports build from the bundled presets (text formats only, into a scratch folder, so
// this neither rewrites reports/ nor spends time on images).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXAMPLES, regenerateExampleReports } from '../../src/report/examples.js';
import { ROOT } from '../helpers.js';

describe('example reports', () => {
  it('build for every example spec, with root-relative file names and no stale files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'accsim-examples-'));
    const stale = join(out, 'tpu-v1-resnet18', 'csv', 'old-chart.csv');
    mkdirSync(dirname(stale), { recursive: true });
    writeFileSync(stale, 'left over from an older version');
    const written = await regenerateExampleReports(ROOT, { outDir: out, formats: ['md', 'csv'] });
    expect(written.map((w) => w.outDir)).toEqual(EXAMPLES.map((e) => join(out, e.name)));
    expect(existsSync(stale)).toBe(false);
    const md = readFileSync(join(out, 'tpu-v1-resnet18', 'report.md'), 'utf8');
    expect(md).toContain('# Design review: TPU v1 running ResNet-18');
    expect(md).toContain('; arch/tpu-v1.yaml, hash');
    expect(md).toContain('![Roofline at dram');
    const bert = readFileSync(join(out, 'edge-vs-tpu-bert', 'report.md'), 'utf8');
    expect(bert.indexOf('## Summary')).toBeLessThan(bert.indexOf('*Detail: '));
    expect(bert).toMatch(/\| TPU v1 \| systolic \| BERT-base/);
    rmSync(out, { recursive: true, force: true });
  });
});
