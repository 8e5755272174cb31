// The command line (commander). Data goes to stdout, logs and errors to stderr. Bad input is an
// InputError: one clear message with file:line:col, exit code 2, never a stack trace.

import { Command, CommanderError, Option } from 'commander';
import { join, basename } from 'node:path';
import { presetNames, resolvePresetPath } from './presets.js';
import { registerSweepCommands } from './sweep-command.js';
import { addReportCommand } from './report-command.js';
import { renderValidation, validationRows } from './validate.js';
import { writeReport } from '../report/report-writer.js';
import { observationsFromResults } from '../report/charts/speedup.js';
import { InputError, formatIssue, didYouMean, inputError } from '../spec/errors.js';
import { FAMILIES, findFamily } from '../families/registry.js';
import { describeType, defaultText, SI_UNIT } from '../spec/params.js';
import { simulate, unsupportedOperator } from '../core/simulate.js';
import { operatorKindPosition } from '../spec/load-workload.js';
import type { ArchSpec, SimulateOptions, Workload } from '../core/types.js';
import { loadArchFile, loadWorkloadFile, readText, writeFileAtomic, displayName } from '../io/files.js';
import { OUTPUT_FORMATS, render, type OutputFormat } from '../report/reporters.js';
import { scaleSimConfigToYaml, scaleSimTopologyToYaml } from '../io/scalesim.js';
import { engineering } from '../report/units.js';
import { compare } from '../core/compare.js';
import { renderCompare, type CompareFormat } from '../report/compare-report.js';
import { parseFormatName } from '../sparsity/index.js';
import { addLimitOptions, applyLimitFlags, type LimitFlags } from './limits.js';
import { environmentErrorLine } from '../io/environment.js';
import { withPositions } from '../spec/positions.js';

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
  arch: string;
  workload: string;
  format: OutputFormat;
  out?: string;
  seed: number;
  quiet?: boolean;
  engine: SimulateOptions['engine'];
  convention: SimulateOptions['convention'];
  sparsityMode: SimulateOptions['sparsityMode'];
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
  const arch = loadArchFile(resolvePresetPath(flags.arch, 'arch'));
  const workload = loadWorkloadFile(resolvePresetPath(flags.workload, 'workloads'));
  checkSupported(arch, workload);
  const result = simulate(arch, workload, { engine: flags.engine, convention: flags.convention, seed: flags.seed, sparsityMode: flags.sparsityMode, budget });
  emit(render(result, flags.format), flags.out, flags.quiet);
  if (flags.report) {
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
  engine: SimulateOptions['engine'];
  sparsityMode: SimulateOptions['sparsityMode'];
  breakEven: boolean;
}

function fractionFlag(value: string, flag: string): number {
  const number = Number(value);
  if (!(number > 0 && number <= 1)) throw inputError({ file: '<command line>', keyPath: flag, message: `'${value}' is not a fraction`, expected: 'a number in (0, 1]' });
  return number;
}

async function compareCommand(flags: CompareFlags): Promise<void> {
  const started = performance.now();
  const budget = applyLimitFlags(flags);
  const archs = flags.arch.split(',').map((name) => loadArchFile(resolvePresetPath(name.trim(), 'arch')));
  const workload = loadWorkloadFile(resolvePresetPath(flags.workload, 'workloads'));
  for (const arch of archs) checkSupported(arch, workload);
  const formats = flags.formats.split(',').map((f) => f.trim()).filter(Boolean);
  formats.forEach((f, i) => parseFormatName(f, '<command line>', `--formats[${i}]`));
  if (flags.density && flags.sparsity) throw inputError({ file: '<command line>', keyPath: '--density', message: 'give either --density or --sparsity, not both' });
  const density = flags.density ? fractionFlag(flags.density, '--density') : flags.sparsity ? 1 - fractionFlag(flags.sparsity, '--sparsity') : 0.2;
  const blockSize = Number(flags.blockSize);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw inputError({ file: '<command line>', keyPath: '--block-size', message: `'${flags.blockSize}' is not a positive whole number` });
  const rows = compare({
    archs,
    workload,
    formats: formats.includes('dense') ? formats : ['dense', ...formats],
    density,
    blockSize,
    options: { seed: flags.seed, engine: flags.engine, sparsityMode: flags.sparsityMode, budget },
    breakEven: flags.breakEven,
  });
  emit(renderCompare(rows, flags.format), flags.out, flags.quiet);
  if (flags.report) {
    const speedup = {
      kind: 'speedup' as const,
      title: `Speedup vs dense: ${workload.name}`,
      context: `weights at density ${density} (N:M formats use their own density)`,
      observations: observationsFromResults(rows.map((row) => ({ result: row.result, format: row.format, sparsity: 1 - row.density, target: row.arch }))),
    };
    const inputs = [speedup, ...rows.map((row) => ({ kind: 'result' as const, result: row.result, label: `${row.arch} · ${row.format}` }))];
    const written = await writeReport(inputs, flags.report);
    if (!flags.quiet) process.stderr.write(`wrote report ${join(written.outDir, 'report.html')} (${written.files.length} files)\n`);
  }
  if (!flags.quiet) process.stderr.write(`compared ${archs.length} targets × ${formats.length} formats in ${engineering((performance.now() - started) / 1000, 's')}\n`);
}

function listCommand(): void {
  const lines = ['Families:'];
  for (const family of FAMILIES) lines.push(`  ${family.id.padEnd(12)} ${family.title}`);
  lines.push('', 'Architecture presets (arch/):');
  for (const name of presetNames('arch')) lines.push(`  ${name}`);
  lines.push('', 'Workloads (workloads/):');
  for (const name of presetNames('workloads')) lines.push(`  ${name}`);
  process.stdout.write(lines.join('\n') + '\n');
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

function describeCommand(target: string): void {
  if (findFamily(target)) {
    process.stdout.write(describeFamilyText(target));
    return;
  }
  const ids = [...FAMILIES.map((f) => f.id), ...presetNames('arch')];
  let path: string;
  try {
    path = resolvePresetPath(target, 'arch');
  } catch {
    throw inputError({ file: '<command line>', keyPath: 'describe', message: `'${target}' is neither a family nor an architecture preset`, expected: `one of ${ids.join(', ')}`, hint: didYouMean(target, ids) });
  }
  const arch = loadArchFile(path);
  const family = findFamily(arch.family)!;
  const lines = [`${arch.name} (${arch.family}) — ${displayName(path)}`];
  if (arch.description) lines.push(arch.description);
  if (arch.sources.length) lines.push('', 'Sources:', ...arch.sources.map((s) => `  - ${s}`));
  lines.push('', 'Resolved parameters:');
  for (const decl of family.params) {
    const value = arch.values[decl.key];
    const shown = decl.type === 'quantity' && decl.dimension === 'bytes' ? binaryBytes(value as number) : decl.type === 'quantity' && SI_UNIT[decl.dimension] ? engineering(value as number, SI_UNIT[decl.dimension], 4) : String(value);
    lines.push(`  ${decl.key.padEnd(34)} ${shown}`);
  }
  lines.push('', `Energy table: ${arch.energy.table}${Object.keys(arch.energy.overrides).length ? ` with overrides ${Object.keys(arch.energy.overrides).join(', ')}` : ''}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** Capacities read best in binary units when they are whole KiB/MiB/GiB. */
function binaryBytes(value: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (value >= size && Number.isInteger(value / size)) return `${value / size} ${unit}`;
  }
  return engineering(value, 'B', 4);
}

function importScaleSim(flags: { config?: string; topology?: string; outDir: string; quiet?: boolean }): void {
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

export function buildProgram(): Command {
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
    .requiredOption('-a, --arch <file>', 'architecture file (YAML/JSON, or a SCALE-Sim .cfg) or bundled preset name')
    .requiredOption('-w, --workload <file>', 'workload file (YAML/JSON, or a SCALE-Sim topology .csv) or bundled name')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('table'))
    .option('-o, --out <file>', 'write the output to a file (atomically) instead of stdout')
    .option('--seed <n>', 'seed for sparsity patterns and synthetic matrices', parseSeed, 1)
    .addOption(new Option('--engine <engine>', 'event-driven pipeline or analytical bound').choices(['event', 'analytical']).default('event'))
    .addOption(new Option('--convention <convention>', "counting convention: accsim's own or SCALE-Sim v2's").choices(['accsim', 'scalesim']).default('accsim'))
    .addOption(new Option('--sparsity-mode <mode>', 'statistical (fast) or concrete (generated masks)').choices(['statistical', 'concrete']).default('statistical'))
    .option('--report <dir>', 'also write an HTML/Markdown/CSV/PNG report to this folder')
    .option('-q, --quiet', 'no progress or log lines on stderr'))
    .action((flags: RunFlags) => runCommand(flags));

  addLimitOptions(program
    .command('compare')
    .description('Compare weight storage formats on one or more targets: time, bytes, energy, speedup vs dense, break-even density')
    .requiredOption('-a, --arch <files>', 'comma-separated architecture files or preset names')
    .requiredOption('-w, --workload <file>', 'workload file or bundled name')
    .option('--formats <list>', 'comma-separated weight formats (dense is always included)', 'dense,csr,bitmap,2:4,tiled-csl')
    .option('--density <d>', 'weight density for unstructured and block formats (default 0.2)')
    .option('--sparsity <s>', 'weight sparsity (fraction of zeros), the complement of --density')
    .option('--block-size <n>', 'block size for blocked-ell / bcsr', '4')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv', 'md']).default('table'))
    .option('-o, --out <file>', 'write the output to a file (atomically)')
    .option('--seed <n>', 'seed for sparsity patterns', parseSeed, 1)
    .addOption(new Option('--engine <engine>', 'event-driven pipeline or analytical bound').choices(['event', 'analytical']).default('event'))
    .addOption(new Option('--sparsity-mode <mode>', 'statistical (fast) or concrete (generated masks)').choices(['statistical', 'concrete']).default('statistical'))
    .option('--no-break-even', 'skip the break-even density search')
    .option('--report <dir>', 'also write an HTML/Markdown/CSV/PNG report (speedup chart and per-run charts)')
    .option('-q, --quiet', 'no progress or log lines on stderr'))
    .action((flags: CompareFlags) => compareCommand(flags));

  program
    .command('validate')
    .description('Run the bundled reference cases (SCALE-Sim v2 results, Flash-LLM, FlightLLM, SAT) and print accsim next to the reference numbers')
    .action(() => {
      const rows = validationRows();
      process.stdout.write(renderValidation(rows));
      if (!rows.every((r) => r.pass)) {
        process.stderr.write('accsim validate: some checks fail (FAIL rows above)\n');
        process.exitCode = 1;
      }
    });

  program.command('list').description('List families, architecture presets and workloads').action(listCommand);

  program
    .command('describe <target>')
    .description('Describe a family (parameters with units, defaults, descriptions) or a preset (resolved values, sources)')
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

  registerSweepCommands(program);
  addReportCommand(program);
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
