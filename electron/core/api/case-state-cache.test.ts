// findings:list answered from the cache while the case is unchanged, and never stale: a suppression
// through the service, and events another connection (an import worker, a CLI) commits, both show.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../test-support/case-fixtures.ts';
import { openWorkbench } from './open-workbench.ts';
import { createCaseStateCache } from './case-state-cache.ts';
import type { FindingsResult } from '../../../shared/api/types.ts';

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

async function list(q: Record<string, unknown> = {}): Promise<FindingsResult> {
  const r = await wb.dispatch('findings:list', q);
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as FindingsResult;
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

test('through the service: a suppression and another connection\'s import both change the answer', async () => {
  const first = await list();
  assert.ok(first.findings.length > 0);
  const target = first.findings[0];
  const s = await wb.dispatch('findings:suppress', { scope: 'finding', ruleId: target.rule!.id, target: target.id!, reason: 'expected in the lab' });
  assert.ok(s.ok, JSON.stringify(s));
  const afterSuppress = await list();
  assert.equal(afterSuppress.findings.some((x) => x.id === target.id), false, 'the suppressed finding is gone at once');

  const other = openCase(casePath);
  loadRecords(other, stratus('persistence.iam-create-admin-user'), 'other.json');
  other.close();
  const afterImport = await list();
  assert.ok(afterImport.findings.length > afterSuppress.findings.length, 'the other connection\'s events raise findings at once');
});
