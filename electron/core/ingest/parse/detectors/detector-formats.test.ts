// Each detector format (fixtures/README.md says what writes it and where it is documented) is
// detected from its content and normalizes to the finding, severity, times and links an analyst
// would read off the detector's console.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prepareFindings } from '../../prepare-batch.ts';
import type { DetectorFindingRow, RecordRejection } from '../../types.ts';
import { readInput } from '../../../../../test-support/read-input.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

async function readFindings(path: string): Promise<{ kind: string; rows: DetectorFindingRow[]; rejected: RecordRejection[]; readAs: string[] }> {
  const { kind, batches } = await readInput(path);
  const found = batches.flatMap((b) => (b.type === 'findings' ? b.findings : []));
  const { rows, rejected } = prepareFindings(found, batches.flatMap((b) => (b.type === 'findings' ? b.rejected : [])));
  return { kind, rows, rejected, readAs: [...new Set(batches.flatMap((b) => (b.type === 'findings' ? (b.readAs ?? []) : [])))] };
}

const links = (r: DetectorFindingRow) => r.links.map((l) => `${l.kind} ${l.value}`).sort();
const iso = (t: number) => new Date(t).toISOString();

describe('detector findings', () => {
  it('GuardDuty GetFindings output (PascalCase): key, principal, instance, API and address', async () => {
    const r = await readFindings(join(FIXTURES, 'guardduty-get-findings.json'));
    assert.equal(r.kind, 'findings:guardduty');
    assert.deepEqual(r.rejected, []);
    assert.equal(r.rows.length, 1);
    const f = r.rows[0];
    assert.equal(f.detector, 'GuardDuty');
    assert.equal(f.type, 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS');
    assert.equal(f.severity, 'high');
    assert.equal(f.detectorSeverity, '8');
    assert.equal(iso(f.firstTime), '2024-06-03T10:02:11.000Z');
    assert.equal(iso(f.lastTime), '2024-06-03T10:14:48.000Z');
    assert.equal(f.accountId, '111122223333');
    assert.deepEqual(links(f), [
      'access-key ASIAQ4WEBROLE7Q2ZKPB', 'address 198.51.100.23', 'api DescribeInstances', 'instance i-0a1b2c3d4e5f60718',
      'principal arn:aws:iam::111122223333:role/web', 'principal-id AROAQ4WEBROLE7Q2ZKPB:i-0a1b2c3d4e5f60718', 'user-name web',
    ]);
    assert.equal(JSON.parse(f.raw).Id, f.findingUid);
  });

  it('GuardDuty EventBridge envelope (camelCase), noted as read from detail', async () => {
    const r = await readFindings(join(FIXTURES, 'guardduty-eventbridge.json'));
    assert.equal(r.kind, 'findings:guardduty');
    assert.deepEqual(r.readAs, ['EventBridge events: findings from detail']);
    const f = r.rows[0];
    assert.equal(f.severity, 'medium');
    assert.equal(f.title, 'Unusual discovery APIs were invoked by user alice.');
    assert.deepEqual(links(f), [
      'access-key AKIAQ4ALICEKEY7Q2ZKP', 'address 198.51.100.23', 'api ListAccessKeys', 'principal arn:aws:iam::111122223333:user/alice',
      'principal-id AIDAQ4ALICEUSER7Q2ZK', 'user-name alice',
    ]);
  });

  it('GuardDuty S3 export (JSON Lines): port probe addresses and an outbound connection', async () => {
    const r = await readFindings(join(FIXTURES, 'guardduty-export.jsonl'));
    assert.equal(r.rows.length, 2);
    assert.deepEqual(r.rows.map((f) => f.severity), ['low', 'high']);
    assert.deepEqual(links(r.rows[0]), ['address 198.51.100.77', 'address 198.51.100.78', 'instance i-0a1b2c3d4e5f60718']);
    assert.deepEqual(links(r.rows[1]), ['address 203.0.113.99', 'instance i-0a1b2c3d4e5f60718']);
  });

  it('Security Hub GetFindings (ASFF): GuardDuty carried with its product fields, and a control finding', async () => {
    const r = await readFindings(join(FIXTURES, 'securityhub-get-findings.json'));
    assert.equal(r.kind, 'findings:asff');
    assert.equal(r.rows.length, 2);
    const [gd, control] = r.rows;
    assert.equal(gd.detector, 'Security Hub');
    assert.equal(gd.product, 'GuardDuty');
    assert.equal(gd.severity, 'medium');
    assert.equal(iso(gd.firstTime), '2024-06-03T10:05:00.000Z');
    assert.deepEqual(links(gd), [
      'access-key AKIAQ4ALICEKEY7Q2ZKP', 'address 198.51.100.23', 'api ListAccessKeys', 'principal arn:aws:iam::111122223333:user/alice',
      'principal-id AIDAQ4ALICEUSER7Q2ZK', 'user-name alice',
    ]);
    assert.equal(control.product, null);
    assert.equal(control.severity, 'critical');
    assert.deepEqual(links(control), ['resource arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0a1b2c3d4e5f60718']);
  });

  it('Security Hub EventBridge envelope: the findings of detail.findings', async () => {
    const r = await readFindings(join(FIXTURES, 'securityhub-eventbridge.json'));
    assert.equal(r.kind, 'findings:asff');
    assert.deepEqual(r.readAs, ['EventBridge events: findings from detail.findings']);
    assert.equal(r.rows[0].severity, 'high');
    assert.deepEqual(links(r.rows[0]), ['instance i-0a1b2c3d4e5f60718']);
  });

  it('Security Lake OCSF: Detection Finding (2004) and Security Finding (2001) read, a CloudTrail API Activity record rejected as a record', async () => {
    const r = await readFindings(join(FIXTURES, 'security-lake-findings.jsonl'));
    assert.equal(r.kind, 'findings:ocsf');
    assert.equal(r.rows.length, 2);
    const [detection, security] = r.rows;
    assert.equal(detection.detector, 'Security Lake');
    assert.equal(detection.product, 'GuardDuty');
    assert.equal(detection.severity, 'high');
    assert.equal(detection.detectorSeverity, 'High (4)');
    assert.equal(iso(detection.firstTime), '2024-06-03T10:02:11.000Z');
    assert.deepEqual(links(detection), [
      'access-key ASIAQ4WEBROLE7Q2ZKPB', 'address 198.51.100.23', 'api DescribeInstances', 'instance i-0a1b2c3d4e5f60718',
      'principal-id AROAQ4WEBROLE7Q2ZKPB:i-0a1b2c3d4e5f60718', 'user-name web',
    ]);
    assert.equal(security.title, 'IAM root user access key should not exist');
    assert.equal(security.accountId, '111122223333');
    // The API Activity line is CloudTrail's own record as Security Lake keeps it (exported/ocsf-cloudtrail.ts): not a finding,
    // rejected at its line.
    assert.deepEqual(r.rejected.map((x) => `${x.position}: ${x.reason}`), ['line 2: a CloudTrail record in a findings source (give records in files of their own)']);
  });
});
