// Progress of a long single run or compare on stderr: nothing for the first second (most runs are done by
// then), then one line per operator (or compare run) at most every two seconds, and nothing with --quiet.

import { engineering } from '../report/units.js';

export function operatorProgress(quiet: boolean | undefined, stream: { write(text: string): unknown } = process.stderr, delayMs = 1000, intervalMs = 2000, what: { command: string; unit: string } = { command: 'run', unit: 'operators' }): ((done: number, total: number, name: string) => void) | undefined {
  if (quiet) return undefined;
  const started = Date.now();
  let last = started + delayMs - intervalMs;
  return (done, total, name) => {
    const now = Date.now();
    if (now - started < delayMs || now - last < intervalMs || done === total) return;
    last = now;
    stream.write(`${what.command}: ${done}/${total} ${what.unit} (last: ${name}), ${engineering((now - started) / 1000, 's')}\n`);
  };
}
