// The one number formatter. People get engineering notation with units and at most four
// significant digits (`1.05 MB`, `51.2 GB/s`, `2.79 nJ`); machines get raw SI in base units
// (`csvNumber`: counts as exact integers, measured quantities to four significant digits; JSON
// output keeps the full doubles). Every table, Markdown file, CSV, chart label and sweep-reduce
// line goes through here, so one rule decides how a number looks.

const PREFIXES: Array<[number, string]> = [
  [1e24, 'Y'],
  [1e21, 'Z'],
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
  [1e-18, 'a'],
];

/** `value` to `digits` significant digits as a plain decimal (no exponent, no `0.19999999999999996`). */
export function significant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)));
  // Beyond this range a plain decimal would be a string of zeros: say the power of ten.
  if (magnitude >= 21 || magnitude < -18) {
    const [mantissa, exponent] = rounded.toExponential(digits - 1).split('e');
    return `${Number(mantissa)}×10^${Number(exponent)}`;
  }
  return rounded.toFixed(Math.max(0, digits - 1 - magnitude)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * `engineering(1.2e6, 'cycles')` → `1.20 Mcycles`: a prefix from a (atto) to Y (yotta) and
 * `digits` significant digits (3 by default, at most 4 anywhere). Outside that range the mantissa
 * carries a power of ten (`4.39×10^27 B`) rather than a run of zeros or JavaScript's `e+`.
 */
export function engineering(value: number, unit: string, digits = 3): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`.trim();
  if (value === 0) return `0 ${unit}`.trim();
  const magnitude = Math.abs(value);
  const [largest] = PREFIXES[0];
  const [smallest] = PREFIXES[PREFIXES.length - 1];
  if (magnitude >= largest * 999.5 || magnitude < smallest * 0.9995) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${mantissa}×10^${Number(exponent)} ${unit}`.trim();
  }
  for (const [scale, prefix] of PREFIXES) {
    if (magnitude >= scale * 0.9995) return `${(value / scale).toPrecision(digits)} ${prefix}${unit}`.trim();
  }
  /* c8 ignore next: unreachable, the smallest prefix caught everything below */
  return `${value} ${unit}`;
}

/**
 * A count (cycles, bytes, MACs, events): exact below 10,000 (`812 cycles`, rounded to a whole
 * number because statistical models produce expected counts), engineering notation above.
 */
export function count(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`;
  const whole = Math.round(value);
  return Math.abs(whole) < 10_000 ? `${whole} ${unit}` : engineering(value, unit, 3);
}

export const bytes = (value: number): string => count(value, 'B');
export const cycles = (value: number): string => count(value, 'cycles');
export const macs = (value: number): string => count(value, 'MAC');
export const seconds = (value: number): string => engineering(value, 's');
export const joules = (value: number): string => engineering(value, 'J');
export const bandwidth = (bytesPerSecond: number): string => engineering(bytesPerSecond, 'B/s');
export const percent = (fraction: number): string => `${Number.isFinite(fraction) ? (fraction * 100).toFixed(1) : String(fraction)} %`;
/** A ratio such as a speedup: `2.35×`, `1234×` (never more than 4 significant digits). */
export const ratio = (value: number): string => `${Number.isFinite(value) ? significant(value, Math.abs(value) >= 100 ? 4 : 3) : String(value)}×`;
/** A density or other dimensionless fraction as written in specs: `0.2`, `0.0625`. */
export const fraction = (value: number): string => significant(value, 3);

/**
 * Energy per MAC given in pJ: `1.80 pJ`, `2.79 nJ` for large values, and `—` when the operator
 * does no MACs (element-wise operators: the ratio has no meaning there).
 */
export function pJ(valuePj: number, macCount?: number): string {
  if (macCount === 0 || !Number.isFinite(valuePj)) return '—';
  return engineering(valuePj * 1e-12, 'J');
}

/** Raw SI for machines (CSV cells): counts as whole numbers, other quantities to 4 significant digits. */
export function csvNumber(value: number, isCount = false): string {
  if (!Number.isFinite(value)) return '';
  if (isCount) return String(Math.round(value));
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Capacities read best in binary units when they are whole KiB/MiB/GiB (`1 MiB`), else `1.05 MB`. */
export function capacity(value: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (value >= size && Number.isInteger(value / size) && value / size < 10_000) return `${value / size} ${unit}`;
  }
  return engineering(value, 'B', 3);
}

/** A value as a spec would write it: `64 GB/s`, `1 MiB`, `700 MHz`, `0.2`, `256` (unitless). */
export function specValue(value: number, unit: string): string {
  if (unit === 'B') return capacity(value);
  const text = unit || Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-2) ? engineering(value, unit, 3) : significant(value, 4);
  // Padding zeros say nothing about a value someone chose: `64.0 GB/s` → `64 GB/s`.
  return text.replace(/^(-?\d+)\.0+(?=\D|$)/, '$1').replace(/^(-?\d+\.\d*?)0+(?=\D|$)/, '$1');
}

/** A count of things without an SI unit, in prose: `812 windows`, `65.5 k hash slots`. */
export function things(value: number, noun: string): string {
  return Math.abs(Math.round(value)) < 10_000 ? `${Math.round(value)} ${noun}` : `${engineering(value, '', 3)} ${noun}`;
}
