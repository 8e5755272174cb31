// A seeded mutator of the shipped input files: architecture presets, single operators cut from
// the shipped workloads, SCALE-Sim configs and topologies, and small Matrix Market files. Each
// case is a few text mutations (hostile numbers and values, deleted, duplicated or swapped lines,
// truncation, stray YAML syntax, misspelled keys) written to a scratch directory, plus CLI options.
// Same seed → same cases.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** mulberry32: a small, fast, seedable PRNG (the cases must not depend on Math.random). */
export class CaseRng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const HOSTILE_NUMBERS = [
  '0', '-1', '1', '2', '3.7', '0.5', '1e-300', '1e5', '1e6', '1e9', '1e12', '1e15', '1e308', '-1e308', '9999999999999999999999',
  '9007199254740993', '2147483648', '1099511627776', '65536', '.inf', '-.inf', '.nan', '0x10', '1_000',
];

const HOSTILE_VALUES = [
  'valueOf(1)', 'hasOwnProperty(1)', '__proto__(1)', 'constructor(256)*1', 'toString(2)', 'isPrototypeOf(1)',
  '!custom 256', '!!binary aGVsbG8=', '!!set {a: null}', '!!timestamp 2001-12-14', '!!js/function "f(){}"',
  `${'('.repeat(3000)}1${')'.repeat(3000)}`, `${'-'.repeat(20000)}1`, `${'('.repeat(40)}1${')'.repeat(40)}`, `${'- '.repeat(40)}1`,
  '|\n      first line\n      second line', '"two\\nlines"', "'quoted ''inner'' text'", '>\n      folded\n      text',
  '*alias', '&anchor 5', '[[[[[[[[1]]]]]]]]', '{a: {b: {c: {d: 1}}}}', '[]', '{}', '~', 'null', 'true', 'yes',
  '8 B * 90 MHz', 'ceil(1e308) * 1e308', '2^1024', '10^400', 'max()', 'min(1)', 'sqrt(-1)', 'log2(0)', '1/0', '0/0', 'pow(2, 2000)',
  'x', 'seq * seq * seq * seq', 'import("fs")', 'evaluate("1")', 'f(x) = x', '[1,2,3]', '"1" + "1"', 'a ? b : c', '1 == 1',
  '100 GHz', '-5 GB/s', '0 B', '1e308 B', '1 J/bit/s', '3 parsecs', '', "''", '"\\u0000"', '"\\x07bell"',
  '{mtx: /etc/passwd}', '{mtx: ../outside.mtx}', '{mtx: /dev/zero}', '{mtx: /proc/self/environ}', '{mtx: .}', '{mtx: matrices}',
  '{rmat: {scale: 26, edge_factor: 65536}}', '{uniform: {rows: 1000000, cols: 1000000, density: 1}}', '{banded: {rows: 1000000000, half_bandwidth: 1000000000}}',
  '{kind: unstructured, density: 0.5}', '{kind: nm, n: 2, m: 4}', '{kind: nm, n: 5, m: 4}', '{kind: block, block: [1000000, 1], density: 0.1}',
];

const YAML_NOISE = ['{', '}', '[', ']', ':', ',', '- ', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '\t', '\n', '#', '? ', '\u0000', '\ufeff', '\u00e9'];

const DENSE_ARCHS = ['tpu-v1', 'edge-128', 'eyeriss-like', 'a100', 'h100', 'u280-flightllm', 'vcu1525-sat', 'versal-vhk158'];
const SPARSE_ARCHS = ['piuma', 'xeon-like'];
const SMALL_MATRICES = ['bcsstk01', 'cage4', '1138_bus', 'can_1072'];

export interface FuzzCase {
  id: number;
  /** What was mutated, for reports. */
  label: string;
  args: string[];
}

interface Corpus {
  archs: Map<string, string>;
  /** Single-operator workloads (header + one operator item). */
  operators: Array<{ text: string; sparse: boolean; source: string }>;
  configs: Map<string, string>;
  topologies: Map<string, string>;
  matrices: Map<string, string>;
}

function splitOperators(text: string): { header: string[]; items: string[][] } {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^operators:\s*$/.test(line));
  const header = lines.slice(0, start + 1);
  const items: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^ {2}- /.test(line)) items.push([line]);
    else if (items.length && /^ {3,}\S/.test(line)) items[items.length - 1].push(line);
  }
  return { header, items };
}

export function loadCorpus(): Corpus {
  const read = (dir: string, ext: RegExp) =>
    new Map(
      readdirSync(join(ROOT, dir))
        .filter((f) => ext.test(f))
        .sort()
        .map((f) => [f, readFileSync(join(ROOT, dir, f), 'utf8')] as const),
    );
  const operators: Corpus['operators'] = [];
  for (const [file, text] of read('workloads', /\.ya?ml$/)) {
    const { header, items } = splitOperators(text);
    for (const item of items) {
      const sparse = /kind: (spgemm|spmv|pagerank|bfs)/.test(item[0]);
      operators.push({ text: [...header, ...item, ''].join('\n'), sparse, source: file });
    }
  }
  return {
    archs: read('arch', /\.ya?ml$/),
    operators,
    configs: read('test/reference/scalesim/configs', /\.cfg$/),
    topologies: read('test/reference/scalesim/topologies', /\.csv$/),
    matrices: new Map(SMALL_MATRICES.map((name) => [name, readFileSync(join(ROOT, 'workloads', 'matrices', `${name}.mtx`), 'utf8')])),
  };
}

/** One random text mutation. */
function mutateOnce(text: string, rng: CaseRng): string {
  const lines = text.split('\n');
  switch (rng.int(9)) {
    case 0:
    case 1: {
      // A number (or a whole expression value) replaced by a hostile number.
      const numbers = [...text.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.])/gi)];
      if (!numbers.length) return text;
      const match = rng.pick(numbers);
      return text.slice(0, match.index) + rng.pick(HOSTILE_NUMBERS) + text.slice(match.index! + match[0].length);
    }
    case 2:
    case 3: {
      // A value after `key:` replaced by a hostile value.
      const values = [...text.matchAll(/(?<=\b[A-Za-z_][\w.]*: )[^,}\n#]+/g)];
      if (!values.length) return text;
      const match = rng.pick(values);
      return text.slice(0, match.index) + rng.pick(HOSTILE_VALUES) + text.slice(match.index! + match[0].length);
    }
    case 4: {
      const i = rng.int(lines.length);
      const op = rng.int(3);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[i]);
      else {
        const j = rng.int(lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return lines.join('\n');
    }
    case 5:
      return text.slice(0, rng.int(text.length + 1));
    case 6: {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + rng.pick(YAML_NOISE) + text.slice(at);
    }
    case 7: {
      // A misspelled or unknown key.
      const keys = [...text.matchAll(/\b([a-z_]{3,})(?=: )/g)];
      if (!keys.length) return text;
      const match = rng.pick(keys);
      const key = match[1];
      const at = rng.int(key.length);
      const changed = rng.int(2) ? key.slice(0, at) + key.slice(at + 1) : key.slice(0, at) + 'x' + key.slice(at);
      return text.slice(0, match.index) + changed + text.slice(match.index! + key.length);
    }
    default: {
      // Indentation broken on one line.
      const i = rng.int(lines.length);
      lines[i] = rng.int(2) ? ` ${lines[i]}` : lines[i].replace(/^ /, '');
      return lines.join('\n');
    }
  }
}

function mutate(text: string, rng: CaseRng): string {
  let out = text;
  const rounds = 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) out = mutateOnce(out, rng);
  return out;
}

function options(rng: CaseRng): string[] {
  const args: string[] = [];
  if (rng.int(4) === 0) args.push('--engine', 'analytical');
  if (rng.int(5) === 0) args.push('--sparsity-mode', 'concrete');
  if (rng.int(6) === 0) args.push('--convention', 'scalesim');
  if (rng.int(4) === 0) args.push('--seed', String(rng.pick([0, 1, 7, 4294967295])));
  return args;
}

/**
 * Writes case `id` of `seed` into `dir` (which gets a copy of the small matrices, so `mtx:` paths
 * of the cut workloads stay inside the tree) and returns its CLI arguments.
 */
export function makeCase(corpus: Corpus, seed: number, id: number, dir: string): FuzzCase {
  const rng = new CaseRng((seed * 1_000_003 + id) >>> 0);
  const caseDir = join(dir, `case-${id}`);
  mkdirSync(join(caseDir, 'matrices'), { recursive: true });
  const file = (name: string, text: string) => {
    const path = join(caseDir, name);
    writeFileSync(path, text);
    return path;
  };
  const kind = rng.int(10);
  const common = ['-f', rng.int(3) === 0 ? 'table' : 'json', '-q', ...options(rng)];
  if (kind <= 5) {
    // A single shipped operator, mutated, on a (sometimes mutated) preset of a matching family.
    const op = rng.pick(corpus.operators);
    for (const name of SMALL_MATRICES) writeFileSync(join(caseDir, 'matrices', `${name}.mtx`), corpus.matrices.get(name)!);
    const text = op.text.replace(/matrices\/(wiki-Vote|ca-GrQc|3elt|add32)\.mtx/g, () => `matrices/${rng.pick(SMALL_MATRICES)}.mtx`);
    const archName = rng.pick(op.sparse ? SPARSE_ARCHS : DENSE_ARCHS);
    const mutateArch = rng.int(3) === 0;
    const arch = mutateArch ? file('arch.yaml', mutate(corpus.archs.get(`${archName}.yaml`)!, rng)) : join(ROOT, 'arch', `${archName}.yaml`);
    const workload = file('workload.yaml', rng.int(8) === 0 ? text : mutate(text, rng));
    return { id, label: `${op.source} op on ${archName}${mutateArch ? ' (arch mutated)' : ''}`, args: ['run', '-a', arch, '-w', workload, ...common] };
  }
  if (kind <= 7) {
    // A mutated preset running a small shipped operator.
    const archName = rng.pick([...DENSE_ARCHS, ...SPARSE_ARCHS]);
    const sparse = SPARSE_ARCHS.includes(archName);
    const ops = corpus.operators.filter((o) => o.sparse === sparse && !/rmat|wiki|GrQc/.test(o.text));
    for (const name of SMALL_MATRICES) writeFileSync(join(caseDir, 'matrices', `${name}.mtx`), corpus.matrices.get(name)!);
    const workload = file('workload.yaml', sparse ? 'name: t\noperators:\n  - { name: s, kind: spmv, a: { mtx: matrices/cage4.mtx } }\n' : rng.pick(ops).text);
    return { id, label: `arch ${archName} mutated`, args: ['run', '-a', file('arch.yaml', mutate(corpus.archs.get(`${archName}.yaml`)!, rng)), '-w', workload, ...common] };
  }
  if (kind === 8) {
    // SCALE-Sim inputs.
    const cfgName = rng.pick([...corpus.configs.keys()]);
    const csvName = rng.pick([...corpus.topologies.keys()]);
    const cfg = rng.int(2) ? file('config.cfg', mutate(corpus.configs.get(cfgName)!, rng)) : join(ROOT, 'test/reference/scalesim/configs', cfgName);
    const csv = file('topology.csv', mutate(corpus.topologies.get(csvName)!, rng));
    return { id, label: `SCALE-Sim ${cfgName} × ${csvName}`, args: ['run', '-a', cfg, '-w', csv, ...common] };
  }
  // A mutated Matrix Market file under an SpMV or SpGEMM.
  const name = rng.pick(SMALL_MATRICES);
  let matrix = corpus.matrices.get(name)!;
  // Mutations near the header matter most: apply them to the first lines.
  const cut = matrix.indexOf('\n', matrix.indexOf('\n', 200) + 1);
  matrix = cut > 0 && rng.int(2) ? mutate(matrix.slice(0, cut), rng) + matrix.slice(cut) : mutate(matrix, rng);
  writeFileSync(join(caseDir, 'matrices', 'm.mtx'), matrix);
  const kernel = rng.pick(['spmv', 'bfs', 'spgemm, dataflow: row-wise', 'spgemm, dataflow: inner', 'pagerank, iterations: 3']);
  const workload = file('workload.yaml', `name: t\noperators:\n  - { name: s, kind: ${kernel}, a: { mtx: matrices/m.mtx } }\n`);
  return { id, label: `mtx ${name} mutated`, args: ['run', '-a', join(ROOT, 'arch', `${rng.pick(SPARSE_ARCHS)}.yaml`), '-w', workload, ...common] };
}
