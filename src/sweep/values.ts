// Axis values of a sweep: the VALUES text of `--set PATH=VALUES` and the value forms of a sweep
// file. A value is kept twice: as it is written into the spec (a number, a boolean, or text with
// its unit such as `17 GB/s`, so the spec loader resolves and checks it exactly as in a user's
// file) and as it is recorded in a point's `params` (SI-resolved where it carries a unit).
//
// Grammar (items separated by commas; an item is a literal or a range):
//   literal  32 | 0.5 | true | ws | 17GB/s | "1 MiB"
//   range    START..STOP[:STEP][UNIT]     inclusive STOP (within 1e-9 of a step), arithmetic
//            START..STOP:*FACTOR[UNIT]    geometric (also `:xFACTOR`), e.g. 32..512:*2
//   e.g. `32,64,128`, `17..68:17GB/s`, `0.1..0.9:0.1`, `ws,os`, `1..4,8,16`.
// A unit on the last item of a list also applies to the bare numbers before it:
// `10,20,40GB/s` is `10GB/s,20GB/s,40GB/s` (a bare number is never a valid quantity anyway).

import { inputError, type SourcePosition } from '../spec/errors.js';
import { parseSimpleQuantity } from '../spec/quantity.js';

export type ScalarValue = number | string | boolean;

export interface AxisValue {
  /** Written into the spec: a number, a boolean, or text (with its unit when it has one). */
  spec: ScalarValue;
  /** Recorded in SweepPoint.params: SI-resolved number for quantities, otherwise as given. */
  param: ScalarValue;
}

/** Where a value came from, for error messages. */
export interface ValueSource {
  file: string;
  keyPath: string;
  position?: SourcePosition;
}

/** Most values one axis may have: beyond this a typo in a range (a tiny step) is the likely cause. */
export const MAX_AXIS_VALUES = 1_000_000;

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(String.raw`^(${NUMBER})\s*\.\.\s*(${NUMBER})(?:\s*:\s*([*xX])?\s*(${NUMBER}))?\s*([A-Za-zµ/]+)?$`);
const PLAIN_NUMBER = new RegExp(`^${NUMBER}$`);

/** Rounds float noise from repeated addition (0.30000000000000004 → 0.3) to 12 significant digits. */
export function tidy(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(12));
}

/** Parses one literal (no commas, no ranges). */
export function parseLiteral(text: string, where: ValueSource): AxisValue {
  const item = text.trim();
  if (!item) throw inputError({ ...where, message: 'empty value', expected: 'a number, a quantity with a unit, true/false or a word' });
  if (item === 'true' || item === 'false') return { spec: item === 'true', param: item === 'true' };
  if (PLAIN_NUMBER.test(item)) {
    const value = Number(item);
    return { spec: value, param: value };
  }
  const quantity = parseSimpleQuantity(item);
  if (quantity && quantity.dimension !== 'dimensionless') return { spec: item, param: quantity.value };
  // Anything else is a word (an enum choice such as `ws`, a format id, a datatype) or an
  // expression the spec loader resolves; it is recorded as written.
  return { spec: item, param: item };
}

/** Expands `START..STOP[:STEP][UNIT]` or `START..STOP:*FACTOR[UNIT]`; undefined if `text` is not a range. */
export function parseRange(text: string, where: ValueSource): AxisValue[] | undefined {
  const match = RANGE.exec(text.trim());
  if (!match) return undefined;
  const [, startText, stopText, geometricMark, stepText, unit] = match;
  const start = Number(startText);
  const stop = Number(stopText);
  const fail = (message: string) => inputError({ ...where, message: `range '${text.trim()}': ${message}`, expected: 'START..STOP[:STEP][UNIT], e.g. 17..68:17GB/s, or START..STOP:*FACTOR' });
  const numbers: number[] = [];
  if (geometricMark) {
    const factor = Number(stepText);
    if (!(start > 0) || !(stop > 0)) throw fail('a geometric range needs positive START and STOP');
    if (!(factor > 0) || factor === 1) throw fail('the factor must be positive and not 1');
    if ((stop - start) * (factor - 1) < 0) throw fail(`a factor of ${factor} never reaches ${stop} from ${start}`);
    const growing = factor > 1;
    for (let value = start; growing ? value <= stop * (1 + 1e-9) : value >= stop * (1 - 1e-9); value *= factor) {
      numbers.push(tidy(value));
      if (numbers.length > MAX_AXIS_VALUES) throw fail(`more than ${MAX_AXIS_VALUES} values`);
    }
  } else {
    const step = stepText === undefined ? (stop >= start ? 1 : -1) : Number(stepText);
    if (step === 0 || !Number.isFinite(step)) throw fail('the step must not be zero');
    const span = (stop - start) / step;
    if (span < -1e-9) throw fail(`a step of ${step} never reaches ${stop} from ${start}`);
    // Inclusive stop with float tolerance: 0.1..0.9:0.1 has 9 values although 0.8/0.1 = 7.999….
    const count = Math.floor(span + 1e-9) + 1;
    if (count > MAX_AXIS_VALUES) throw fail(`${count} values is more than ${MAX_AXIS_VALUES}`);
    for (let i = 0; i < count; i++) numbers.push(tidy(start + i * step));
  }
  return numbers.map((value) => {
    if (!unit) return { spec: value, param: value };
    const spec = `${value} ${unit}`;
    const quantity = parseSimpleQuantity(spec);
    if (!quantity) throw fail(`unknown unit '${unit}'`);
    return { spec, param: quantity.value };
  });
}

/** Parses the VALUES text of `--set PATH=VALUES` (a comma-separated list of literals and ranges). */
export function parseValuesText(text: string, where: ValueSource): AxisValue[] {
  const values: AxisValue[] = [];
  const items = text.split(',');
  const trailing = new RegExp(`^\\s*${NUMBER}\\s*([A-Za-zµ/]+)\\s*$`).exec(items[items.length - 1]);
  const last = trailing ? parseSimpleQuantity(items[items.length - 1]) : undefined;
  const unit = trailing && last && last.dimension !== 'dimensionless' ? trailing[1] : undefined;
  for (const raw of items) {
    const item = unit && PLAIN_NUMBER.test(raw.trim()) ? `${raw.trim()}${unit}` : raw;
    const range = parseRange(item, where);
    if (range) values.push(...range);
    else values.push(parseLiteral(item, where));
  }
  return checkValues(values, where);
}

/** A value given as YAML data in a sweep file (numbers and booleans stay typed; strings are parsed). */
export function valueFromData(value: unknown, where: ValueSource): AxisValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw inputError({ ...where, message: `${value} is not a finite number` });
    return { spec: value, param: value };
  }
  if (typeof value === 'boolean') return { spec: value, param: value };
  if (typeof value === 'string') return parseLiteral(value, where);
  throw inputError({ ...where, message: `found ${value === null ? 'nothing (null)' : typeof value}`, expected: 'a number, a quantity with a unit, true/false or a word' });
}

/** Every axis needs at least one value and no value twice (twice would run the same point twice). */
export function checkValues(values: AxisValue[], where: ValueSource): AxisValue[] {
  if (values.length === 0) throw inputError({ ...where, message: 'no values', expected: 'at least one value' });
  if (values.length > MAX_AXIS_VALUES) throw inputError({ ...where, message: `${values.length} values is more than ${MAX_AXIS_VALUES}` });
  const seen = new Set<string>();
  for (const value of values) {
    const key = `${typeof value.param}:${String(value.param)}`;
    if (seen.has(key)) throw inputError({ ...where, message: `value ${String(value.spec)} appears twice`, expected: 'distinct values' });
    seen.add(key);
  }
  return values;
}
