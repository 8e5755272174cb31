// Parameter declarations: each family declares its parameters once (dotted key, type, unit,
// default, description); that declaration drives spec validation, `accsim describe`, the
// generated docs and sweep paths. Values are SI numbers once resolved.

/** Physical dimension of a quantity parameter. Values are stored in the SI base unit shown. */
export type Dimension =
  | 'frequency' // Hz
  | 'bytes' // B
  | 'bandwidth' // B/s
  | 'energy' // J
  | 'time' // s
  | 'power' // W
  | 'energy-per-bit' // J/bit
  | 'dimensionless';

export const SI_UNIT: Record<Dimension, string> = {
  frequency: 'Hz',
  bytes: 'B',
  bandwidth: 'B/s',
  energy: 'J',
  time: 's',
  power: 'W',
  'energy-per-bit': 'J/bit',
  dimensionless: '',
};

interface ParamBase {
  /** Dotted path in the spec file, e.g. `compute.rows` or `memory.dram.bandwidth`. */
  key: string;
  description: string;
  /** Where the default comes from (paper, table) or why it was chosen. */
  source?: string;
}

export interface IntegerParam extends ParamBase {
  type: 'integer';
  default?: number;
  min?: number;
  max?: number;
}

export interface QuantityParam extends ParamBase {
  type: 'quantity';
  dimension: Dimension;
  /** Default as the user would write it, e.g. `34 GB/s`; resolved with the same parser. */
  default?: string;
  /** Smallest allowed SI value (inclusive) and whether zero is allowed. */
  min?: number;
  positive?: boolean;
  max?: number;
}

export interface EnumParam extends ParamBase {
  type: 'enum';
  choices: readonly string[];
  default?: string;
}

export interface BooleanParam extends ParamBase {
  type: 'boolean';
  default?: boolean;
}

export interface StringParam extends ParamBase {
  type: 'string';
  default?: string;
}

export type ParamDecl = IntegerParam | QuantityParam | EnumParam | BooleanParam | StringParam;

export type ParamValue = number | string | boolean;

/** Resolved parameter values by dotted key (SI numbers for quantities). */
export type ParamValues = Readonly<Record<string, ParamValue>>;

/** Human-readable type of a declaration, for `describe` and error messages. */
export function describeType(decl: ParamDecl): string {
  switch (decl.type) {
    case 'integer':
      return `integer${rangeText(decl.min, decl.max)}`;
    case 'quantity': {
      const unit = SI_UNIT[decl.dimension];
      const floor = decl.positive ? ' > 0' : decl.min !== undefined ? ` >= ${decl.min}` : '';
      return unit ? `${decl.dimension} quantity in ${unit}-compatible units${floor}` : `number${floor}`;
    }
    case 'enum':
      return `one of ${decl.choices.map((c) => `'${c}'`).join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
  }
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` in [${min}, ${max}]`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

/** The default rendered for docs: `default 34 GB/s`, or `required`. */
export function defaultText(decl: ParamDecl): string {
  return decl.default === undefined ? 'required' : `default ${decl.default}`;
}

export interface StatDecl {
  key: string;
  unit: string;
  description: string;
}
