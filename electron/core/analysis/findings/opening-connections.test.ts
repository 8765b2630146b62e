// An opened security group has a finding of the connections from outside it let in while it was open,
// the most data first: the intruder's session before the internet's scanners, nothing from before the
// opening or after its closing, from inside, refused, on another port, or to an interface that did not
// carry the group. It is anchored on the opening's call and actor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertFlows, loadRecords, memoryCase, type TestFlow } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { OPENED_RULE } from './exposure-ends.ts';
import { behindGroup, outsideFlows } from './outside-flows.ts';
import { CONNECTIONS_RULE } from './opening-connections.ts';
import type { Finding } from '../../../../shared/engine-types.ts';

const A = '111122223333';
const GROUP = 'sg-0a1b2c3d4e5f60718';
const WEB = 'i-0a0a0a0a0a0a0a0a1';
const WEB_ENI = 'eni-0a0a0a0a0a0a0a0a1';
const OTHER = 'i-0b0b0b0b0b0b0b0b2';
const OTHER_ENI = 'eni-0b0b0b0b0b0b0b0b2';
const INTRUDER = '203.0.113.66';
const SCANNER = '198.51.100.200';
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICEXXX', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEKKK' };
let n = 0;
const call = (time: string, name: string, requestParameters: object, responseElements: object | null = null) => ({
  eventVersion: '1.09', eventID: `0d6c2a1e-0000-4000-8000-${String(++n).padStart(12, '0')}`, eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.23', userAgent: 'aws-cli/2.15.0', recipientAccountId: A, userIdentity: alice, requestParameters, responseElements,
});
const ssh = { groupId: GROUP, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } };
const launch = (time: string, instance: string, eni: string, name: string, groups: string[]) => call(time, 'RunInstances',
  { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890', minCount: 1, maxCount: 1 }] }, groupSet: { items: groups.map((groupId) => ({ groupId })) },
    tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: name }] }] } },
  { instancesSet: { items: [{ instanceId: instance, groupSet: { items: groups.map((groupId) => ({ groupId })) },
    networkInterfaceSet: { items: [{ networkInterfaceId: eni, attachment: { deviceIndex: 0 }, groupSet: { items: groups.map((groupId) => ({ groupId })) } }] } }] } });

/** The opened rule: SSH from anywhere. */
const rules = [{ direction: 'ingress' as const, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0', ipv6Cidr: null, prefixListId: null, peerGroupId: null, peerGroupOwner: null, ruleId: null, description: null }];
/** Records of a connection from `src` to port 22 of the web instance's interface (no instance id in the record: version 2's fields). */
const toWeb = (src: string, start: string, more: Partial<TestFlow> = {}): TestFlow =>
  ({ eni: WEB_ENI, src, dst: '10.0.1.5', srcport: 51234, dstport: 22, start, direction: 'ingress', ...more });

/** The opening's finding and the finding of the connections it let in (undefined when there were none). */
function openingFindings(flows: TestFlow[], closeAt: string | null = '2024-06-01T12:00:00Z', more?: (db: ReturnType<typeof memoryCase>) => void) {
  const db = memoryCase();
  loadRecords(db, [
    launch('2024-06-01T09:00:00Z', WEB, WEB_ENI, 'web-1', [GROUP]),
    launch('2024-06-01T09:05:00Z', OTHER, OTHER_ENI, 'batch-1', ['sg-0other000000000000']),
    call('2024-06-01T10:00:00Z', 'AuthorizeSecurityGroupIngress', ssh, { _return: true }),
    ...(closeAt ? [call(closeAt, 'RevokeSecurityGroupIngress', ssh, { _return: true })] : []),
  ]);
  insertFlows(db, flows);
  more?.(db);
  const all = findings(db).findings;
  db.close();
  const opening = all.filter((f) => f.rule?.id === OPENED_RULE);
  assert.equal(opening.length, 1, 'one opening');
  const connections = all.filter((f) => f.rule?.id === CONNECTIONS_RULE);
  assert.ok(connections.length <= 1);
  return { opening: opening[0], connections: connections[0] };
}

/** The connections' words, without the opening's title they end with. */
const said = (f: Finding | undefined) => f?.detail.slice(0, f.detail.indexOf(' The opening: '));

test('the intruder\'s session and a scanner\'s knock came in while it was open: the session first; nothing else counts', () => {
  const session = Array.from({ length: 24 }, (_, m) => toWeb(INTRUDER, `2024-06-01T10:${String(16 + m).padStart(2, '0')}:00Z`, { bytes: 3_000 }));
  const { opening, connections } = openingFindings([
    toWeb(SCANNER, '2024-06-01T10:05:00Z', { bytes: 44 }),
    ...session,
    toWeb('192.0.2.50', '2024-06-01T09:30:00Z'), // before the opening
    toWeb('192.0.2.51', '2024-06-01T12:30:00Z'), // after its closing
    toWeb('10.0.2.9', '2024-06-01T10:30:00Z'), // from inside the VPC
    toWeb('192.0.2.52', '2024-06-01T10:30:00Z', { action: 'REJECT' }),
    toWeb('192.0.2.53', '2024-06-01T10:30:00Z', { dstport: 443 }), // a port the rule does not open
    toWeb('192.0.2.54', '2024-06-01T10:30:00Z', { direction: 'egress' }), // the instance's own connection out
    toWeb('192.0.2.55', '2024-06-01T10:30:00Z', { eni: OTHER_ENI }), // an interface without the group
  ]);
  assert.ok(opening.detail.includes('Closed at 2024-06-01T12:00:00.000Z by user/alice'), opening.detail);
  assert.ok(connections);
  assert.equal(connections.title, `Connections from outside through ${GROUP}: ${INTRUDER} and 1 more`);
  assert.equal(said(connections), `Accepted flows from 2 addresses outside came in through the opening while it was open, to ${WEB} (web-1), the most data first: ` +
    `${INTRUDER} (24 records, 70.3 KB, from 2024-06-01T10:16:00.000Z); ${SCANNER} (1 record, 44 bytes, from 2024-06-01T10:05:00.000Z).`);
  assert.ok(connections.detail.endsWith(` The opening: ${opening.title}.`));
  // Anchored on the opening: its call, its actor, the group; from the first connection to the last.
  assert.deepEqual([connections.eventIds, connections.actor?.arn, connections.value, connections.sourceIPAddress, connections.severity, connections.count],
    [opening.eventIds, opening.actor?.arn, GROUP, INTRUDER, 'high', 1]);
  assert.deepEqual([connections.firstTime, connections.lastTime], ['2024-06-01T10:05:00.000Z', '2024-06-01T10:39:00.000Z']);
  assert.equal(connections.category, 'initial-access');
});

test('addresses that came in to different instances behind the group each say where', () => {
  const web2 = 'i-0e0e0e0e0e0e0e0e5';
  const web2Eni = 'eni-0e0e0e0e0e0e0e0e5';
  const { connections } = openingFindings([toWeb(INTRUDER, '2024-06-01T10:30:00Z', { bytes: 5_000 }), toWeb(SCANNER, '2024-06-01T10:31:00Z', { eni: web2Eni })], null,
    (db) => loadRecords(db, [launch('2024-06-01T09:10:00Z', web2, web2Eni, 'web-2', [GROUP])]));
  assert.equal(said(connections), 'Accepted flows from 2 addresses outside came in through the opening while it was open, the most data first: ' +
    `${INTRUDER} (1 record, 4.9 KB, from 2024-06-01T10:30:00.000Z, to ${WEB} (web-1)); ${SCANNER} (1 record, 840 bytes, from 2024-06-01T10:31:00.000Z, to ${web2} (web-2)).`);
});

test('an interface whose groups the case does not record counts in the group\'s VPC, and says so; in another VPC it does not', () => {
  const gone = 'eni-0c0c0c0c0c0c0c0c3';
  const { connections } = openingFindings([
    toWeb(INTRUDER, '2024-06-01T10:30:00Z', { eni: gone, instance: 'i-0c0c0c0c0c0c0c0c3', vpc: 'vpc-0prod' }),
    toWeb(SCANNER, '2024-06-01T10:30:00Z', { eni: 'eni-0d0d0d0d0d0d0d0d4', vpc: 'vpc-0other' }),
  ], null, (db) => db.prepare(`INSERT INTO edges (src, dst, kind, origin) VALUES (?, 'vpc-0prod', 'security-group-vpc', 'snapshot')`).run(GROUP));
  assert.equal(said(connections), 'Accepted flows from 1 address outside came in through the opening while it was open, to i-0c0c0c0c0c0c0c0c3, whose groups the case ' +
    `does not record, in the group's vpc-0prod, the most data first: ${INTRUDER} (1 record, 840 bytes, from 2024-06-01T10:30:00.000Z).`);
});

test('an account without snapshots: an interface of no known groups or network counts when nothing from outside came in on the port before the opening, and says so', () => {
  const gone = 'eni-0c0c0c0c0c0c0c0c3';
  const bastion = 'eni-0e0e0e0e0e0e0e0e5';
  const office = '192.0.2.10';
  const { connections } = openingFindings([
    // Refused before the opening: the port was closed.
    toWeb(SCANNER, '2024-06-01T09:30:00Z', { eni: gone, action: 'REJECT', direction: undefined }),
    toWeb(INTRUDER, '2024-06-01T10:30:00Z', { eni: gone, direction: undefined }),
    // A bastion the office reached on 22 before the opening too: some other rule lets them in.
    toWeb(office, '2024-06-01T08:00:00Z', { eni: bastion, direction: undefined }),
    toWeb(office, '2024-06-01T10:40:00Z', { eni: bastion, direction: undefined, bytes: 90_000 }),
  ]);
  assert.equal(said(connections), `Accepted flows from 1 address outside came in through the opening while it was open, to ${gone}, whose groups and network the case ` +
    `does not record, which took no connection on these ports from outside before the opening, the most data first: ${INTRUDER} (1 record, 840 bytes, from 2024-06-01T10:30:00.000Z).`);
});

test('an interface the case cannot place is not counted when the run could not read what came before the opening', () => {
  const gone = 'eni-0c0c0c0c0c0c0c0c3';
  const db = memoryCase();
  insertFlows(db, [
    toWeb('192.0.2.10', '2024-06-01T08:00:00Z', { eni: 'eni-0e0e0e0e0e0e0e0e5', direction: undefined }),
    toWeb(INTRUDER, '2024-06-01T10:30:00Z', { eni: gone, direction: undefined }),
  ]);
  const from = Date.parse('2024-06-01T10:00:00Z');
  const read = outsideFlows(db, rules, behindGroup(db, GROUP), from, null, { flowRecords: 1_000 });
  assert.ok(read !== null && read !== 'unread' && read.peers[0].address === INTRUDER);
  // One block of two records: the read of what came before takes the whole budget, so nothing is counted.
  assert.equal(outsideFlows(db, rules, behindGroup(db, GROUP), from, null, { flowRecords: 3 }), 'unread');
  db.close();
});

test('still open when the evidence ends: every later connection counts; without flow records, or none accepted through it, no finding', () => {
  const late = openingFindings([toWeb(INTRUDER, '2024-06-03T08:00:00Z')], null);
  assert.match(late.opening.detail, /Still open when the evidence ends/);
  assert.match(said(late.connections) ?? '', /^Accepted flows from 1 address outside came in through the opening while it was open/);
  assert.equal(openingFindings([], null).connections, undefined);
  assert.equal(openingFindings([toWeb(INTRUDER, '2024-06-01T10:30:00Z', { action: 'REJECT' })]).connections, undefined, 'flow records, none accepted through it');
});

test('sixteen thousand scanners knocking before and after the intruder do not push him out of the count', () => {
  const scanners = Array.from({ length: 16_000 }, (_, k) => toWeb(`198.51.${100 + Math.floor(k / 250)}.${1 + (k % 250)}`, `2024-06-01T${k < 6_000 ? '10:05' : '11:05'}:00Z`, { bytes: 60 }));
  const { connections } = openingFindings([...scanners.slice(0, 6_000), toWeb(INTRUDER, '2024-06-01T11:00:00Z', { bytes: 90_000 }), ...scanners.slice(6_000)]);
  assert.equal(connections?.title, `Connections from outside through ${GROUP}: ${INTRUDER} and more than 10,000 others`);
  assert.match(said(connections) ?? '', new RegExp(`^Accepted flows from more than 10,000 addresses outside came in through the opening while it was open, to ${WEB} \\(web-1\\), the most data first: ${INTRUDER.replace(/\./g, '\\.')} \\(1 record, 87\\.9 KB`));
  assert.match(said(connections) ?? '', /; and more than 9,997 more\.$/);
});

test('the run\'s budget of records is charged by what each block held, and says when it ran out', () => {
  const db = memoryCase();
  loadRecords(db, [launch('2024-06-01T09:00:00Z', WEB, WEB_ENI, 'web-1', [GROUP])]);
  insertFlows(db, [toWeb(INTRUDER, '2024-06-01T10:30:00Z'), ...Array.from({ length: 99 }, (_, k) => toWeb('10.0.2.9', '2024-06-01T10:31:00Z', { srcport: 40000 + k }))]);
  insertFlows(db, [toWeb(SCANNER, '2024-06-01T10:40:00Z')]);
  const from = Date.parse('2024-06-01T10:00:00Z');
  const budget = { flowRecords: 150 };
  const first = outsideFlows(db, rules, behindGroup(db, GROUP), from, null, budget);
  assert.ok(first !== null && first !== 'unread');
  assert.deepEqual([first.peers.length, first.cut, budget.flowRecords], [2, false, 49], 'both blocks read: 100 records and 1');
  assert.equal(outsideFlows(db, rules, behindGroup(db, GROUP), from, null, budget), 'unread', 'one block of 100 is more than is left');
  assert.equal(outsideFlows(db, rules, behindGroup(db, GROUP), from, null, budget), 'unread', 'nothing left');
  db.close();
});
