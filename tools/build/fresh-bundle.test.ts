// bin/fresh-bundle.js decides whether `trailscope` runs the built bundle or the sources: only a
// bundle no listed source is newer than. Checked on a folder of its own under dist/ with a written
// build-info.json, so no real source's time is touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshBundle, ROOT } from '../../bin/fresh-bundle.js';

const folder = `test-fresh-${process.pid}`;
const dir = join(ROOT, 'dist', folder);

function bundle(info: unknown, withEntry = true): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (withEntry) writeFileSync(join(dir, 'entry.mjs'), 'export {};\n');
  if (info !== undefined) writeFileSync(join(dir, 'build-info.json'), JSON.stringify(info));
}

test('a bundle runs only while no source it was built from has changed since', (t) => {
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sources = ['package.json', 'electron/cli/main.ts'];
  const newest = Math.max(...sources.map((f) => statSync(join(ROOT, f)).mtimeMs));

  bundle({ builtAt: newest + 1, inputs: sources });
  assert.equal(freshBundle(folder, 'entry.mjs'), join(dir, 'entry.mjs'));

  bundle({ builtAt: newest - 1, inputs: sources });
  assert.equal(freshBundle(folder, 'entry.mjs'), null, 'a source edited after the build');

  bundle({ builtAt: newest + 1, inputs: [...sources, 'electron/cli/gone.ts'] });
  assert.equal(freshBundle(folder, 'entry.mjs'), null, 'a source that no longer exists');

  bundle(undefined);
  assert.equal(freshBundle(folder, 'entry.mjs'), null, 'no build-info.json: a build in progress or never finished');

  bundle({ builtAt: newest + 1, inputs: sources }, false);
  assert.equal(freshBundle(folder, 'entry.mjs'), null, 'no entry file');

  bundle({ builtAt: 'yesterday', inputs: sources });
  assert.equal(freshBundle(folder, 'entry.mjs'), null, 'a malformed build-info.json');
});
