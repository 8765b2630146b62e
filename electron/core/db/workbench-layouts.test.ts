import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from './open-case.ts';
import { layoutStore } from './workbench-layouts.ts';

test('a saved layout comes back; a hostile one in the case gives only well-formed positions', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-layouts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openCase(join(dir, 'x.case'));
  t.after(() => db.close());
  const store = layoutStore(db);
  store.save('graph:a', { 'sg-1': { x: 1, y: 2 } });
  assert.deepEqual({ ...store.load('graph:a') }, { 'sg-1': { x: 1, y: 2 } });
  assert.equal(store.load('graph:none'), null);

  const put = (key: string, text: string) => db.prepare('INSERT INTO workbench_layouts (key, positions, updated_at) VALUES (?, ?, 0)').run(key, text);
  put('graph:junk', 'not json');
  put('graph:array', '[1,2]');
  put('graph:mixed', JSON.stringify({ ok: { x: 3, y: 4 }, str: { x: '1', y: 2 }, nul: null, __proto__: { x: 1, y: 1 }, inf: { x: 1e400, y: 0 } }));
  assert.equal(store.load('graph:junk'), null);
  assert.equal(store.load('graph:array'), null);
  assert.deepEqual({ ...store.load('graph:mixed') }, { ok: { x: 3, y: 4 } });
});
