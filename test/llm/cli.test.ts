// The done-when commands, through the built CLI (`npx tsc` first).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

const accsim = (args: string[]) => {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'accsim.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe('accsim run on LLM workloads', () => {
  it('prints tokens/s and J/token for a FlightLLM decode step', () => {
    const run = accsim(['run', '-a', 'u280-flightllm', '-w', 'llama2-7b-fpga-decode-int8', '-q']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tokens\/s \S+ tok\/s total/);
    expect(run.stdout).toMatch(/mJ\/token/);
  });

  it('prints TTFT, TPOT, tokens/s and the phases of a LLaMA-2-7B generation on an A100', () => {
    const run = accsim(['run', '-a', 'a100', '-w', 'llm/llama2-7b-generation-b8', '-q']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/TTFT \S+ ms, TPOT \S+ ms/);
    expect(run.stdout).toMatch(/phase prefill: .*8 tokens/);
    expect(run.stdout).toMatch(/phase decode: .*1016 tokens/);
  });

  it('refuses OPT-175B FP16 on one A100 with a one-line error and exit code 2', () => {
    const run = accsim(['run', '-a', 'a100', '-w', 'llm/opt-175b-decode-fp16-1gpu']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^workloads\/llm\/opt-175b-decode-fp16-1gpu\.yaml:6:10: error: serving: .*short by 292\.\d\d GB/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('carries the serving metrics in JSON', () => {
    const json = JSON.parse(accsim(['run', '-a', 'u280-flightllm', '-w', 'llama2-7b-fpga-decode-int8', '-f', 'json', '-q']).stdout);
    expect(json.serving.tokensPerSecond).toBeCloseTo(1 / json.total.seconds, 6);
    expect(json.serving.batch).toBe(1);
    expect(json.serving.contextTokens).toBe(512);
  });
});
