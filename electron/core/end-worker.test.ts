// Ending a worker: one that listens is asked and exits on its own; one that cannot listen is left to
// get past its start before it is terminated; one that does neither is terminated after the grace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { endWorker, exitOf } from './end-worker.ts';

/** A worker from inline code, with its exit code and the messages it sent. */
function start(code: string): { worker: Worker; exited: Promise<void>; code: Promise<number>; messages: unknown[] } {
  const worker = new Worker(code, { eval: true });
  const messages: unknown[] = [];
  worker.on('message', (m) => messages.push(m));
  const exited = exitOf(worker);
  return { worker, exited, code: new Promise((resolve) => worker.once('exit', resolve)), messages };
}

test('a worker that listens is asked to stop and exits by itself, not terminated', async () => {
  const w = start(`const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => { if (m === 'stop') { parentPort.postMessage('stopping'); process.exit(7); } });`);
  await endWorker(w.worker, { exited: w.exited, ask: 'stop', graceMs: 10_000 });
  assert.equal(await w.code, 7);
  assert.deepEqual(w.messages, ['stopping']);
});

test('a worker that cannot listen is terminated only once past its start', async () => {
  // It blocks for 300 ms (as a native module's load does), says it has started, then runs forever.
  const w = start(`const { parentPort } = require('node:worker_threads');
    const until = Date.now() + 300; while (Date.now() < until);
    parentPort.postMessage('started');
    setInterval(() => {}, 1000);`);
  const started = new Promise<void>((resolve) => w.worker.once('message', () => resolve()));
  const t = performance.now();
  await endWorker(w.worker, { exited: w.exited, started, graceMs: 10_000 });
  assert.ok(performance.now() - t >= 250, 'waited for the start');
  assert.deepEqual(w.messages, ['started']);
  assert.equal(await w.code, 1, 'terminated');
});

test('a worker that neither stops nor starts is terminated after the grace', async () => {
  const w = start(`setInterval(() => {}, 1000);`);
  const t = performance.now();
  await endWorker(w.worker, { exited: w.exited, ask: 'stop', graceMs: 200 });
  assert.ok(performance.now() - t >= 190);
  assert.equal(await w.code, 1);
});

test('a worker already gone is ended at once', async () => {
  const w = start(`process.exit(0)`);
  await w.exited;
  const t = performance.now();
  await endWorker(w.worker, { exited: w.exited, ask: 'stop', graceMs: 10_000 });
  assert.ok(performance.now() - t < 1000);
});
