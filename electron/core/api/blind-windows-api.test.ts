// case:blindWindows through the dispatch gate both transports use: the span a StopLogging left blind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { REAL, loadRecords, readRecords } from '../../../test-support/case-fixtures.ts';
import { openWorkbench } from './open-workbench.ts';
import type { BlindWindow, FindingsResult } from '../../../shared/api/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-blind-api-'));
const casePath = join(dir, 'c.case');
const db = openCase(casePath);
loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
db.close();
const wb = openWorkbench(casePath);
after(async () => {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

test('case:blindWindows names the stopped trail and runs to the end of the data; findings:list carries it and the incident', async () => {
  const r = await wb.dispatch('case:blindWindows', {});
  assert.ok(r.ok);
  const windows = r.value as BlindWindow[];
  assert.deepEqual(windows.map((w) => [w.trail, w.cause, w.open]), [['stratus-red-team-ct-stop-trail-buykxbqejv', 'stopped', true]]);
  const f = await wb.dispatch('findings:list', {});
  assert.ok(f.ok);
  const result = f.value as FindingsResult;
  assert.equal(result.blindWindows?.length, 1);
  assert.equal(result.incidents?.[0].findingCount, result.findings.filter((x) => x.incident === result.incidents?.[0].id).length);
});
