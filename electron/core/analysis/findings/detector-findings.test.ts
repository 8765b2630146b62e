// Detector findings through the whole ingest and into `findings:list`: stored once per detector and
// id (a later update replaces an earlier copy), shown beside the built-in findings with their source,
// tied to the events of the key, principal and address they name within their window, narrowed to
// the API they name, and carrying the actor those events resolve to.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { count, tempCase } from '../../../../test-support/temp-case.ts';
import { findings } from './findings.ts';
import { actorReport } from '../attribution/actor-report.ts';

const FIXTURES = new URL('../../ingest/parse/detectors/fixtures/', import.meta.url).pathname;
const ACCOUNT = '111122223333';

function record(i: number, time: string, name: string, source: string, identity: Record<string, unknown>, ip = '198.51.100.23') {
  return {
    eventVersion: '1.09', eventID: `0d6c2a1e-0000-4000-8000-00000000000${i}`, eventTime: time, eventSource: source, eventName: name,
    awsRegion: 'eu-west-1', sourceIPAddress: ip, userAgent: 'aws-cli/2.15.0', recipientAccountId: ACCOUNT, userIdentity: identity,
  };
}

const alice = { type: 'IAMUser', principalId: 'AIDAQ4ALICEUSER7Q2ZK', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: 'AKIAQ4ALICEKEY7Q2ZKP', userName: 'alice' };
const web = {
  type: 'AssumedRole', principalId: 'AROAQ4WEBROLE7Q2ZKPB:i-0a1b2c3d4e5f60718', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/i-0a1b2c3d4e5f60718`,
  accountId: ACCOUNT, accessKeyId: 'ASIAQ4WEBROLE7Q2ZKPB',
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAQ4WEBROLE7Q2ZKPB', arn: `arn:aws:iam::${ACCOUNT}:role/web`, accountId: ACCOUNT, userName: 'web' } },
};

test('detector findings are shown with the built-in ones, linked to the events they name', async (t) => {
  const c = tempCase('detectors');
  t.after(() => c.cleanup());
  const trail = join(c.dir, 'trail.json');
  writeFileSync(trail, JSON.stringify({ Records: [
    record(1, '2024-06-03T10:10:00Z', 'ListAccessKeys', 'iam.amazonaws.com', alice),
    record(2, '2024-06-03T10:12:00Z', 'GetUser', 'iam.amazonaws.com', alice),
    record(3, '2024-06-03T16:00:00Z', 'ListAccessKeys', 'iam.amazonaws.com', alice),
    record(4, '2024-06-03T10:05:00Z', 'DescribeInstances', 'ec2.amazonaws.com', web),
    record(5, '2024-06-03T10:06:00Z', 'DescribeInstances', 'ec2.amazonaws.com', web, '203.0.113.40'),
  ] }));
  const summary = await ingestPaths(c.db, [trail, FIXTURES]);
  const bySource = Object.fromEntries(summary.sources.map((s) => [s.path.split('/').pop(), [s.kind, s.status, s.stored, s.rejectedRecords]]));
  assert.deepEqual(bySource, {
    'trail.json': ['cloudtrail', 'done', 5, 0],
    'README.md': ['unknown', 'rejected', 0, 0],
    'guardduty-eventbridge.json': ['findings:guardduty', 'done', 1, 0],
    'guardduty-export.jsonl': ['findings:guardduty', 'done', 2, 0],
    'guardduty-get-findings.json': ['findings:guardduty', 'done', 1, 0],
    'security-lake-findings.jsonl': ['findings:ocsf', 'done', 2, 1],
    'securityhub-eventbridge.json': ['findings:asff', 'done', 1, 0],
    'securityhub-get-findings.json': ['findings:asff', 'done', 2, 0],
  });
  assert.equal(summary.findings, 9);
  assert.equal(count(c.db, 'detector_findings'), 9);

  const r = findings(c.db);
  const detected = r.findings.filter((f) => f.kind === 'detector');
  assert.equal(detected.length, 9);
  assert.equal(r.counts.detector, 9);
  // Built-in findings keep their own source.
  for (const f of r.findings.filter((x) => x.kind !== 'detector')) assert.ok(f.source === 'Trailscope' || f.source === 'Sigma');

  const discovery = detected.find((f) => f.source === 'GuardDuty' && f.value === 'Discovery:IAMUser/AnomalousBehavior')!;
  // The API it names, by the key it names, in its window: not GetUser, not the later ListAccessKeys.
  assert.deepEqual(discovery.eventIds, ['0d6c2a1e-0000-4000-8000-000000000001']);
  assert.equal(discovery.actor?.arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(discovery.category, 'discovery');
  assert.equal(discovery.severity, 'medium');
  assert.equal(discovery.rule?.source, 'detector');
  assert.match(discovery.detector!.linkedBy, /^ListAccessKeys calls by or from AKIAQ4ALICEKEY7Q2ZKP/);

  // The instance-credential finding: DescribeInstances by the role session's key, from both addresses.
  const exfil = detected.find((f) => f.source === 'GuardDuty' && f.value?.startsWith('UnauthorizedAccess'))!;
  assert.deepEqual(exfil.eventIds, ['0d6c2a1e-0000-4000-8000-000000000004', '0d6c2a1e-0000-4000-8000-000000000005']);
  assert.equal(exfil.sourceIPAddress, '198.51.100.23');
  assert.equal(exfil.actor?.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/web/i-0a1b2c3d4e5f60718`);

  // The same GuardDuty finding carried by Security Hub is its own finding, with its product named.
  const viaHub = detected.find((f) => f.source === 'Security Hub' && f.detector?.product === 'GuardDuty' && f.value?.includes('Discovery'))!;
  assert.deepEqual(viaHub.eventIds, discovery.eventIds);
  assert.equal(viaHub.rule?.title, 'Security Hub (GuardDuty): TTPs/Discovery/IAMUser-AnomalousBehavior');

  // A control finding names only a security group: no events, said in words.
  const control = detected.find((f) => f.severity === 'critical' && f.source === 'Security Hub')!;
  assert.deepEqual(control.eventIds, []);
  assert.match(control.detector!.linkedBy, /names no principal/);

  // Alice's actor report lists the findings that name her key or her ARN.
  const report = actorReport(c.db, 'AKIAQ4ALICEKEY7Q2ZKP', { findings: 'fast' });
  const named = report?.findings?.filter((f) => f.kind === 'detector').map((f) => f.source).sort();
  assert.deepEqual(named, ['GuardDuty', 'Security Hub']);

  // The filters apply to detector findings too.
  assert.ok(findings(c.db, { actor: `arn:aws:iam::${ACCOUNT}:user/alice` }).findings.some((f) => f.kind === 'detector'));
  assert.equal(findings(c.db, { from: '2024-06-04T00:00:00Z' }).findings.filter((f) => f.kind === 'detector').length, 0);
});

test('a later copy of a finding replaces the earlier one; an older or identical copy is a duplicate', async (t) => {
  const c = tempCase('detector-updates');
  t.after(() => c.cleanup());
  const first = join(c.dir, 'first.json');
  copyFileSync(join(FIXTURES, 'guardduty-eventbridge.json'), first);
  const event = JSON.parse(readFileSync(first, 'utf8'));
  event.detail.updatedAt = '2024-06-03T12:00:00.000Z';
  event.detail.severity = 8;
  event.detail.service.eventLastSeen = '2024-06-03T11:59:00Z';
  const later = join(c.dir, 'later.json');
  writeFileSync(later, JSON.stringify(event));
  event.detail.updatedAt = '2024-06-03T09:00:00.000Z';
  const older = join(c.dir, 'older.json');
  writeFileSync(older, JSON.stringify(event));

  await ingestPaths(c.db, [first]);
  const s = await ingestPaths(c.db, [later, older]);
  assert.deepEqual(s.sources.map((x) => [x.path.split('/').pop(), x.stored]), [['later.json', 1], ['older.json', 0]]);
  const rows = c.db.prepare('SELECT severity, last_time AS last FROM detector_findings').all() as { severity: string; last: number }[];
  assert.deepEqual(rows, [{ severity: 'high', last: Date.parse('2024-06-03T11:59:00Z') }]);
  assert.equal(count(c.db, 'detector_finding_links'), 6);
});
