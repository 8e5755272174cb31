// The command line (commander). Data goes to stdout, logs and errors to stderr. Bad input is an
// InputError: one clear message with file:line:col, exit code 2, never a stack trace.

import { Command, CommanderError, Option } from 'commander';
import { join, basename } from 'node:path';
import { findPreset, presetNames, resolvePresetPath } from './presets.js';
import { InputError, formatIssue, didYouMean, inputError } from '../spec/errors.js';
import { FAMILIES, findFamily } from '../families/registry.js';
import { describeType, defaultText, SI_UNIT } from '../spec/params.js';
import { simulate, unsupportedOperator } from '../core/simulate.js';
import { operatorKindPosition } from '../spec/load-workload.js';
import type { ArchSpec, SimulateOptions, Workload } from '../core/types.js';
import { loadArchFile, readText, writeFileAtomic, displayName } from '../io/files.js';
import { OUTPUT_FORMATS, render, type OutputFormat } from '../report/reporters.js';
import { engineering, significant, specValue } from '../report/units.js';
import type { CompareFormat } from '../report/compare-report.js';
import { describeArchJson, describeFamilyJson, describeWorkload, renderList, type CatalogFormat } from './catalog.js';
import { loadWithOverrides, SET_OPTION } from './overrides.js';
import { operatorProgress } from './run-progress.js';
import { importTimeloopCommand, loadTimeloopRun } from './timeloop-command.js';
import { addLimitOptions, applyLimitFlags, type LimitFlags } from './limits.js';
import { environmentErrorLine } from '../io/environment.js';
import { withPositions } from '../spec/positions.js';

// Start-up time matters for one-layer runs (a process used to spend ~0.1 s importing ~100
// modules): code that only some commands need (reports and charts, sweeps, compare, validation,
// SCALE-Sim import) is loaded with a dynamic import() inside the command's action, and the
// command groups declared in other files (sweep-command.ts, report-command.ts) are registered
// only when the command line names one of their commands or asks for help (see LAZY_GROUPS).
const VERSION = '0.1.0';

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw inputError({ file: '<command line>', keyPath: '--seed', message: `'${value}' is not a valid seed`, expected: 'a whole number from 0 to 4294967295' });
  }
  return seed;
}

interface RunFlags extends LimitFlags {
  report?: string;
  arch?: string;
  workload?: string;
  timeloop?: string[];
  format: OutputFormat;
  out?: string;
  seed: number;
  quiet?: boolean;
  set?: string[];
  engine: SimulateOptions['engine'];
  convention: SimulateOptions['convention'];
  sparsityMode: SimulateOptions['sparsityMode'];
  allowSpill?: boolean;
}

/** Every operator must be one the target's family can run; the error points at its `kind`. */
function checkSupported(arch: ArchSpec, workload: Workload): void {
  const family = findFamily(arch.family)!;
  workload.operators.forEach((op, index) => {
    if (!family.operatorKinds.includes(op.kind)) throw unsupportedOperator(family, arch, workload, index, operatorKindPosition(op));
  });
}

function emit(content: string, out: string | undefined, quiet: boolean | undefined): void {
  if (out) {
    writeFileAtomic(out, content);
    if (!quiet) process.stderr.write(`wrote ${out}\n`);
  } else {
    process.stdout.write(content);
  }
}

async function runCommand(flags: RunFlags): Promise<void> {
  const started = performance.now();
  const budget = applyLimitFlags(flags);
  if (!flags.timeloop && (!flags.arch || !flags.workload)) throw inputError({ file: '<command line>', keyPath: 'run', message: `missing required option ${flags.arch ? '--workload' : '--arch'}`, expected: '--arch FILE --workload FILE, or --timeloop FILE…' });
  const { arch, workload } = flags.timeloop ? loadTimeloopRun(flags.timeloop) : loadWithOverrides(resolvePresetPath(flags.arch!, 'arch'), resolvePresetPath(flags.workload!, 'workloads'), flags.set);
  checkSupported(arch, workload);
  const options: Partial<SimulateOptions> = { engine: flags.engine, convention: flags.convention, seed: flags.seed, sparsityMode: flags.sparsityMode, budget, ...(flags.allowSpill ? { allowSpill: true } : {}) };
  const result = simulate(arch, workload, options, new Map(), operatorProgress(flags.quiet));
  emit(render(result, flags.format), flags.out, flags.quiet);
  if (flags.report) {
    const { writeReport } = await import('../report/report-writer.js');
    const written = await writeReport([result], flags.report);
    if (!flags.quiet) process.stderr.write(`wrote report ${join(written.outDir, 'report.html')} (${written.files.length} files)\n`);
  }
  if (!flags.quiet) process.stderr.write(`simulated ${workload.operators.length} operators in ${engineering((performance.now() - started) / 1000, 's')}\n`);
}

interface CompareFlags extends LimitFlags {
  report?: string;
  arch: string;
  workload: string;
  formats: string;
  density?: string;
  sparsity?: string;
  blockSize: string;
  format: CompareFormat;
  out?: string;
  seed: number;
  quiet?: boolean;
  set?: string[];
  engine: SimulateOptions['engine'];
  sparsityMode: SimulateOptions['sparsityMode'];
  breakEven: boolean;
}

function fractionFlag(value: string, flag: string): number {
  const number = Number(value);
  if (!(number > 0 && number <= 1)) throw inputError({ file: '<command line>', keyPath: flag, message: `'${value}' is not a fraction`, expected: 'a number in (0, 1]' });
  return number;
}

/**
 * A fraction, a comma list of fractions, or a range `from..to:step` (inclusive, e.g. 0.5..0.95:0.05),
 * as given to --density or --sparsity.
 */
export function fractionListFlag(value: string, flag: string): number[] {
  const range = /^\s*([0-9.]+)\s*\.\.\s*([0-9.]+)\s*:\s*([0-9.]+)\s*$/.exec(value);
  if (!range) return value.split(',').map((v) => fractionFlag(v.trim(), flag));
  const [from, to] = [fractionFlag(range[1], flag), fractionFlag(range[2], flag)];
  const step = Number(range[3]);
  if (!(step > 0) || to < from) {
    throw inputError({ file: '<command line>', keyPath: flag, message: `'${value}' is not an increasing range`, expected: 'from..to:step with from <= to and step > 0, e.g. 0.5..0.95:0.05' });
  }
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  return Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(6)));
}

async function compareCommand(flags: CompareFlags): Promise<void> {
  const started = performance.now();
  const budget = applyLimitFlags(flags);
  const [{ compare }, { renderCompare }, { checkCompareFormat, complement, withWeightStorage }] = await Promise.all([import('../core/compare.js'), import('../report/compare-report.js'), import('./compare-flags.js')]);
  const loaded = flags.arch.split(',').map((name) => loadWithOverrides(resolvePresetPath(name.trim(), 'arch'), resolvePresetPath(flags.workload, 'workloads'), flags.set));
  const archs = loaded.map((l) => l.arch);
  const workload = loaded[0].workload;
  for (const arch of archs) checkSupported(arch, workload);
  const formats = flags.formats.split(',').map((f) => f.trim()).filter(Boolean);
  formats.forEach((f, i) => checkCompareFormat(f, i));
  if (flags.density && flags.sparsity) throw inputError({ file: '<command line>', keyPath: '--density', message: 'give either --density or --sparsity, not both' });
  const densities = flags.density
    ? fractionListFlag(flags.density, '--density')
    : flags.sparsity
      ? fractionListFlag(flags.sparsity, '--sparsity').map(complement)
      : [0.2];
  if (densities.some((d) => d <= 0)) throw inputError({ file: '<command line>', keyPath: '--sparsity', message: 'a sparsity of 1 leaves no weights', expected: 'sparsities below 1' });
  const density = densities[0];
  const blockSize = Number(flags.blockSize);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw inputError({ file: '<command line>', keyPath: '--block-size', message: `'${flags.blockSize}' is not a positive whole number` });
  const compared = compare({
    archs,
    workload,
    formats: formats.includes('dense') ? formats : ['dense', ...formats],
    density,
    densities,
    blockSize,
    options: { seed: flags.seed, engine: flags.engine, sparsityMode: flags.sparsityMode, budget },
    breakEven: flags.breakEven,
    onRun: operatorProgress(flags.quiet, process.stderr, 1000, 2000, { command: 'compare', unit: 'runs' }),
  });
  const rows = withWeightStorage(compared, workload, blockSize, { seed: flags.seed, sparsityMode: flags.sparsityMode });
  emit(renderCompare(rows, flags.format, density), flags.out, flags.quiet);
  if (flags.report) {
    const { writeReport } = await import('../report/report-writer.js');
    const written = await writeReport([{ kind: 'compare', rows, density, source: `accsim compare -a ${flags.arch} -w ${flags.workload}` }], flags.report);
    if (!flags.quiet) process.stderr.write(`wrote report ${join(written.outDir, 'report.html')} (${written.files.length} files)\n`);
  }
  if (!flags.quiet) process.stderr.write(`compared ${archs.length} targets × ${formats.length} formats in ${engineering((performance.now() - started) / 1000, 's')}\n`);
}

export function describeFamilyText(id: string): string {
  const family = findFamily(id);
  if (!family) throw new Error(`unknown family ${id}`);
  const lines = [`${family.id}: ${family.title}`, '', family.description, '', 'Parameters (YAML key: type; default; description):'];
  for (const decl of family.params) {
    const unit = decl.type === 'quantity' && SI_UNIT[decl.dimension] ? ` [${SI_UNIT[decl.dimension]}]` : '';
    lines.push(`  ${decl.key}${unit}: ${describeType(decl)}; ${defaultText(decl)}`);
    lines.push(`      ${decl.description}${decl.source ? ` (source: ${decl.source})` : ''}`);
  }
  lines.push('', `Operator kinds: ${family.operatorKinds.join(', ')}`, '', 'Statistics (per operator, in result.stats):');
  for (const stat of family.stats) lines.push(`  ${stat.key} [${stat.unit}]: ${stat.description}`);
  return lines.join('\n') + '\n';
}

function describeCommand(target: string, flags: { format: CatalogFormat }): void {
  const json = flags.format === 'json';
  if (findFamily(target)) {
    process.stdout.write(json ? describeFamilyJson(target) : describeFamilyText(target));
    return;
  }
  const ids = [...FAMILIES.map((f) => f.id), ...presetNames('arch'), ...presetNames('workloads')];
  const found = findPreset(target);
  if (!found) {
    throw inputError({ file: '<command line>', keyPath: 'describe', message: `'${target}' is neither a family, an architecture nor a workload`, expected: `one of ${ids.join(', ')}`, hint: didYouMean(target, ids) });
  }
  if (found.kind === 'workloads') {
    process.stdout.write(describeWorkload(found.path, flags.format));
    return;
  }
  const path = found.path;
  if (json) {
    process.stdout.write(describeArchJson(path));
    return;
  }
  const arch = loadArchFile(path);
  const family = findFamily(arch.family)!;
  const lines = [`${arch.name} (${arch.family}) — ${displayName(path)}`];
  if (arch.description) lines.push(arch.description);
  if (arch.sources.length) lines.push('', 'Sources:', ...arch.sources.map((s) => `  - ${s}`));
  lines.push('', 'Resolved parameters:');
  // Structured families (spatial) store values per level, e.g. storage[GLB].capacity for the declared storage[].capacity.
  const entries = family.resolveSpec ? Object.keys(arch.values).map((key) => ({ key, decl: family.params.find((d) => d.key === key.replace(/\[[^\]]*\]/, '[]')) })) : family.params.map((decl) => ({ key: decl.key, decl }));
  for (const { key, decl } of entries) {
    const value = arch.values[key];
    const shown = decl?.type === 'quantity' && SI_UNIT[decl.dimension] && typeof value === 'number' && Number.isFinite(value) ? specValue(value, SI_UNIT[decl.dimension]) : value === Infinity ? 'unbounded' : String(value);
    lines.push(`  ${key.padEnd(34)} ${shown}`);
  }
  const area = family.area?.(arch.values);
  if (area) lines.push('', `Area: ${significant(area.totalMm2, 3)} mm² (${Object.entries(area.components).map(([k, v]) => `${k} ${significant(v, 3)} mm²`).join(', ')}); ${area.note}`);
  const resources = family.resources?.(arch);
  if (resources) lines.push('', 'Device resources (used / available):', ...Object.values(resources).map((r) => `  ${r.label.padEnd(8)} ${String(r.used).padStart(9)} / ${String(r.available).padEnd(9)} ${r.available > 0 ? `${(100 * r.used / r.available).toFixed(1)} %` : '—'}${r.note ? `  ${r.note}` : ''}`));
  lines.push('', `Energy table: ${arch.energy.table}${Object.keys(arch.energy.overrides).length ? ` with overrides ${Object.keys(arch.energy.overrides).join(', ')}` : ''}`);
  process.stdout.write(lines.join('\n') + '\n');
}

async function importScaleSim(flags: { config?: string; topology?: string; outDir: string; quiet?: boolean }): Promise<void> {
  const { scaleSimConfigToYaml, scaleSimTopologyToYaml } = await import('../io/scalesim.js');
  if (!flags.config && !flags.topology) {
    throw inputError({ file: '<command line>', keyPath: 'import scalesim', message: 'nothing to import', expected: '--config FILE.cfg and/or --topology FILE.csv' });
  }
  const written: string[] = [];
  if (flags.config) {
    const file = displayName(flags.config);
    const yaml = scaleSimConfigToYaml(readText(flags.config, 'SCALE-Sim config'), file);
    const out = join(flags.outDir, basename(flags.config).replace(/\.cfg$/i, '') + '.yaml');
    writeFileAtomic(out, yaml);
    written.push(out);
  }
  if (flags.topology) {
    const file = displayName(flags.topology);
    const yaml = scaleSimTopologyToYaml(readText(flags.topology, 'SCALE-Sim topology'), file);
    const out = join(flags.outDir, basename(flags.topology).replace(/\.csv$/i, '') + '.yaml');
    writeFileAtomic(out, yaml);
    written.push(out);
  }
  if (!flags.quiet) process.stderr.write(written.map((w) => `wrote ${w}\n`).join(''));
}

/** Command groups declared in their own files, registered in this order after the commands above. */
const LAZY_GROUPS: ReadonlyArray<{ commands: readonly string[]; register: (program: Command) => Promise<unknown> }> = [
  { commands: ['sweep', 'sweep-reduce', 'merge', 'worker'], register: async (program) => (await import('./sweep-command.js')).registerSweepCommands(program) },
  { commands: ['report'], register: async (program) => (await import('./report-command.js')).addReportCommand(program) },
];

/**
 * The program with every command declared (for help and usage errors). Given the command name the
 * user typed, a command group from LAZY_GROUPS that doesn't contain it is left out, so that its
 * modules are never imported; an unknown or missing name registers them all.
 */
export async function buildProgram(commandName?: string): Promise<Command> {
  const program = new Command();
  program
    .name('accsim')
    .description('Hardware-accelerator simulator and cycle-level cost model for dense and sparse workloads')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  addLimitOptions(program
    .command('run')
    .description('Simulate a workload on an architecture and print per-operator and total results')
    .option('-a, --arch <file>', 'architecture file (YAML/JSON, or a SCALE-Sim .cfg) or bundled preset name')
    .option('-w, --workload <file>', 'workload file (YAML/JSON, or a SCALE-Sim topology .csv) or bundled name')
    .option('--timeloop <files...>', 'Timeloop inputs (architecture, problem, mapping, ERT; any order) instead of --arch/--workload')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('table'))
    .option('-o, --out <file>', 'write the output to a file (atomically) instead of stdout')
    .option('--seed <n>', 'seed for sparsity patterns and synthetic matrices', parseSeed, 1)
    .addOption(new Option('--engine <engine>', 'event-driven pipeline or analytical bound').choices(['event', 'analytical']).default('event'))
    .addOption(new Option('--convention <convention>', "counting convention: accsim's own or SCALE-Sim v2's").choices(['accsim', 'scalesim', 'timeloop']).default('accsim'))
    .addOption(new Option('--sparsity-mode <mode>', 'statistical (fast) or concrete (generated masks)').choices(['statistical', 'concrete']).default('statistical'))
    .option('--report <dir>', 'also write an HTML/Markdown/CSV/PNG report to this folder')
    .option('--allow-spill', 'LLM workloads that exceed device memory: stream the excess from the host instead of refusing')
    .option(...SET_OPTION)
    .option('-q, --quiet', 'no progress or log lines on stderr'))
    .action((flags: RunFlags) => runCommand(flags));

  addLimitOptions(program
    .command('compare')
    .description('Compare weight storage formats on one or more targets: time, bytes, energy, speedup vs dense, break-even density')
    .requiredOption('-a, --arch <files>', 'comma-separated architecture files or preset names')
    .requiredOption('-w, --workload <file>', 'workload file or bundled name')
    .option('--formats <list>', 'comma-separated weight formats (dense is always included)', 'dense,csr,bitmap,2:4,tiled-csl')
    .option('--density <d>', 'weight density for unstructured and block formats: a fraction, a list (0.1,0.2) or a range from..to:step (default 0.2)')
    .option('--sparsity <s>', 'weight sparsity (fraction of zeros), the complement of --density; a range such as 0.5..0.95:0.05 draws density curves')
    .option('--block-size <n>', 'block size for blocked-ell / bcsr', '4')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv', 'md']).default('table'))
    .option('-o, --out <file>', 'write the output to a file (atomically)')
    .option('--seed <n>', 'seed for sparsity patterns', parseSeed, 1)
    .addOption(new Option('--engine <engine>', 'event-driven pipeline or analytical bound').choices(['event', 'analytical']).default('event'))
    .addOption(new Option('--sparsity-mode <mode>', 'statistical (fast) or concrete (generated masks)').choices(['statistical', 'concrete']).default('statistical'))
    .option('--no-break-even', 'skip the break-even density search')
    .option('--report <dir>', 'also write an HTML/Markdown/CSV/PNG report (summary first, per-target detail collapsed)')
    .option(...SET_OPTION)
    .option('-q, --quiet', 'no progress or log lines on stderr'))
    .action((flags: CompareFlags) => compareCommand(flags));

  program
    .command('validate')
    .description('The accuracy table: every bundled reference case (SCALE-Sim v2 results, published A100 kernels, Flash-LLM, FlightLLM, SAT) with tag, source, reference, accsim, error and tolerance; exit 1 if any fails')
    .option('-f, --format <format>', 'output format: table, md, json', 'table')
    .action(async (flags: { format: string }) => {
      const { renderValidation, validationRows, VALIDATE_FORMATS } = await import('./validate.js');
      if (!(VALIDATE_FORMATS as readonly string[]).includes(flags.format)) {
        throw inputError({ file: '<command line>', keyPath: '--format', message: `unknown format '${flags.format}'`, expected: `one of ${VALIDATE_FORMATS.join(', ')}` });
      }
      const rows = validationRows();
      process.stdout.write(renderValidation(rows, flags.format as (typeof VALIDATE_FORMATS)[number]));
      if (!rows.every((r) => r.pass)) {
        process.stderr.write('accsim validate: some checks fail (FAIL rows above)\n');
        process.exitCode = 1;
      }
    });

  program
    .command('list')
    .description("List the families, each family's presets and the bundled workloads it can run")
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: CatalogFormat }) => {
      process.stdout.write(renderList(flags.format));
    });

  program
    .command('describe <target>')
    .description('Describe a family (parameters with units, defaults, descriptions), an architecture preset (resolved values, sources) or a workload (operators, which families run it)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(describeCommand);

  const importCommand = program.command('import').description('Convert other tools\' input files to accsim YAML');
  importCommand
    .command('scalesim')
    .description('Convert a SCALE-Sim v2 config (.cfg) and/or topology (.csv) to accsim YAML')
    .option('-c, --config <file>', 'SCALE-Sim .cfg file')
    .option('-t, --topology <file>', 'SCALE-Sim topology .csv file')
    .option('-d, --out-dir <dir>', 'where to write the YAML files', '.')
    .option('-q, --quiet', 'no log lines')
    .action(importScaleSim);
  importCommand
    .command('timeloop <files...>')
    .description('Convert Timeloop inputs (architecture, problem, mapping, ERT; v0.3/v0.4; any order) to spatial-family YAML')
    .option('-d, --out-dir <dir>', 'where to write the YAML files', '.')
    .option('-q, --quiet', 'no log lines')
    .action(importTimeloopCommand);

  const known = program.commands.some((command) => command.name() === commandName) || LAZY_GROUPS.some((group) => group.commands.includes(commandName!));
  for (const group of LAZY_GROUPS) {
    if (!known || group.commands.includes(commandName!)) await group.register(program);
  }
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2).find((arg) => !arg.startsWith('-')));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(withPositions(error).issues.map(formatIssue).join('\n') + '\n');
      return 2;
    }
    if (error instanceof CommanderError) {
      // Help and version requests exit 0; usage errors (already printed by commander) exit 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    const environment = environmentErrorLine(error);
    if (environment) {
      // The environment, not accsim: a file that cannot be written, a full disk, no Redis.
      process.stderr.write(`${environment}\n`);
      return 2;
    }
    process.stderr.write(`accsim: internal error: ${(error as Error).message}\n`);
    if (process.env.ACCSIM_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
