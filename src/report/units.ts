// Numbers for people: engineering notation with units. Machines get raw SI (JSON/CSV).

const PREFIXES: Array<[number, string]> = [
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
];

/** `engineering(1.2e6, 'cycles')` → `1.20 Mcycles`; three significant digits. */
export function engineering(value: number, unit: string, digits = 3): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`.trim();
  if (value === 0) return `0 ${unit}`.trim();
  const magnitude = Math.abs(value);
  for (const [scale, prefix] of PREFIXES) {
    if (magnitude >= scale * 0.9995) return `${(value / scale).toPrecision(digits)} ${prefix}${unit}`.trim();
  }
  const [scale, prefix] = PREFIXES[PREFIXES.length - 1];
  return `${(value / scale).toPrecision(digits)} ${prefix}${unit}`.trim();
}

/** Bytes with binary-free decimal prefixes (kB = 1000 B), as bandwidths are quoted. */
export const bytes = (value: number): string => engineering(value, 'B');
export const cycles = (value: number): string => engineering(value, 'cycles');
export const seconds = (value: number): string => engineering(value, 's');
export const joules = (value: number): string => engineering(value, 'J');
export const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)} %`;
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const pJ = (value: number): string => `${value.toPrecision(3)} pJ`;
