// Long single runs report progress on stderr after the first second; --quiet silences it.
import { describe, expect, it, vi } from 'vitest';
import { operatorProgress } from '../../src/cli/run-progress.js';

describe('operatorProgress', () => {
  it('stays silent for short runs and with --quiet, then prints a line per interval', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const stream = { write: (t: string) => lines.push(t) };
    expect(operatorProgress(true, stream)).toBeUndefined();
    const hook = operatorProgress(false, stream, 1000, 2000)!;
    hook(1, 10, 'a'); // before the first second
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1500);
    hook(2, 10, 'b');
    vi.advanceTimersByTime(500);
    hook(3, 10, 'c'); // within the interval: no line
    vi.advanceTimersByTime(2000);
    hook(4, 10, 'd');
    hook(10, 10, 'z'); // the last operator: the command prints its own summary
    expect(lines).toEqual(['run: 2/10 operators (last: b), 1.50 s\n', 'run: 4/10 operators (last: d), 4.00 s\n']);
    vi.useRealTimers();
  });
});
