import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../core/db/open-case.ts';
import { openWorkbench, type Workbench } from '../core/api/open-workbench.ts';
import { switchCase } from './case-switch.ts';
import { removeFolder } from '../../test-support/remove-folder.ts';

test('a case that fails to open leaves the current case open and says why', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-switch-'));
  t.after(() => removeFolder(dir));
  const good = join(dir, 'good.case');
  openCase(good).close();
  const newer = join(dir, 'newer.case');
  const db = openCase(newer);
  db.pragma('user_version = 999999');
  db.close();

  const current = openWorkbench(good);
  t.after(() => current.close());
  const outcome = await switchCase<Workbench>(current, newer, (p) => openWorkbench(p));
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.equal(outcome.current, current);
  assert.match(outcome.reason, /newer Trailscope/);
  // The current case still answers.
  const info = await current.dispatch('case:info', {});
  assert.equal(info.ok, true, JSON.stringify(info));
});

test('a case that opens replaces the current one, which is closed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-switch-'));
  t.after(() => removeFolder(dir));
  const a = join(dir, 'a.case');
  const b = join(dir, 'b.case');
  openCase(a).close();
  openCase(b).close();
  let closed = 0;
  const first = { close: async () => void closed++ };
  const outcome = await switchCase(first, b, () => ({ close: async () => undefined, path: b }));
  assert.equal(outcome.ok, true);
  assert.equal(closed, 1);
});
