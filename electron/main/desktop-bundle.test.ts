// The desktop app runs esbuild bundles (dist/electron/*.cjs), not the TypeScript sources. Electron's
// binary cannot be downloaded here, but its Node runs the same CommonJS: run the bundled import worker
// in plain Node and check that an import lands in a case, through the bundled reader worker too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openCase } from '../core/db/open-case.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const STRATUS = join(ROOT, '../shared/data/real/stratus-red-team');

test('the bundled import worker ingests files into a case (the desktop app path)', { timeout: 120_000 }, async (t) => {
  execFileSync(process.execPath, [join(ROOT, 'electron/main/build.js')], { cwd: ROOT, stdio: 'pipe' });
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
