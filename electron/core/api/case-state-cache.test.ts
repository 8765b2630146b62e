// Answers kept while the case is unchanged, and never stale: a write through the service, and events
// another connection (an import worker, a CLI) commits, both show.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../test-support/case-fixtures.ts';
import { openWorkbench } from './open-workbench.ts';
import { createCaseStateCache } from './case-state-cache.ts';
import type { SortedTimelinePage } from '../../../shared/api/types.ts';

const stratus = (name: string) => readRecords(join(REAL, 'stratus-red-team', `aws.${name}.json`));
const dir = mkdtempSync(join(tmpdir(), 'trailscope-findings-cache-'));
const casePath = join(dir, 'c.case');
const setup = openCase(casePath);
loadRecords(setup, stratus('defense-evasion.cloudtrail-stop'));
setup.close();
const wb = openWorkbench(casePath);
after(async () => {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sorted(): Promise<SortedTimelinePage> {
  const r = await wb.dispatch('timeline:sorted', { filter: { includeReadOnly: true }, by: 'eventName', limit: 1000 });
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as SortedTimelinePage;
}

test('an unchanged case is computed once per question; any write computes again', () => {
  const db = memoryCase();
  let runs = 0;
  const cached = createCaseStateCache(db, (q: { actor?: string }) => ({ runs: ++runs, q }));
  assert.equal(cached({}).runs, 1);
  assert.equal(cached({}).runs, 1);
  assert.equal(cached({ actor: 'x' }).runs, 2);
  loadRecords(db, stratus('defense-evasion.cloudtrail-stop'));
  assert.equal(cached({}).runs, 3);
  assert.equal(cached({ actor: 'x' }).runs, 4);
  db.close();
});

test("through the service: a sorted timeline (its ids kept between pages) shows another connection's import at once", async () => {
  const first = await sorted();
  assert.ok(first.total > 0);
  assert.equal((await sorted()).total, first.total);
  const other = openCase(casePath);
  loadRecords(other, stratus('persistence.iam-create-admin-user'), 'other.json');
  other.close();
  const afterImport = await sorted();
  assert.ok(afterImport.total > first.total, 'the other connection\'s events are in the sorted list at once');
  const names = afterImport.rows.map((r) => r.eventName.toLowerCase());
  assert.deepEqual(names, [...names].sort());
});
