import { describe, expect, it } from 'vitest';
import { loadArchText } from '../../src/spec/load-arch.js';
import { InputError, type SpecIssue } from '../../src/spec/errors.js';

const VALID = `family: systolic
name: small
parameters:
  side: 32
clock: 1 GHz
compute:
  rows: side
  cols: side * 2
  dataflow: os
memory:
  ifmap_sram: { capacity: 64 KiB }
  filter_sram: { capacity: 64 KiB }
  ofmap_sram: { capacity: 64 KiB }
  dram: { bandwidth: 10 GB/s }
`;

function issueOf(text: string): SpecIssue {
  try {
    loadArchText(text, 'arch/test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues[0];
  }
  throw new Error('expected an InputError');
}

describe('architecture files', () => {
  it('resolves named parameters, expressions, units and defaults to SI values', () => {
    const arch = loadArchText(VALID, 'arch/test.yaml');
    expect(arch.family).toBe('systolic');
    expect(arch.values['compute.rows']).toBe(32);
    expect(arch.values['compute.cols']).toBe(64);
    expect(arch.values['clock']).toBe(1e9);
    expect(arch.values['memory.ifmap_sram.capacity']).toBe(65536);
    expect(arch.values['memory.dram.bandwidth']).toBe(10e9);
    expect(arch.values['compute.accumulator_bits']).toBe(32); // default
    expect(arch.energy.table).toBe('horowitz-45nm');
    expect(Object.isFrozen(arch.values)).toBe(true);
  });

  it('accepts JSON', () => {
    const json = JSON.stringify({
      family: 'systolic',
      clock: '1 GHz',
      compute: { rows: 8, cols: 8 },
      memory: { ifmap_sram: { capacity: '4 KiB' }, filter_sram: { capacity: '4 KiB' }, ofmap_sram: { capacity: '4 KiB' }, dram: { bandwidth: '1 GB/s' } },
    });
    expect(loadArchText(json, 'a.json').values['compute.rows']).toBe(8);
  });

  it('rejects a misspelled key with its position and a suggestion', () => {
    const issue = issueOf(VALID.replace('  dataflow: os', '  dataflwo: os'));
    expect(issue.position).toEqual({ line: 9, column: 3 });
    expect(issue.keyPath).toBe('compute.dataflwo');
    expect(issue.hint).toBe("did you mean 'dataflow'?");
  });

  it('rejects unknown top-level keys with a suggestion', () => {
    const issue = issueOf(VALID.replace('name: small', 'nmae: small'));
    expect(issue.position?.line).toBe(2);
    expect(issue.hint).toBe("did you mean 'name'?");
  });

  it('rejects wrong types and says what was expected', () => {
    const issue = issueOf(VALID.replace('rows: side', 'rows: [1, 2]'));
    expect(issue.keyPath).toBe('compute.rows');
    expect(issue.position).toEqual({ line: 7, column: 9 });
    expect(issue.expected).toContain('integer');
  });

  it('rejects missing required keys', () => {
    const issue = issueOf(VALID.replace('  dram: { bandwidth: 10 GB/s }\n', ''));
    expect(issue.keyPath).toBe('memory.dram.bandwidth');
    expect(issue.message).toContain('missing');
  });

  it('rejects impossible values: 0 rows, negative bandwidth, a buffer smaller than one word', () => {
    expect(issueOf(VALID.replace('rows: side', 'rows: 0')).message).toContain('below the minimum 1');
    const negative = issueOf(VALID.replace('bandwidth: 10 GB/s', 'bandwidth: -10 GB/s'));
    expect(negative.keyPath).toBe('memory.dram.bandwidth');
    expect(negative.message).toContain('greater than zero');
    const tiny = issueOf(VALID.replace('ofmap_sram: { capacity: 64 KiB }', 'ofmap_sram: { capacity: 16 B }'));
    expect(tiny.keyPath).toBe('memory.ofmap_sram.capacity');
    expect(tiny.expected).toBe('at least 128 B');
  });

  it('rejects quantities without or with the wrong unit', () => {
    const noUnit = issueOf(VALID.replace('clock: 1 GHz', 'clock: 1000000000'));
    expect(noUnit.message).toContain('has no unit');
    expect(noUnit.hint).toContain('MHz');
    expect(issueOf(VALID.replace('clock: 1 GHz', 'clock: 1 GB')).message).toContain('is a bytes, not a frequency');
  });

  it('rejects enum typos with a suggestion', () => {
    const issue = issueOf(VALID.replace('dataflow: os', 'dataflow: wss'));
    expect(issue.hint).toBe("did you mean 'ws'?");
    expect(issue.expected).toContain("'os', 'ws', 'is'");
  });

  it('rejects unknown families and energy tables with suggestions', () => {
    expect(issueOf(VALID.replace('family: systolic', 'family: systolc')).hint).toBe("did you mean 'systolic'?");
    expect(issueOf(`${VALID}energy: { table: horowitz-45 }\n`).hint).toBe("did you mean 'horowitz-45nm'?");
  });

  it('reports YAML syntax errors with a position', () => {
    const issue = issueOf('family: systolic\ncompute: { rows: 3\n');
    expect(issue.message).toContain('not valid YAML');
    expect(issue.position?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses expressions that are not arithmetic', () => {
    const issue = issueOf(VALID.replace('cols: side * 2', 'cols: evaluate("2")'));
    expect(issue.keyPath).toBe('compute.cols');
    expect(issue.message).toContain("function 'evaluate' is not allowed");
  });
});
