// The desktop app runs esbuild bundles (dist/electron/*.cjs), not the TypeScript sources. Electron's
// binary cannot be downloaded here, but its Node runs the same CommonJS: run the bundled import worker
// in plain Node and check that an import lands in a case, through the bundled reader worker too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openCase } from '../core/db/open-case.ts';
import { buildFakeAccount } from '../core/pull/fake-aws/account.ts';
import { startFakeAws } from '../core/pull/fake-aws/server.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const STRATUS = join(ROOT, '../shared/data/real/stratus-red-team');

before(() => {
  execFileSync(process.execPath, [join(ROOT, 'electron/main/build.js')], { cwd: ROOT, stdio: 'pipe' });
});

test('the bundled import worker ingests files into a case (the desktop app path)', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'desktop.case');
  openCase(casePath).close();

  // No tsx here: the bundle must stand on its own, as it does inside Electron.
  const worker = new Worker(join(ROOT, 'dist/electron/import-worker.cjs'), { workerData: { casePath, paths: [STRATUS] }, execArgv: [] });
  const outcome = await new Promise<{ type: string; summary?: { events: number }; error?: string }>((resolve, reject) => {
    worker.on('message', (m: { type: string }) => {
      if (m.type !== 'progress') resolve(m);
    });
    worker.on('error', reject);
  });
  await worker.terminate();
  assert.equal(outcome.type, 'done', outcome.error);
  assert.equal(outcome.summary?.events, 310);
  const db = openCase(casePath, { readonly: true });
  t.after(() => db.close());
  assert.equal((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 310);
});

test('the bundled pull worker pulls an account into a case with the AWS SDK bundled in', { timeout: 120_000 }, async (t) => {
  const until = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
  const since = new Date(until.getTime() - 86_400_000);
  const aws = await startFakeAws(buildFakeAccount({ start: since, end: until, eventsPerRegion: 30, flowsPerRegion: 10, regions: ['us-east-1'] }));
  t.after(() => aws.close());
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-bundle-pull-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'pulled.case');
  openCase(casePath).close();
  // The standard credential chain reads the environment, as it would inside the desktop app.
  const env = { ...process.env, AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'AKIABUNDLETEST000001', AWS_SECRET_ACCESS_KEY: 'bundleTestSecret000000000000000000000000', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '' };
  const worker = new Worker(join(ROOT, 'dist/electron/pull-worker.cjs'), {
    workerData: { casePath, regions: ['us-east-1'], since: since.toISOString(), until: until.toISOString(), what: ['cloudtrail', 'flows', 'config'] },
    execArgv: [],
    env,
  });
  const outcome = await new Promise<{ type: string; report?: { account: string; collectors: { status: string }[] }; error?: string }>((resolve, reject) => {
    worker.on('message', (m: { type: string }) => {
      if (m.type !== 'progress') resolve(m);
    });
    worker.on('error', reject);
  });
  await worker.terminate();
  assert.equal(outcome.type, 'done', outcome.error);
  assert.equal(outcome.report?.account, '111122223333');
  assert.deepEqual(outcome.report?.collectors.filter((c) => c.status !== 'done'), []);
  const db = openCase(casePath, { readonly: true });
  t.after(() => db.close());
  assert.equal((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 30);
});
