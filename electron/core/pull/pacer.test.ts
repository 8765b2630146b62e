import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer } from './pacer.ts';

test('the pacer never lets a third request start within a second of the first one finishing', async () => {
  const pacer = new Pacer({ limit: 2, windowMs: 200 });
  const starts: number[] = [];
  const finishes: number[] = [];
  for (let i = 0; i < 6; i++) {
    const done = await pacer.acquire();
    starts.push(performance.now());
    await new Promise((r) => setTimeout(r, 5));
    finishes.push(performance.now());
    done();
  }
  for (let i = 2; i < starts.length; i++) assert.ok(starts[i] - finishes[i - 2] >= 199, `request ${i} waited for the window`);
  assert.equal(pacer.granted, 6);
});

test('an aborted wait rejects and does not block later callers', async () => {
  const pacer = new Pacer({ limit: 1, windowMs: 10_000 });
  (await pacer.acquire())();
  const controller = new AbortController();
  const waiting = pacer.acquire(controller.signal);
  controller.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
});
