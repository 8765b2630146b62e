// The investigator's decisions about findings, in a real case file: suppressions (a rule, a rule for
// one origin, one finding marked as expected) and Sigma folders stored in the case, both applied by
// findings() after the case is closed and opened again, and both bounded when read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../db/open-case.ts';
import { REAL, loadRecords, readRecords } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { actorReport } from '../attribution/actor-report.ts';
import { addSuppression, listSuppressions, removeSuppression, SuppressionError } from './suppressions.ts';
import { loadSigmaIntoCase, removeSigmaFolder, sigmaFolders, SigmaFolderError } from './sigma/case-sigma.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-decisions-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const casePath = join(dir, 'c.case');
{
  const db = openCase(casePath);
  for (const f of ['aws.persistence.iam-create-admin-user.json', 'aws.defense-evasion.cloudtrail-stop.json']) loadRecords(db, readRecords(join(REAL, 'stratus-red-team', f)), f);
  db.close();
}
// The two detonations came from two accounts, each with its own user/christophe origin.
const STOPPER = 'arn:aws:iam::143434273843:user/christophe';

test('suppressions hide what they cover from findings, counts and incidents, survive a reopen, and list on request', () => {
  const db = openCase(casePath);
  const before = findings(db);
  assert.equal(before.suppressed, 0);
  const stop = before.findings.find((f) => f.rule?.id === 'cloudtrail-logging-stopped')!;
  assert.equal(stop.id, `cloudtrail-logging-stopped@${stop.eventIds[0]}`);
  const regions = before.findings.filter((f) => f.rule?.id === 'unknown-region');
  assert.equal(regions.length, 2);

  addSuppression(db, { scope: 'finding', ruleId: 'cloudtrail-logging-stopped', target: stop.id, reason: 'the lab trail, stopped by the test', author: 'ana' });
  addSuppression(db, { scope: 'rule-actor', ruleId: 'unknown-region', target: STOPPER, reason: 'Stratus fakes regions', author: 'ana' });
  db.close();

  const again = openCase(casePath, { readonly: true });
  const after = findings(again);
  assert.equal(after.suppressed, 2);
  assert.ok(!after.findings.some((f) => f.id === stop.id));
  assert.deepEqual(after.findings.filter((f) => f.rule?.id === 'unknown-region').map((f) => f.actor?.origin.id), ['arn:aws:iam::229654561268:user/christophe']);
  // The stopping account's incident is gone (all its findings suppressed); the other is untouched.
  assert.equal(after.incidents?.length, 1);
  assert.equal(after.incidents?.[0].findingCount, 3);
  assert.equal(after.counts['covering-tracks'], undefined);
  const all = findings(again, { includeSuppressed: true });
  const hidden = all.findings.filter((f) => f.suppressed);
  assert.deepEqual(hidden.map((f) => [f.rule?.id, f.suppressed?.scope, f.suppressed?.author, f.incident]), [
    ['cloudtrail-logging-stopped', 'finding', 'ana', undefined],
    ['unknown-region', 'rule-actor', 'ana', undefined],
  ]);
  assert.equal(hidden[0].suppressed?.reason, 'the lab trail, stopped by the test');
  // The actor report warns of what findings() shows, not of what was suppressed.
  const report = actorReport(again, STOPPER)!;
  assert.ok(report.findings, 'the report lists findings');
  assert.ok(!report.findings.some((f) => f.id === stop.id || f.rule?.id === 'unknown-region'), JSON.stringify(report.findings.map((f) => f.id)));
  again.close();

  const rw = openCase(casePath);
  const list = listSuppressions(rw);
  assert.equal(list.length, 2);
  // The same suppression again updates its reason rather than adding a second.
  addSuppression(rw, { scope: 'rule-actor', ruleId: 'unknown-region', target: STOPPER, reason: 'fake regions', author: 'bo' });
  assert.deepEqual(listSuppressions(rw).map((s) => [s.scope, s.reason, s.author]), [['finding', 'the lab trail, stopped by the test', 'ana'], ['rule-actor', 'fake regions', 'bo']]);
  // A whole rule, everywhere.
  const rule = addSuppression(rw, { scope: 'rule', ruleId: 'unknown-region', reason: 'no real account here' });
  assert.equal(rule.target, null);
  assert.equal(findings(rw).findings.filter((f) => f.rule?.id === 'unknown-region').length, 0);
  for (const s of listSuppressions(rw)) assert.ok(removeSuppression(rw, s.id));
  assert.equal(findings(rw).suppressed, 0);
  assert.equal(findings(rw).findings.length, before.findings.length);
  assert.throws(() => addSuppression(rw, { scope: 'rule', ruleId: 'x', reason: '  ' }), SuppressionError);
  assert.throws(() => addSuppression(rw, { scope: 'rule-actor', ruleId: 'x', reason: 'r' }), /needs the actor/);
  assert.throws(() => addSuppression(rw, { scope: 'rule', ruleId: 'x', reason: 'r'.repeat(1001) }), /at most 1000/);
  rw.close();
});

test('a Sigma folder loaded into the case runs on every findings() after a reopen, even with the folder gone', () => {
  const rules = join(dir, 'rules');
  mkdirSync(join(rules, 'more'), { recursive: true });
  writeFileSync(join(rules, 'stop.yml'), `title: Trail stopped (lab)
id: 11111111-2222-3333-4444-555555555555
level: high
tags: [attack.defense-evasion, attack.t1562.008]
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventSource: cloudtrail.amazonaws.com, eventName|startswith: Stop}
  condition: selection
`);
  writeFileSync(join(rules, 'more', 'count.yml'), 'title: c\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: x}, condition: s | count() > 3}\n');
  const db = openCase(casePath);
  const loaded = loadSigmaIntoCase(db, rules);
  assert.deepEqual(loaded.rules.map((r) => [r.file, r.title, r.level]), [['stop.yml', 'Trail stopped (lab)', 'high']]);
  assert.deepEqual(loaded.rejected.map((r) => r.file), [join('more', 'count.yml')]);
  assert.match(loaded.rejected[0].reason, /aggregation '\| count\(\) > 3'/);
  assert.throws(() => loadSigmaIntoCase(db, join(dir, 'nope')), SigmaFolderError);
  db.close();
  rmSync(rules, { recursive: true });

  const again = openCase(casePath, { readonly: true });
  const r = findings(again);
  assert.equal(r.sigma?.loaded, 1);
  assert.match(r.sigma!.rejected[0].file, /count\.yml$/);
  const hit = r.findings.find((f) => f.rule?.id === '11111111-2222-3333-4444-555555555555');
  assert.ok(hit, 'the stored rule ran');
  assert.equal(hit.kind, 'sigma');
  assert.ok(hit.incident, 'Sigma hits join incidents like built-in findings');
  assert.equal(sigmaFolders(again).length, 1);
  again.close();

  // Stored texts are case data: a hostile case's oversized rule is refused by name, not run.
  const rw = openCase(casePath);
  rw.prepare("INSERT INTO sigma_rules (folder, file, yaml, rejected, loaded_at) VALUES ('/elsewhere', 'big.yml', ?, NULL, 0)").run('#'.repeat(300_000));
  assert.match(findings(rw).sigma!.rejected.find((x) => x.file.includes('big.yml'))!.reason, /larger than/);
  assert.ok(removeSigmaFolder(rw, '/elsewhere'));
  assert.ok(removeSigmaFolder(rw, loaded.folder));
  assert.equal(findings(rw).sigma, undefined);
  rw.close();
});
