// Queue mode on a real Redis (127.0.0.1, random free port, no persistence): two `accsim worker`
// child processes, one killed with SIGKILL in the middle of a job; BullMQ's stalled-job recovery
// hands that job to the other worker, and the sweep ends with every point exactly once and a
// file identical to a --jobs 1 run. Every wait is bounded; Redis is always shut down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { BERT, EDGE, ensureBuilt, removeScratch, scratch, spawnCli, waitFor } from './helpers.js';
import { runSweep } from '../../src/sweep/run.js';
import type { SweepPoint } from '../../src/sweep/types.js';

const REDIS = '/usr/bin/redis-server';
const hasRedis = existsSync(REDIS);
if (!hasRedis) console.warn(`queue tests skipped: ${REDIS} is not installed (apt-get install redis-server)`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
  });
}

function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

interface WorkerProcess {
  child: ChildProcess;
  log: string;
}

function startWorker(url: string, queueName: string): WorkerProcess {
  // Short lock and stalled-check times so the dead worker's job is recovered within seconds;
  // 40 ms per point keeps jobs long enough to be killed in the middle of one.
  const child = spawnCli(['worker', '--queue', url, '--queue-name', queueName, '--lock-duration', '1000', '--stalled-interval', '500', '--point-delay', '40']);
  const worker: WorkerProcess = { child, log: '' };
  child.stderr!.on('data', (d) => (worker.log += d));
  child.stdout!.resume();
  return worker;
}

describe.skipIf(!hasRedis)('sweep through a BullMQ queue', () => {
  let redis: ChildProcess | undefined;
  let url = '';
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (Date.now() > deadline || redis.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w.child, 'SIGTERM', 5000)));
    await stopProcess(redis, 'SIGTERM', 5000);
    removeScratch();
  }, 30_000);

  it('survives a worker killed mid-job: every point once, identical to --jobs 1', async () => {
    const sets = ['compute.rows=8..64:8', 'compute.cols=16,32,64', 'compute.dataflow=ws,os,bogus'];
    const total = 8 * 3 * 3;
    const reference = join(scratch(), 'reference');
    await runSweep({ arch: EDGE, workloads: [BERT], sets, quiet: true, jobs: 1, out: reference });

    const queueName = `accsim-test-${process.pid}`;
    const [a, b] = [startWorker(url, queueName), startWorker(url, queueName)];
    workers.push(a, b);
    await waitFor(() => a.log.includes('worker ready') && b.log.includes('worker ready'), 20_000, 'both workers ready');

    const dir = join(scratch(), 'queued');
    const logs: string[] = [];
    const sweeping = runSweep({ arch: EDGE, workloads: [BERT], sets, queue: url, queueName, batchSize: 6, progress: 'none', log: (line) => logs.push(line), out: dir });
    const guard = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`queued sweep did not finish in 45 s; log: ${logs.join(' | ')}`)), 45_000));

    // Kill worker A right after it starts its second job (6 points × 40 ms: it is mid-job).
    let killedJob = '';
    await Promise.race([
      guard,
      waitFor(
        () => {
          const started = [...a.log.matchAll(/job (\S+) started/g)].map((m) => m[1]);
          const done = [...a.log.matchAll(/job (\S+) done/g)].map((m) => m[1]);
          if (done.length >= 1 && started.length > done.length) {
            killedJob = started[started.length - 1];
            a.child.kill('SIGKILL');
            return true;
          }
          return false;
        },
        20_000,
        'worker A to start a second job',
      ),
    ]);
    expect(killedJob).toMatch(/-all-b6-\d+$/);

    const summary = await Promise.race([sweeping, guard]);
    expect(summary).toMatchObject({ points: total, computed: total, ok: 2 * total / 3, error: total / 3 });
    // BullMQ's stalled-job check moved the dead worker's job back; worker B ran it.
    expect(b.log).toContain(`job ${killedJob} started`);
    // (A may have logged the job as done just before the kill, but it never reported it:
    // its result was lost with it, and B's run of the job is the one that counted.)

    const text = readFileSync(join(dir, 'points.jsonl'), 'utf8');
    const indices = text.trim().split('\n').map((line) => (JSON.parse(line) as SweepPoint).index);
    expect(indices).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(text).toBe(readFileSync(join(reference, 'points.jsonl'), 'utf8'));
  }, 90_000);

  it('a worker exits cleanly on the first SIGTERM, releasing its job to another worker at once', async () => {
    const queueName = `accsim-term-${process.pid}`;
    // Default 30 s lock: without the release, the job would stay locked by the stopped worker
    // far longer than this test waits.
    const spawnWorker = (): WorkerProcess => {
      const child = spawnCli(['worker', '--queue', url, '--queue-name', queueName, '--point-delay', '150']);
      const worker: WorkerProcess = { child, log: '' };
      child.stderr!.on('data', (d) => (worker.log += d));
      child.stdout!.resume();
      workers.push(worker);
      return worker;
    };
    const first = spawnWorker();
    await waitFor(() => first.log.includes('worker ready'), 20_000, 'the first worker ready');
    const sets = ['compute.rows=8..64:8'];
    const dir = join(scratch(), 'term');
    const sweeping = runSweep({ arch: EDGE, workloads: [BERT], sets, queue: url, queueName, batchSize: 8, progress: 'none', log: () => undefined, out: dir });
    await waitFor(() => /job \S+ started/.test(first.log), 20_000, 'the first worker to start the job');
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(first.log).toMatch(/job \S+ released \(stopping\)/);
    expect(first.log).toContain('worker stopped');

    const second = spawnWorker();
    const guard = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`released job not picked up; second worker log: ${second.log}`)), 20_000));
    const summary = await Promise.race([sweeping, guard]);
    expect(summary).toMatchObject({ points: 8, computed: 8 });
  }, 90_000);
});

describe('queue mode without Redis', () => {
  it.each([
    ['sweep', ['sweep', '-a', EDGE, '-w', BERT, '--set', 'compute.rows=8,16', '-q']],
    ['worker', ['worker', '-q']],
  ])('%s fails within seconds with one clear line and exit 2', async (_name, args) => {
    const port = await freePort(); // nothing listens there
    const out = join(scratch(), `no-redis-${_name}`);
    const child = spawnCli([...args, '--queue', `redis://127.0.0.1:${port}`, ...(_name === 'sweep' ? ['-o', out] : [])]);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.resume();
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 15_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stderr.trim()).toMatch(new RegExp(`^<command line>: error: --queue: cannot reach Redis at 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`));
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false); // nothing written before Redis was found
  }, 30_000);
});

