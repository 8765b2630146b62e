// The actor report's findings run the case's stored Sigma rules as findings:list does: an actor
// the SigmaHQ rules flag is flagged in its report too, with the Sigma rule named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { loadSigmaIntoCase } from './sigma/case-sigma.ts';
import { findings } from './findings.ts';
import { actorReport } from '../attribution/actor-report.ts';

test('an actor report carries the stored Sigma rules\' findings', () => {
  const db = memoryCase();
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
  loadSigmaIntoCase(db, join(REAL, 'sigma-cloudtrail', 'rules'));
  const sigma = findings(db).findings.filter((f) => f.rule?.source === 'sigma' && f.actor?.arn);
  assert.ok(sigma.length > 0, 'the SigmaHQ rules flag the detonation');
  const report = actorReport(db, sigma[0].actor!.arn!);
  assert.ok(report);
  const ids = new Set((report.findings ?? []).filter((f) => f.rule?.source === 'sigma').map((f) => f.rule!.id));
  assert.ok(ids.has(sigma[0].rule!.id), `the report names Sigma rule ${sigma[0].rule!.id}`);
  db.close();
});
