import { describe, expect, it } from 'vitest';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { InputError, type SpecIssue } from '../../src/spec/errors.js';

const VALID = `name: tiny
parameters:
  seq: 16
dtype: fp16
operators:
  - { name: proj, kind: gemm, m: seq, n: 64, k: 32 }
  - { name: heads, kind: batched_matmul, batch: 4, m: seq, n: seq, k: 8, count: 2 }
  - { name: conv, kind: conv2d, in_h: 8, in_w: 8, in_c: 4, out_c: 6, kernel_h: 3, kernel_w: 3, stride: 2, padding: 1 }
  - { name: dw, kind: conv2d, in_h: 8, in_w: 8, in_c: 4, out_c: 4, kernel_h: 3, kernel_w: 3, padding: 1, groups: 4 }
`;

function issueOf(text: string): SpecIssue {
  try {
    loadWorkloadText(text, 'w.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues[0];
  }
  throw new Error('expected an InputError');
}

describe('workload files', () => {
  it('lowers operators to GEMM form', () => {
    const w = loadWorkloadText(VALID, 'w.yaml');
    const [proj, heads, conv, dw] = w.operators as any[];
    expect(proj).toMatchObject({ m: 16, n: 64, k: 32, batch: 1, dtype: 'fp16', outputDtype: 'fp16', count: 1 });
    expect(heads).toMatchObject({ batch: 4, m: 16, n: 16, k: 8, count: 2 });
    // 8x8 input, pad 1, 3x3, stride 2 → 4x4 output; K = 3*3*4.
    expect(conv).toMatchObject({ m: 16, n: 6, k: 36, batch: 1 });
    expect(conv.conv).toMatchObject({ outHeight: 4, outWidth: 4 });
    // Depthwise: 4 groups of (M = 64, N = 1, K = 9).
    expect(dw).toMatchObject({ m: 64, n: 1, k: 9, batch: 4 });
  });

  it('points at misspelled operator keys', () => {
    const issue = issueOf(VALID.replace('n: 64, k: 32', 'n: 64, kk: 32'));
    expect(issue.keyPath).toBe('operators[0].kk');
    expect(issue.position?.line).toBe(6);
    expect(issue.hint).toBe("did you mean 'k'?");
  });

  it('rejects unknown operator kinds with a suggestion', () => {
    const issue = issueOf(VALID.replace('kind: gemm', 'kind: gemn'));
    expect(issue.keyPath).toBe('operators[0].kind');
    expect(issue.hint).toBe("did you mean 'gemm'?");
  });

  it('rejects zero dimensions, bad groups and duplicate names', () => {
    expect(issueOf(VALID.replace('m: seq, n: 64', 'm: 0, n: 64')).message).toContain('below the minimum 1');
    expect(issueOf(VALID.replace('groups: 4', 'groups: 3')).message).toContain('must divide');
    expect(issueOf(VALID.replace('name: heads', 'name: proj')).message).toContain('duplicate');
  });

  it('rejects a missing operator list', () => {
    expect(issueOf('name: x\n').keyPath).toBe('operators');
  });
});
