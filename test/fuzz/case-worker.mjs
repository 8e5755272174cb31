// Worker thread of the fuzz suite: runs cases through the compiled CLI's in-process entry point
// (dist/src/cli/main.js) with stdout and stderr captured, one at a time. The main thread times
// each case and terminates this worker if one runs past the limit (synchronous code cannot be
// interrupted from inside).
import { parentPort } from 'node:worker_threads';

const { main } = await import(new URL('../../dist/src/cli/main.js', import.meta.url).href);
// Load mathjs now (1–2 s, more on a loaded machine): a case's time limit is for the case itself.
const { evaluateExpression } = await import(new URL('../../dist/src/spec/quantity.js', import.meta.url).href);
evaluateExpression('8 B * 90 MHz', new Map());

parentPort.on('message', async ({ id, args }) => {
  const out = [];
  const err = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = (chunk) => (out.push(String(chunk)), true);
  process.stderr.write = (chunk) => (err.push(String(chunk)), true);
  process.exitCode = undefined;
  const started = performance.now();
  let code;
  try {
    code = await main(['node', 'accsim', ...args]);
  } catch (error) {
    code = 1;
    err.push(`uncaught: ${error?.stack ?? error}`);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = undefined;
  }
  parentPort.postMessage({ id, code, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - started, heapUsed: process.memoryUsage().heapUsed });
});
parentPort.postMessage({ ready: true });
