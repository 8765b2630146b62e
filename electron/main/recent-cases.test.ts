// The "Open Recent" menu's list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearRecentCases, recentCases, recentMenuEntries, rememberCase } from './recent-cases.ts';

test('recent cases: newest first, each once, ten at most, missing files marked, clearable', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-recent-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'userData');
  assert.deepEqual(recentCases(data), []);
  const a = join(dir, 'a.case');
  const b = join(dir, 'b.case');
  writeFileSync(a, '');
  rememberCase(data, a);
  rememberCase(data, b);
  rememberCase(data, a);
  assert.deepEqual(recentCases(data), [a, b]);
  assert.deepEqual(recentMenuEntries(data), [{ path: a, exists: true }, { path: b, exists: false }]);
  for (let i = 0; i < 12; i++) rememberCase(data, join(dir, `${i}.case`));
  assert.equal(recentCases(data).length, 10);
  assert.equal(recentCases(data)[0], join(dir, '11.case'));
  clearRecentCases(data);
  assert.deepEqual(recentCases(data), []);
  writeFileSync(join(data, 'recent-cases.json'), '{not json');
  assert.deepEqual(recentCases(data), []);
});
