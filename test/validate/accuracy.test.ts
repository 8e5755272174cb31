import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderValidation, summarise, validationRows } from '../../src/cli/validate.js';
import { accuracySection, readmeSection } from '../../src/validate/readme.js';
import { ROOT } from '../helpers.js';

const rows = validationRows(ROOT);

describe('accsim validate: the accuracy table', () => {
  it('every row carries a tag, a source, a reference, an accsim value and its error', () => {
    for (const r of rows) {
      expect(r.tag, r.check).toMatch(/^\[(M|S|T)\]/);
      expect(r.source.length, r.check).toBeGreaterThan(10);
      expect(Number.isFinite(r.reference) && Number.isFinite(r.accsim), r.check).toBe(true);
      if (r.reference !== 0) expect(r.errorPct).toBeCloseTo((r.accsim / r.reference - 1) * 100, 9);
    }
    expect(rows.filter((r) => r.group === 'GPU').length).toBeGreaterThanOrEqual(12);
  });

  it('no relative tolerance band contains the HBM roofline of the FlightLLM decode (68 tok/s)', () => {
    const flight = rows.find((r) => r.check.startsWith('U280 LLaMA-2-7B'))!;
    expect(flight.reference * (1 + flight.tolerance)).toBeLessThan(68);
  });

  it('the 2:4 GEMV gains at most 1.15× over dense on A100 (no skinny-N 2:4 kernels)', () => {
    const gemv = rows.find((r) => r.kind === 'at-most')!;
    expect(gemv.accsim).toBeLessThanOrEqual(1.15);
    expect(gemv.pass).toBe(true);
  });

  it('renders table, md and json with the same rows and summary', () => {
    const json = JSON.parse(renderValidation(rows, 'json'));
    expect(json.rows).toHaveLength(rows.length);
    expect(json.summary).toEqual(summarise(rows));
    expect(renderValidation(rows, 'md')).toContain('| case | tag | reference | accsim | error | tolerance | result | source |');
    expect(renderValidation(rows, 'table')).toMatch(/measured GPU rows: \d+ of \d+ within ±15 %/);
  });

  it('the README accuracy table is the generated one (npm run accuracy:readme)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readmeSection(readme)).toBe(accuracySection(rows));
  });
});
