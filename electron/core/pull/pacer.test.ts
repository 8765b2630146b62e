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

test('a request that ended without an answer holds its place one window longer: it may still arrive', async () => {
  let now = 0;
  const pacer = new Pacer({ limit: 1, windowMs: 1000, now: () => now });
  (await pacer.acquire())(false);
  now = 1500;
  let granted = false;
  const next = pacer.acquire().then((done) => {
    granted = true;
    return done;
  });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(granted, false, 'not granted a window after the unanswered one ended');
  now = 2000;
  (await next)();
  assert.equal(granted, true);
});

test('a timer that fires before the window has passed by the pacer\'s clock does not let the next request go early', async () => {
  let now = 0;
  const pacer = new Pacer({ limit: 1, windowMs: 40, now: () => now });
  (await pacer.acquire())();
  let granted = false;
  const next = pacer.acquire().then((done) => {
    granted = true;
    return done;
  });
  // The clock lags the timers (as a loop's cached time can): 80 ms of them pass while it moves 25.
  now = 25;
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(granted, false, 'the window has not passed by the clock the pacer keeps');
  now = 40;
  (await next)();
  assert.equal(granted, true);
});
