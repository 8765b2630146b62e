// AWS Config configuration items (fixtures/README.md): read as resource versions at their own capture
// times, through the same normalizers as describe and GAAD output, and set beside the events by
// who-changed, which marks the recorded versions the events explain, contradict or cannot explain.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../pipeline.ts';
import { tempCase } from '../../../../../test-support/temp-case.ts';
import { whoChanged } from '../../../analysis/history/who-changed.ts';
import { awsConfigItems, pascalKeys } from './aws-config-items.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const A = '111122223333';
const GROUP = 'sg-0a1b2c3d4e5f60718';

function sgCall(id: string, time: string, name: string, port: number, cidr: string) {
  return {
    eventVersion: '1.09', eventID: id, eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: name, awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.23', userAgent: 'aws-cli/2.15.0', recipientAccountId: A,
    userIdentity: { type: 'IAMUser', principalId: 'AIDAQ4ALICEUSER7Q2ZK', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIAQ4ALICEKEY7Q2ZKP', userName: 'alice' },
    requestParameters: { groupId: GROUP, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, ipRanges: { items: [{ cidrIp: cidr }] } }] } },
    responseElements: { _return: true },
  };
}

test('AWS Config history, snapshot and CLI output: versions at capture time, merged with events in who-changed', async (t) => {
  const c = tempCase('aws-config');
  t.after(() => c.cleanup());
  const trail = join(c.dir, 'trail.json');
  writeFileSync(trail, JSON.stringify({ Records: [
    sgCall('0d6c2a1e-0000-4000-8000-00000000a001', '2024-06-03T10:15:00Z', 'AuthorizeSecurityGroupIngress', 22, '0.0.0.0/0'),
    sgCall('0d6c2a1e-0000-4000-8000-00000000a002', '2024-06-03T10:40:00Z', 'AuthorizeSecurityGroupIngress', 8080, '10.0.0.0/8'),
    sgCall('0d6c2a1e-0000-4000-8000-00000000a003', '2024-06-03T11:30:00Z', 'RevokeSecurityGroupIngress', 443, '0.0.0.0/0'),
  ] }));
  const summary = await ingestPaths(c.db, [trail, FIXTURES]);
  const kinds = summary.sources.map((s) => [s.path.split('/').pop()!.slice(0, 40), s.kind, s.status]);
  assert.deepEqual(kinds.filter((k) => k[1] !== 'unknown'), [
    ['trail.json', 'cloudtrail', 'done'],
    ['111122223333_Config_eu-west-1_ConfigHist', 'config:get-resource-config-history', 'done'],
    ['111122223333_Config_eu-west-1_ConfigSnap', 'config:get-resource-config-history', 'done'],
    ['get-resource-config-history.json', 'config:get-resource-config-history', 'done'],
  ]);

  const versions = c.db.prepare(`SELECT resource_id AS id, observed_at AS at FROM resource_versions ORDER BY observed_at, resource_id`).all() as { id: string; at: number }[];
  const at = (id: string) => versions.filter((v) => v.id === id).map((v) => new Date(v.at).toISOString());
  assert.deepEqual(at(GROUP), ['2024-06-03T09:00:00.000Z', '2024-06-03T10:16:00.000Z', '2024-06-03T11:00:00.000Z']);
  // The IAM path is dropped as everywhere else; the CLI's epoch-seconds time and JSON-string configuration are read.
  assert.deepEqual(at(`arn:aws:iam::${A}:user/alice`), ['2024-06-03T12:00:00.000Z']);
  assert.deepEqual(at(`arn:aws:iam::${A}:role/web`), ['2024-06-03T13:00:00.000Z']);
  assert.deepEqual(at('i-0a1b2c3d4e5f60718'), ['2024-06-03T12:00:00.000Z']);
  const edges = c.db.prepare(`SELECT src || ' ' || kind || ' ' || dst AS e FROM edges ORDER BY 1`).pluck().all() as string[];
  for (const e of [
    `arn:aws:iam::${A}:role/web attached-policy arn:aws:iam::aws:policy/AdministratorAccess`,
    `arn:aws:iam::${A}:user/alice user-group arn:aws:iam::${A}:group/dev`,
    `${GROUP} security-group-vpc vpc-0f1e2d3c4b5a69788`,
  ]) assert.ok(edges.includes(e), `${e} in ${edges.join('\n')}`);
  assert.equal(c.db.prepare(`SELECT count(*) FROM resources WHERE id LIKE '%fn%'`).pluck().get(), 0);

  const r = whoChanged(c.db, GROUP);
  assert.deepEqual(r.recorded?.map((v) => [v.capturedAt, v.agreement, v.status]), [
    ['2024-06-03T09:00:00.000Z', 'first', 'ResourceDiscovered'],
    ['2024-06-03T10:16:00.000Z', 'agrees', 'OK'],
    ['2024-06-03T11:00:00.000Z', 'differs', 'OK'],
  ]);
  const [, added22, added3389] = r.recorded!;
  assert.deepEqual(added22.relatedInCase, ['0d6c2a1e-0000-4000-8000-00000000a001']);
  assert.deepEqual(added3389.relatedEvents, ['0d6c2a1e-0000-4000-8000-00000000a999']);
  assert.deepEqual(added3389.relatedInCase, []);
  assert.equal(added3389.detail, 'Config has ingress tcp 3389 from 0.0.0.0/0 that the events do not add; the events leave ingress tcp 8080 from 10.0.0.0/8 that Config does not have');
  assert.deepEqual(r.items.map((it) => [it.eventId.slice(-4), it.recorded?.agreement, it.recorded?.capturedAt]), [
    ['a001', 'agrees', '2024-06-03T10:16:00.000Z'],
    ['a002', 'differs', '2024-06-03T11:00:00.000Z'],
    ['a003', 'not-recorded', '2024-06-03T11:00:00.000Z'],
  ]);
});

test('a Config change with no event in the case is unexplained; hostile items are skipped, not trusted', () => {
  const item = (time: string, port: number, related: unknown) => ({
    resourceType: 'AWS::EC2::SecurityGroup', resourceId: GROUP, configurationItemCaptureTime: time, configurationItemStatus: 'OK', relatedEvents: related,
    configuration: { groupId: GROUP, ipPermissions: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }] }] },
  });
  const snap = awsConfigItems({ configurationItems: [
    item('2024-06-03T09:00:00Z', 443, []),
    item('2024-06-03T10:00:00Z', 22, ['a'.repeat(500), 7, ...Array.from({ length: 100 }, (_, i) => `e${i}`)]),
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'not-a-group', configuration: {} },
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: GROUP, configurationItemCaptureTime: '2024-06-03T11:00:00Z', configuration: '{not json' },
    // A configuration text nested a million deep: left out, not walked.
    { resourceType: 'AWS::EC2::SecurityGroup', resourceId: GROUP, configurationItemCaptureTime: '2024-06-03T12:00:00Z', configuration: `{"groupId":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}` },
    { resourceType: 'AWS::IAM::User', ARN: 'arn:aws:iam::111122223333:user/x', configuration: { __proto__: { polluted: true }, userName: 'x', constructor: 1 } },
    'garbage', null, 42,
  ] }, 0);
  assert.deepEqual(snap.versions.map((v) => [v.resourceId, new Date(v.observedAt).toISOString()]), [
    [GROUP, '2024-06-03T09:00:00.000Z'], [GROUP, '2024-06-03T10:00:00.000Z'], [GROUP, '2024-06-03T11:00:00.000Z'], [GROUP, '2024-06-03T12:00:00.000Z'],
    ['arn:aws:iam::111122223333:user/x', '1970-01-01T00:00:00.000Z'],
  ]);
  const meta = (snap.versions[1].config as { awsConfig: { relatedEvents: string[] } }).awsConfig;
  assert.equal(meta.relatedEvents.length, 18);
  assert.ok(meta.relatedEvents.every((e) => e.length <= 128));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(pascalKeys({ a: { bB: [{ cC: 1 }] }, policyDocument: { keepMe: 1 } }), { A: { BB: [{ CC: 1 }] }, PolicyDocument: { keepMe: 1 } });
});
