// Hostile spec text must end in a positioned InputError, never in a JavaScript exception.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateExpression, ExpressionError } from '../../src/spec/quantity.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { loadArchText } from '../../src/spec/load-arch.js';
import { InputError, formatIssue } from '../../src/spec/errors.js';
import { ROOT } from '../helpers.js';

function issueOf(load: () => unknown) {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0];
    expect(issue.position).toBeDefined();
    return { ...issue, line: formatIssue(issue) };
  }
  throw new Error('expected an InputError');
}

const gemm = (field: string) => `name: t\noperators:\n  - name: g\n    kind: gemm\n    m: 8\n    n: 8\n    ${field}\n`;

describe('expressions', () => {
  it.each(['valueOf(1)', 'hasOwnProperty(1)', '__proto__(1)', 'constructor(256)*1', 'toString(2)'])('%s is not a function of the allowlist', (text) => {
    expect(() => evaluateExpression(text, new Map())).toThrow(ExpressionError);
  });

  it('refuses 3,000 nested parentheses and 20,000 unary minus signs before recursing', () => {
    expect(() => evaluateExpression('('.repeat(3000) + '1' + ')'.repeat(3000), new Map())).toThrow(/longer than 500/);
    expect(() => evaluateExpression('-'.repeat(20000) + '1', new Map())).toThrow(/longer than 500/);
    // Short but deep: the depth limit, not the length limit, refuses it.
    expect(() => evaluateExpression('('.repeat(100) + '1' + ')'.repeat(100), new Map())).toThrow(/deeper than 32/);
    expect(() => evaluateExpression('- '.repeat(60) + '1', new Map())).toThrow(/deeper than 32/);
    expect(evaluateExpression('((2 + 3)) * -(-4)', new Map()).value).toBe(20);
  });

  it('reports them at the key in a workload', () => {
    const issue = issueOf(() => loadWorkloadText(gemm('k: constructor(256)*1'), 'w.yaml'));
    expect(issue).toMatchObject({ keyPath: 'operators[0].k', position: { line: 7, column: 8 } });
  });
});

describe('integer fields', () => {
  it.each([
    ['k: 1e308', /above the maximum/],
    ['k: 9999999999999999999999', /above the maximum|not a safe integer/],
    ['k: 2.5', /not a whole number/],
    ['k: 0', /below the minimum 1/],
  ])('%s is refused at its position', (field, message) => {
    const issue = issueOf(() => loadWorkloadText(gemm(field), 'w.yaml'));
    expect(issue.keyPath).toBe('operators[0].k');
    expect(issue.message).toMatch(message);
  });

  it.each(['count', 'batch', 'elements'])('%s has an upper bound', (key) => {
    const kind = key === 'elements' ? 'elementwise, function: softmax' : key === 'batch' ? 'batched_matmul, m: 8, n: 8, k: 8' : 'gemm, m: 8, n: 8, k: 8';
    const text = `name: t\noperators:\n  - { name: x, kind: ${kind}, ${key}: 1e308 }\n`;
    expect(issueOf(() => loadWorkloadText(text, 'w.yaml')).message).toMatch(/above the maximum/);
  });
});

describe('YAML', () => {
  it.each(['k: !custom 256', 'k: !!binary aGVsbG8=', 'k: !!set {a: null}'])('refuses the tag in %s at the value', (field) => {
    const issue = issueOf(() => loadWorkloadText(gemm(field), 'w.yaml'));
    expect(issue.message).toMatch(/YAML tag .* is not supported/);
    expect(issue.position).toMatchObject({ line: 7 });
  });

  it('accepts core-schema tags', () => {
    expect(loadWorkloadText(gemm('k: !!int "16"'), 'w.yaml').operators[0]).toMatchObject({ k: 16 });
  });

  it('refuses nesting deeper than the limit with a position', () => {
    const issue = issueOf(() => loadWorkloadText(`name: t\nsources: ${'['.repeat(100)}${']'.repeat(100)}\noperators: []\n`, 'w.yaml'));
    expect(issue.message).toMatch(/nesting deeper than 64/);
  });

  it('puts a multi-line value on one line, quoted and truncated', () => {
    const text = `name: t\noperators:\n  - name: g\n    kind: gemm\n    m: 8\n    n: 8\n    k: |\n      first line\n      second line ${'x'.repeat(200)}\n`;
    const issue = issueOf(() => loadWorkloadText(text, 'w.yaml'));
    expect(issue.line).not.toContain('\n');
    expect(issue.line).toMatch(/^w\.yaml:7:8: error: operators\[0\]\.k: /);
    expect(issue.line.length).toBeLessThan(400);
  });
});

describe('dsp-chain cross-field checks carry the position of their key', () => {
  const u280 = readFileSync(join(ROOT, 'arch', 'u280-flightllm.yaml'), 'utf8');
  it.each([
    [/^ {2}chains: .*$/m, '  chains: cores * 1280', 'compute.chains', /DSP48E2 slices/],
    [/^ {4}channels: 32 .*$/m, '    channels: 0', 'memory.placement.weights', /channels is 0/],
    [/same_channel_efficiency: 0\.7/, 'same_channel_efficiency: 0', 'memory.hbm.same_channel_efficiency', /efficiency 0/],
  ])('%s', (pattern, replacement, keyPath, message) => {
    const text = u280.replace(pattern, replacement);
    expect(text).not.toBe(u280);
    const issue = issueOf(() => loadArchText(text, 'u280.yaml'));
    expect(issue.keyPath).toBe(keyPath);
    expect(issue.message).toMatch(message);
    expect(issue.line).toMatch(/^u280\.yaml:\d+:\d+: error: /);
  });
});
