import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

const names = async (command?: string) => (await buildProgram(command)).commands.map((c) => c.name());

describe('lazily registered command groups', () => {
  it('leaves the sweep and report groups out of a run', async () => {
    const commands = await names('run');
    expect(commands).toContain('run');
    expect(commands).not.toContain('sweep');
    expect(commands).not.toContain('report');
  });

  it('registers only the group that holds the named command', async () => {
    const commands = await names('sweep-reduce');
    expect(commands).toEqual(expect.arrayContaining(['sweep', 'sweep-reduce', 'merge', 'worker']));
    expect(commands).not.toContain('report');
  });

  it('registers every group for help and for unknown names (so did-you-mean sees them all)', async () => {
    for (const command of [undefined, 'help', 'swep']) {
      expect(await names(command)).toEqual(expect.arrayContaining(['run', 'compare', 'sweep', 'merge', 'report']));
    }
  });
});
