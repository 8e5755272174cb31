// The options that bound what a run may do: the work and memory budget (src/core/budget.ts) and
// the extra directories spec files may read (src/io/confine.ts). Shared by run, compare and sweep.

import type { Command } from 'commander';
import { DEFAULT_BUDGET, parseBudgetFlag, short, type Budget } from '../core/budget.js';
import { allowPathRoots } from '../io/confine.js';

export interface LimitFlags {
  maxWork?: string;
  maxMemory?: string;
  allowPath?: string[];
}

export function addLimitOptions(command: Command): Command {
  return command
    .option('--max-work <units>', `refuse operators estimated to need more work units than this (default ${short(DEFAULT_BUDGET.maxWork)}, about seconds per operator)`)
    .option('--max-memory <size>', `refuse operators estimated to allocate more than this (default ${DEFAULT_BUDGET.maxMemoryBytes / 2 ** 30}GiB)`)
    .option('--allow-path <dir>', "let spec files read matrix and mask files under DIR too (repeatable; by default only below the spec's own directory)", (dir: string, previous: string[] = []) => [...previous, dir]);
}

/** Applies --allow-path and returns the budget the flags ask for. */
export function applyLimitFlags(flags: LimitFlags): Budget {
  if (flags.allowPath) allowPathRoots(flags.allowPath);
  return {
    maxWork: flags.maxWork === undefined ? DEFAULT_BUDGET.maxWork : parseBudgetFlag(flags.maxWork, '--max-work'),
    maxMemoryBytes: flags.maxMemory === undefined ? DEFAULT_BUDGET.maxMemoryBytes : parseBudgetFlag(flags.maxMemory, '--max-memory'),
  };
}
