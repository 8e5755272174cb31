import { describe, expect, it } from 'vitest';
import { evaluateExpression, ExpressionError, parseSimpleQuantity, type Quantity } from '../../src/spec/quantity.js';

const scope = new Map<string, Quantity>([
  ['rows', { value: 128, dimension: 'dimensionless' }],
  ['sram', { value: 65536, dimension: 'bytes' }],
]);

describe('quantities and expressions', () => {
  it('parses numbers with units on the fast path, exactly', () => {
    expect(parseSimpleQuantity('34 GB/s')).toEqual({ value: 34e9, dimension: 'bandwidth' });
    expect(parseSimpleQuantity('24 MiB')).toEqual({ value: 24 * 2 ** 20, dimension: 'bytes' });
    expect(parseSimpleQuantity('700 MHz')).toEqual({ value: 7e8, dimension: 'frequency' });
    expect(parseSimpleQuantity('1.41GHz')).toEqual({ value: 1.41e9, dimension: 'frequency' });
    expect(parseSimpleQuantity('100 ns')).toEqual({ value: 1e-7, dimension: 'time' });
    expect(parseSimpleQuantity('3.9 pJ/bit')).toEqual({ value: 3.9e-12, dimension: 'energy-per-bit' });
    expect(parseSimpleQuantity('256')).toEqual({ value: 256, dimension: 'dimensionless' });
    expect(parseSimpleQuantity('rows * 2')).toBeUndefined();
  });

  it('evaluates expressions with named parameters and units', () => {
    expect(evaluateExpression('rows * rows', scope)).toEqual({ value: 16384, dimension: 'dimensionless' });
    expect(evaluateExpression('4 * 64 KiB', scope)).toEqual({ value: 262144, dimension: 'bytes' });
    expect(evaluateExpression('sram / 2', scope)).toEqual({ value: 32768, dimension: 'bytes' });
    const bandwidth = evaluateExpression('8 B * 90 MHz', scope);
    expect(bandwidth.dimension).toBe('bandwidth');
    expect(bandwidth.value).toBeCloseTo(720e6, 3);
    expect(evaluateExpression('ceil(rows / 3)', scope).value).toBe(43);
  });

  it('refuses anything that could run code, define units or allocate', () => {
    for (const text of ['import({}, {override: true})', 'evaluate("1+1")', 'createUnit("foo")', 'parse("1")', 'ones(100000, 100000)', 'f(x) = x', 'x = 3', '"text"', 'range(1, 1e9)', '[1, 2, 3]']) {
      expect(() => evaluateExpression(text, scope), text).toThrow(ExpressionError);
    }
  });

  it('names unknown parameters and lists the known ones', () => {
    try {
      evaluateExpression('rowz * 2', scope);
      expect.unreachable();
    } catch (error) {
      expect((error as ExpressionError).message).toContain("unknown name 'rowz'");
      expect((error as ExpressionError).hint).toContain('rows');
    }
  });
});
