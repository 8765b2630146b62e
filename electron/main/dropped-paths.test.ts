// Paths dropped on the desktop window are checked in main before an import starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateDroppedPaths } from './dropped-paths.ts';

test('dropped files and folders pass; relative, missing, NUL-laden or malformed lists are refused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-drop-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'trail.json');
  writeFileSync(file, '{"Records":[]}');
  assert.deepEqual(validateDroppedPaths([file, dir, `${dir}/./trail.json`]), { ok: true, value: [file, dir] });
  for (const bad of [[], ['relative/trail.json'], [join(dir, 'missing.json')], [`${file}\0.txt`], 'not-a-list', [42], null]) {
    const r = validateDroppedPaths(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
  }
  assert.equal((validateDroppedPaths([join(dir, 'missing.json')]) as { error: { kind: string } }).error.kind, 'not-found');
  assert.equal(validateDroppedPaths(Array.from({ length: 201 }, () => file)).ok, false);
});
