// The `trailscope` command and the desktop app run esbuild bundles, not the TypeScript sources. Each
// target is built here into a folder of its own under dist/ (the real dist/cli may be in use by tests
// that spawn the CLI), then run the way users run it, with no tsx anywhere: the CLI bundle ingests
// through its bundled reader workers, and the desktop's bundled import and pull workers fill a case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Metafile } from 'esbuild';
import { buildBundle, ROOT } from './bundles.ts';
import { openCase } from '../../electron/core/db/open-case.ts';
import { buildFakeAccount } from '../../test-support/fake-aws/account.ts';
import { startFakeAws } from '../../test-support/fake-aws/server.ts';
import { realSample } from '../../test-support/real-data.ts';

const STRATUS = realSample('stratus-red-team');
const built: { cli?: { outdir: string; metafile: Metafile }; desktop?: { outdir: string } } = {};

before(async () => {
  built.cli = await buildBundle('cli', `dist/test-cli-${process.pid}`);
  built.desktop = await buildBundle('desktop', `dist/test-desktop-${process.pid}`);
});
after(() => {
  for (const b of [built.cli, built.desktop]) if (b) rmSync(b.outdir, { recursive: true, force: true });
});

/** Runs the bundled CLI as bin/trailscope.js does, in a plain Node process. */
function cli(args: string[]): string {
  const runner = join(built.cli!.outdir, 'run.mjs');
  writeFileSync(runner, "import { main } from './trailscope.mjs';\nawait main();\n");
  return execFileSync(process.execPath, [runner, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('the bundled command ingests through its bundled reader workers, then answers queries', { timeout: 120_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-cli-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'bundle.case');
  const out = cli(['ingest', '--case', casePath, STRATUS]);
  assert.match(out, /Stored 310 new events/);
  assert.match(cli(['info', '--case', casePath]), /events\s+310\b/);
  assert.match(cli(['--help']), /who-changed/);
});

test('the AWS SDK is loaded only by a pull: the command starts without it', () => {
  // Follow the static imports from the entry: everything a `trailscope --help` evaluates.
  const { outputs } = built.cli!.metafile;
  const entry = Object.keys(outputs).find((o) => o.endsWith('/trailscope.mjs'))!;
  const seen = new Set<string>();
  const visit = (o: string): void => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of outputs[o].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(entry);
  const inputs = [...seen].flatMap((o) => Object.keys(outputs[o].inputs));
  assert.ok(inputs.some((i) => i.includes('electron/cli/main.ts')), 'the walk found the command itself');
  assert.deepEqual(inputs.filter((i) => /@aws-sdk\/client-|credential-provider/.test(i)), []);
  // …and a pull does reach it, through a chunk loaded on demand.
  assert.ok(Object.values(outputs).some((o) => Object.keys(o.inputs).some((i) => i.includes('@aws-sdk/client-ec2'))));
});

test('the bundled desktop import worker ingests files into a case', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-desktop-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'desktop.case');
  openCase(casePath).close();
  // No tsx here: the bundle must stand on its own, as it does inside Electron (whose Node runs the same CommonJS).
  const worker = new Worker(join(built.desktop!.outdir, 'import-worker.cjs'), { workerData: { casePath, paths: [STRATUS] }, execArgv: [] });
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

test('the bundled desktop pull worker pulls an account into a case with the AWS SDK bundled in', { timeout: 120_000 }, async (t) => {
  const until = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
  const since = new Date(until.getTime() - 86_400_000);
  const aws = await startFakeAws(buildFakeAccount({ start: since, end: until, eventsPerRegion: 30, flowsPerRegion: 10, regions: ['us-east-1'] }));
  t.after(() => aws.close());
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-desktop-pull-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'pulled.case');
  openCase(casePath).close();
  // The standard credential chain reads the environment, as it would inside the desktop app.
  const env = { ...process.env, AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'AKIABUNDLETEST000001', AWS_SECRET_ACCESS_KEY: 'bundleTestSecret000000000000000000000000', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '' };
  const worker = new Worker(join(built.desktop!.outdir, 'pull-worker.cjs'), {
    workerData: { casePath, regions: ['us-east-1'], since: since.toISOString(), until: until.toISOString(), what: ['cloudtrail', 'flows', 'config'] },
    execArgv: [],
    env,
  });
  const outcome = await new Promise<{ type: string; report?: { account: string; collectors: { status: string }[] }; error?: string }>((resolve, reject) => {
    worker.on('message', (m: { type: string }) => {
      if (m.type !== 'event') resolve(m);
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

test('build-info.json lists the project files each bundle was built from', () => {
  const { metafile } = built.cli!;
  const own = Object.keys(metafile.inputs).filter((i) => i.startsWith('electron/'));
  assert.ok(own.length > 50);
  const info = JSON.parse(readFileSync(join(built.cli!.outdir, 'build-info.json'), 'utf8'));
  for (const i of own) assert.ok(info.inputs.includes(relative(ROOT, join(ROOT, i))), `${i} is listed`);
  assert.ok(info.inputs.includes('package.json'));
  assert.ok(!info.inputs.some((i: string) => i.includes('node_modules') || i.includes(':')));
});
