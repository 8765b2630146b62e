// A port scan from inside is a finding of the flow records: an instance that tried many ports of a
// neighbour within the hour, named with its instance and joined to the incident of the instance's
// sessions. What looks like many ports and is not a scan stays out: a server's answers to its clients,
// the internet's scanners knocking from outside, a client of a few services, ports spread over a day.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrailscope } from '../../../../test-support/run-cli.ts';
import { seeded } from '../../../../test-support/mutated-records.ts';
import { insertFlowRows, loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { findings } from './findings.ts';
import { OUTSIDE_SCAN_RULE, PORT_SCAN_RULE } from './port-scans.ts';
import { findScans, PORTS_TO_FLAG } from '../flows/port-scan-windows.ts';
import type { Finding } from '../../../../shared/engine-types.ts';

const A = '111122223333';
const WEB = 'i-0a0a0a0a0a0a0a0a1';
const WEB_ENI = 'eni-0a0a0a0a0a0a0a0a1';
const WEB_IP = '10.0.1.5';
const DB_ENI = 'eni-0d0d0d0d0d0d0d0d4';
const DB_IP = '10.0.2.7';
const HOUR = 3_600_000;
const T0 = Date.parse('2024-06-01T10:00:00Z');

const launch = {
  eventVersion: '1.09', eventID: '5c0e1f2a-0000-4000-8000-000000000001', eventTime: '2024-06-01T09:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances',
  awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.23', userAgent: 'aws-cli/2.15.0', recipientAccountId: A,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICEXXX', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEKKK' },
  requestParameters: { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890', minCount: 1, maxCount: 1 }] },
    tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: 'web-1' }] }] } },
  responseElements: { instancesSet: { items: [{ instanceId: WEB, privateIpAddress: WEB_IP,
    networkInterfaceSet: { items: [{ networkInterfaceId: WEB_ENI, privateIpAddress: WEB_IP, attachment: { deviceIndex: 0 } }] } }] } },
};
/** A call of the web instance's role session, so the instance is an origin of the case. */
const instanceCall = {
  eventVersion: '1.09', eventID: '5c0e1f2a-0000-4000-8000-000000000002', eventTime: '2024-06-01T09:30:00Z', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets',
  awsRegion: 'eu-west-1', sourceIPAddress: '203.0.113.10', userAgent: 'aws-sdk-go/1.44', recipientAccountId: A,
  userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/web-role/${WEB}`, accountId: A, principalId: `AROA3V4QW7ZXWEBROLEX:${WEB}`, accessKeyId: 'ASIA3V4QW7ZXWEBKEY01',
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/web-role`, accountId: A, userName: 'web-role', principalId: 'AROA3V4QW7ZXWEBROLEX' },
      ec2RoleDelivery: '2.0', attributes: { creationDate: '2024-06-01T09:00:00Z', mfaAuthenticated: 'false' } } },
};

/** A version 2 record (no direction, no flags) of `src:sport` → `dst:dport`, logged on `eni`, one minute from `t`. */
const record = (eni: string, src: string, sport: number, dst: string, dport: number, t: number, more: Partial<FlowRow> = {}): Partial<FlowRow> => ({
  version: 2, accountId: A, interfaceId: eni, srcaddr: src, dstaddr: dst, srcport: sport, dstport: dport, protocol: 6, packets: 1, bytes: 44,
  startTime: t, endTime: t + 60_000, action: 'REJECT', logStatus: 'OK', ...more,
});

/** The web instance's probes of `ports` of the database host, each logged on both interfaces, a second apart from `t`. */
function probes(ports: number[], t: number, more: Partial<FlowRow> = {}): Partial<FlowRow>[] {
  return ports.flatMap((port, i) => [
    record(WEB_ENI, WEB_IP, 41_000 + i, DB_IP, port, t + i * 1000, more),
    record(DB_ENI, WEB_IP, 41_000 + i, DB_IP, port, t + i * 1000, more),
  ]);
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

function scanFindings(rows: Partial<FlowRow>[], more?: (db: CaseDb) => void): { scans: Finding[]; all: Finding[] } {
  const db = memoryCase();
  loadRecords(db, [launch, instanceCall]);
  insertFlowRows(db, rows);
  more?.(db);
  const all = findings(db).findings;
  db.close();
  return { scans: all.filter((f) => f.kind === 'port-scan'), all };
}

test('an instance that tried thirty ports of a neighbour is one finding, named with its instance, joined to its sessions\' incident', () => {
  const ports = [...range(20, 10), ...range(3300, 10), ...range(5430, 10)];
  const { scans, all } = scanFindings([
    ...probes(ports, T0),
    // The database let 5432 through: its answer (from the service port to the prober's) is no probe.
    record(WEB_ENI, WEB_IP, 41_022, DB_IP, 5432, T0 + 22_000, { action: 'ACCEPT', bytes: 120 }),
    record(DB_ENI, DB_IP, 5432, WEB_IP, 41_022, T0 + 22_000, { action: 'ACCEPT', bytes: 60 }),
  ]);
  assert.equal(scans.length, 1, JSON.stringify(all.map((f) => f.title)));
  const [scan] = scans;
  assert.equal(scan.kind, 'port-scan');
  assert.equal(scan.category, 'discovery');
  assert.equal(scan.severity, 'medium');
  assert.equal(scan.title, `Port scan from ${WEB_IP} (${WEB} (web-1)): 30 ports of ${DB_IP}`);
  assert.equal(scan.firstTime, '2024-06-01T10:00:00.000Z');
  assert.equal(scan.lastTime, '2024-06-01T10:00:29.000Z');
  assert.equal(scan.count, 61, 'every probe as both interfaces logged it, and the one accepted');
  assert.deepEqual(scan.eventIds, []);
  assert.equal(scan.sourceIPAddress, WEB_IP);
  assert.ok(scan.detail.includes(`tried 30 destination ports (20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 3300, 3301, … 18 more) of ${DB_IP} (30 ports)`), scan.detail);
  assert.ok(scan.detail.includes('61 flow records, 60 rejected. Let through by the security groups and network ACLs: 5432.'), scan.detail);
  assert.deepEqual(scan.flows, { source: WEB_IP, accountId: A, interfaces: [WEB_ENI, DB_ENI], instanceId: WEB, records: 61, rejected: 60 });
  assert.equal(scan.actor?.origin.id, WEB, 'the instance is the origin of its sessions');
  assert.equal(scan.id, `${PORT_SCAN_RULE}@2024-06-01T10:00:00.000Z`);
  assert.ok(scan.incident !== undefined);
  const incidentOfSessions = all.filter((f) => f.actor?.origin.id === WEB && f !== scan);
  for (const f of incidentOfSessions) assert.equal(f.incident, scan.incident);
});

test('many ports that are no scan stay out: answers to clients, knocks from many addresses, a client of a few services, ports spread over hours, health checks, RPC\'s dynamic ports, traceroute', () => {
  const { scans } = scanFindings([
    // A database answering its clients: from its service port to each connection's ephemeral port.
    ...range(0, 40).map((i) => record(DB_ENI, DB_IP, 5432, WEB_IP, 40_000 + i * 7, T0 + i * 1000, { action: 'ACCEPT' })),
    // The same answers where the record's TCP flags say so (SYN-ACK), from a service on a high port to a lower one.
    ...range(0, 40).map((i) => record(DB_ENI, DB_IP, 50_051, WEB_IP, 30_000 + i, T0 + i * 1000, { action: 'ACCEPT', version: 3, tcpFlags: 19 })),
    // The internet's scanners knocking on the database's interface from outside, a port each.
    ...range(0, 40).map((i) => record(DB_ENI, `198.51.100.${i}`, 51_000, DB_IP, 1000 + i, T0 + i * 1000)),
    // A client of nine services and the common ones, on one host.
    ...[...range(9000, PORTS_TO_FLAG - 1), 53, 80, 123, 443].map((port, i) => record(WEB_ENI, WEB_IP, 45_000 + i, '10.0.3.3', port, T0 + i * 1000, { action: 'ACCEPT' })),
    // Five ports an hour, for three hours.
    ...range(0, 15).map((i) => record(WEB_ENI, WEB_IP, 46_000 + i, '10.0.4.4', 7000 + i, T0 + Math.floor(i / 5) * 2 * HOUR, { action: 'ACCEPT' })),
    // A load balancer's health checks of a dozen NodePorts of a node: whole connections, four packets each.
    ...range(0, 24).map((i) => record(DB_ENI, '10.0.0.200', 33_000 + i, DB_IP, 30_000 + (i % 12), T0 + i * 5000, { action: 'ACCEPT', packets: 4, bytes: 240 })),
    // A domain member and its controller: RPC's dynamic ports, above the ephemeral range's start.
    ...range(0, 40).map((i) => record(WEB_ENI, WEB_IP, 60_000 + i, '10.0.6.6', 49_700 + i * 13, T0 + i * 1000, { action: 'ACCEPT' })),
    // Traceroute: UDP to its own range of ports.
    ...range(0, 30).map((i) => record(WEB_ENI, WEB_IP, 44_000, '10.0.7.7', 33_434 + i, T0 + i * 1000, { protocol: 17, srcport: 44_000 })),
    // ICMP has no ports.
    ...range(0, 40).map((i) => record(WEB_ENI, WEB_IP, 0, '10.0.5.5', 0, T0 + i * 1000, { protocol: 1, srcport: 0, dstport: 0 })),
  ]);
  assert.deepEqual(scans.map((f) => f.title), []);
});

test('a scan from outside is low, named with the host it tried; high when the scanner then got in on a port it had probed', () => {
  const scanner = '198.51.100.200';
  const knocks = (from: string, t: number) => range(0, 15).map((i) => record(DB_ENI, from, 51_000 + i, DB_IP, 3300 + i, t + i * 1000));
  // What it let in later: a handshake of a few packets is no session; thirty packets on a probed port are.
  const { scans } = scanFindings([
    ...knocks(scanner, T0),
    ...knocks('203.0.113.77', T0),
    record(DB_ENI, '203.0.113.77', 52_000, DB_IP, 3306, T0 + HOUR, { action: 'ACCEPT', packets: 4 }),
    record(DB_ENI, '203.0.113.77', 52_001, DB_IP, 3310, T0 + 2 * HOUR, { action: 'ACCEPT', packets: 30, bytes: 40_000 }),
    record(DB_ENI, '203.0.113.77', 52_001, DB_IP, 3310, T0 + 2 * HOUR + 60_000, { action: 'ACCEPT', packets: 25, bytes: 30_000 }),
    record(DB_ENI, '203.0.113.77', 52_002, DB_IP, 3400, T0 + 2 * HOUR, { action: 'ACCEPT', packets: 90 }), // a port it never probed
  ], (db) => loadRecords(db, [{ ...launch, eventID: '5c0e1f2a-0000-4000-8000-000000000003', responseElements: { instancesSet: { items: [{ instanceId: 'i-0d0d0d0d0d0d0d0d4',
    networkInterfaceSet: { items: [{ networkInterfaceId: DB_ENI, privateIpAddress: DB_IP }] } }] } } }]));
  const bySource = new Map(scans.map((f) => [f.sourceIPAddress, f]));
  const knocked = bySource.get(scanner)!;
  assert.equal(knocked.title, `Port scan from outside: ${scanner} tried 15 ports of ${DB_IP} (i-0d0d0d0d0d0d0d0d4 (web-1))`);
  assert.equal(knocked.severity, 'low');
  assert.equal(knocked.rule?.id, OUTSIDE_SCAN_RULE);
  assert.equal(knocked.actor, null);
  assert.equal(knocked.flows?.instanceId, 'i-0d0d0d0d0d0d0d0d4');
  const gotIn = bySource.get('203.0.113.77')!;
  assert.equal(gotIn.title, `Port scan from outside: 203.0.113.77 tried 15 ports of ${DB_IP} (i-0d0d0d0d0d0d0d0d4 (web-1)), then got in on port 3310`);
  assert.equal(gotIn.severity, 'high');
  assert.equal(gotIn.category, 'initial-access');
  assert.ok(gotIn.detail.includes('Then it got in: 10.0.2.7 port 3310 accepted 2 records of more than a handshake (55 packets) from 2024-06-01T12:00:00.000Z.'), gotIn.detail);
  assert.equal(gotIn.lastTime, '2024-06-01T12:00:00.000Z');
  assert.equal(scans.length, 2);
});

test('a scan across the hour is found by the half-hour grid; two scans five hours apart are two findings', () => {
  const across = probes(range(100, 12), T0 + 55 * 60_000 - 6_000, {}).map((r, i) => ({ ...r, startTime: (r.startTime as number) + Math.floor(i / 2) * 59_000 }));
  const later = probes(range(200, 15), T0 + 6 * HOUR);
  const { scans } = scanFindings([...across, ...later]);
  assert.deepEqual(scans.map((f) => [f.title, f.firstTime]).sort(), [
    [`Port scan from ${WEB_IP} (${WEB} (web-1)): 12 ports of ${DB_IP}`, '2024-06-01T10:54:54.000Z'],
    [`Port scan from ${WEB_IP} (${WEB} (web-1)): 15 ports of ${DB_IP}`, '2024-06-01T16:00:00.000Z'],
  ]);
  assert.equal(new Set(scans.map((f) => f.id)).size, 2);
});

test('records that say their direction and flags: an IPv6 address leaving its interface scans from inside, one entering it from outside; behind a NAT gateway the instance is the source', () => {
  const v6 = '2600:1f18:aaaa:bb00::15';
  const natEni = 'eni-0e0e0e0e0e0e0e0e5';
  const { scans } = scanFindings([
    ...range(0, 12).map((i) => record(WEB_ENI, v6, 52_000 + i, '2600:1f18:cccc:dd00::9', 8000 + i, T0 + i * 1000, { version: 5, flowDirection: 'egress', tcpFlags: 2 })),
    ...range(0, 12).map((i) => record(WEB_ENI, '2a05:d018::77', 52_000 + i, v6, 8000 + i, T0 + i * 1000, { version: 5, flowDirection: 'ingress', tcpFlags: 2 })),
    ...range(0, 12).map((i) => record(natEni, '10.0.0.9', 60_000 + i, '198.51.100.80', 2000 + i, T0 + i * 1000, { version: 5, flowDirection: 'egress', pktSrcaddr: '10.0.7.7', tcpFlags: 2, action: 'ACCEPT' })),
  ]);
  assert.deepEqual(scans.map((f) => f.title).sort(), [
    'Port scan from 10.0.7.7: 12 ports of 198.51.100.80',
    `Port scan from ${v6} (${WEB} (web-1)): 12 ports of 2600:1f18:cccc:dd00::9`,
    `Port scan from outside: 2a05:d018::77 tried 12 ports of ${v6} (${WEB} (web-1))`,
  ]);
});

test('version 2 records, which say no direction: an IPv6 address of an instance\'s snapshot, or one whose probes of several hosts its interface logged, scans from inside; the internet\'s stays outside', () => {
  const v6 = '2600:1f18:aaaa:bb00::15';
  const other = '2600:1f18:aaaa:bb00::40';
  const outsider = '2a05:d018::77';
  const target = (k: number) => `2600:1f18:cccc:dd00::${k}`;
  const snapshot = (db: CaseDb) => db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', ?, 'h1', ?)`)
    .run(WEB, T0, JSON.stringify({ InstanceId: WEB, PrivateIpAddress: WEB_IP, NetworkInterfaces: [{ NetworkInterfaceId: WEB_ENI, Ipv6Addresses: [{ Ipv6Address: v6 }] }] }));
  // The web instance's probes of one host, logged on its interface and the host's: only its snapshot says whose address it is.
  const byConfig = range(0, 12).flatMap((i) => [
    record(WEB_ENI, v6, 52_000 + i, target(9), 8000 + i, T0 + i * 1000),
    record('eni-0c0c0c0c0c0c0c0c9', v6, 52_000 + i, target(9), 8000 + i, T0 + i * 1000),
  ]);
  // An address no snapshot holds probing two hosts, both logged on one interface: the scanner's.
  const byInterface = [1, 2].flatMap((k) => range(0, 11).map((i) => record(DB_ENI, other, 53_000 + i, target(k), 3000 + i, T0 + i * 1000)));
  // The internet trying two of the account's hosts, each logged on its own interface.
  const fromOutside = [1, 2].flatMap((k) => range(0, 11).map((i) => record(`eni-0f0f0f0f0f0f0f0f${k}`, outsider, 54_000 + i, target(k), 3000 + i, T0 + i * 1000)));
  const { scans } = scanFindings([...byConfig, ...byInterface, ...fromOutside], snapshot);
  const bySource = new Map(scans.map((f) => [f.sourceIPAddress, f]));
  assert.equal(bySource.get(v6)?.title, `Port scan from ${v6} (${WEB} (web-1)): 12 ports of ${target(9)}`);
  assert.equal(bySource.get(v6)?.severity, 'medium');
  assert.equal(bySource.get(v6)?.flows?.instanceId, WEB);
  assert.ok(bySource.get(v6)?.actor, 'the scan joins the web instance\'s sessions');
  assert.equal(bySource.get(other)?.title, `Port scan from ${other}: 11 ports of 2 hosts`);
  assert.equal(bySource.get(other)?.severity, 'medium');
  assert.equal(bySource.get(outsider)?.title, `Port scan from outside: ${outsider} tried 11 ports of 2 hosts`);
  assert.equal(bySource.get(outsider)?.severity, 'low');
  assert.equal(scans.length, 3);
});

test('a sweep from an IPv6 address an instance\'s snapshot holds is from inside, though version 2 records say no direction', () => {
  const v6 = '2600:1f18:aaaa:bb00::15';
  const snapshot = (db: CaseDb) => db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', ?, 'h1', ?)`)
    .run(WEB, T0, JSON.stringify({ InstanceId: WEB, Ipv6Address: v6 }));
  const sweep = range(1, 25).map((k) => record(WEB_ENI, v6, 46_000 + k, `2600:1f18:cccc:dd00::${k}`, 22, T0 + k * 1000));
  assert.deepEqual(scanFindings(sweep).scans.map((f) => f.title), [], 'without the snapshot a sweep of public addresses is the internet\'s');
  assert.deepEqual(scanFindings(sweep, snapshot).scans.map((f) => f.title), [`Port scan from ${v6} (${WEB} (web-1)): port 22 of 25 hosts`]);
});

test('an account without snapshots: the host scanned is named by the RunInstances call that gave it the address, the one holding it then', () => {
  const neighbour = '10.0.3.3';
  const launched = (n: number, at: string, instance: string) => ({ ...launch, eventID: `5c0e1f2a-0000-4000-8000-00000000001${n}`, eventTime: at,
    responseElements: { instancesSet: { items: [{ instanceId: instance, privateIpAddress: neighbour }] } } });
  const scan = range(0, 12).map((i) => record(WEB_ENI, WEB_IP, 52_000 + i, neighbour, 8000 + i, T0 + i * 1000));
  const { scans } = scanFindings(scan, (db) => loadRecords(db, [launched(1, '2024-06-01T08:00:00Z', 'i-0f0f0f0f0f0f0f0f6'), launched(2, '2024-06-01T11:00:00Z', 'i-0e0e0e0e0e0e0e0e7')]));
  assert.deepEqual(scans.map((f) => f.title), [`Port scan from ${WEB_IP} (${WEB} (web-1)): 12 ports of ${neighbour} (i-0f0f0f0f0f0f0f0f6 (web-1))`]);
});

test('records logged on both sides as leaving and entering: the scanner and the host scanned are each named with their instance', () => {
  const DB = 'i-0d0d0d0d0d0d0d0d4';
  const both = range(0, 12).flatMap((i) => [
    record(WEB_ENI, WEB_IP, 52_000 + i, DB_IP, 8000 + i, T0 + i * 1000, { version: 5, flowDirection: 'egress', tcpFlags: 2 }),
    record(DB_ENI, WEB_IP, 52_000 + i, DB_IP, 8000 + i, T0 + i * 1000, { version: 5, flowDirection: 'ingress', tcpFlags: 2 }),
  ]);
  const { scans } = scanFindings(both, (db) => db.prepare(`INSERT INTO edges (src, dst, kind, origin) VALUES (?, ?, 'eni-instance', 'snapshot')`).run(DB_ENI, DB));
  assert.deepEqual(scans.map((f) => [f.title, f.flows?.instanceId]), [[`Port scan from ${WEB_IP} (${WEB} (web-1)): 12 ports of ${DB_IP} (${DB})`, WEB]]);
});

test('a busy network of random connections between six hosts over a working day, some refused, some cut short, holds no scan', () => {
  const random = seeded(7);
  const hosts = range(1, 6).map((k) => `10.0.20.${k}`);
  const services = [22, 25, 110, 143, 389, 636, 1433, 2049, 3306, 5432, 5672, 6379, 8080, 8443, 9000, 9092, 9200, 11211, 15672, 27017];
  const rows = range(0, 60_000).map(() => {
    const src = hosts[Math.floor(random() * hosts.length)];
    const dst = hosts.filter((h) => h !== src)[Math.floor(random() * (hosts.length - 1))];
    const refused = random() < 0.1;
    return record(WEB_ENI, src, 32_768 + Math.floor(random() * 28_000), dst, services[Math.floor(random() * services.length)], T0 + Math.floor(random() * 8 * HOUR),
      { action: refused ? 'REJECT' : 'ACCEPT', packets: refused ? 1 : 1 + Math.floor(random() * 100) });
  });
  const { scans } = scanFindings(rows);
  assert.deepEqual(scans.map((f) => f.title), []);
});

test('a client of a dozen services whose connections are sometimes refused is not scanning; a scanner that talks to the open ports it found still scanned the rest', () => {
  const client = '10.0.3.3';
  const { scans } = scanFindings([
    // The client: whole connections to twelve ports, and a refused attempt at each now and then.
    ...range(0, 12).flatMap((p) => [
      record(WEB_ENI, client, 50_000 + p, DB_IP, 7000 + p, T0 + p * 1000, { action: 'ACCEPT', packets: 12, bytes: 5_000 }),
      record(WEB_ENI, client, 51_000 + p, DB_IP, 7000 + p, T0 + 60_000 + p * 1000),
    ]),
    // The scanner: fourteen ports probed, two of them open, which it then talks to.
    ...probes(range(3300, 14), T0),
    ...[3300, 3301].map((port, k) => record(WEB_ENI, WEB_IP, 43_000 + k, DB_IP, port, T0 + 30_000, { action: 'ACCEPT', packets: 9, bytes: 900 })),
  ]);
  assert.deepEqual(scans.map((f) => [f.sourceIPAddress, f.title]), [[WEB_IP, `Port scan from ${WEB_IP} (${WEB} (web-1)): 14 ports of ${DB_IP}`]]);
});

test('from inside, one port of twenty hosts or more within the hour is a sweep; fewer hosts, whole connections, or a sweep from outside are not', () => {
  const host = (k: number) => `10.0.8.${k}`;
  const { scans } = scanFindings([
    ...range(1, 25).map((k) => record(WEB_ENI, WEB_IP, 46_000 + k, host(k), 22, T0 + k * 1000)),
    ...range(1, 25).map((k) => record(WEB_ENI, WEB_IP, 47_000 + k, host(k), 445, T0 + 60_000 + k * 1000)),
    // A monitoring agent scraping thirty hosts: whole connections.
    ...range(1, 30).map((k) => record(DB_ENI, DB_IP, 48_000 + k, `10.0.9.${k}`, 9100, T0 + k * 1000, { action: 'ACCEPT', packets: 8, bytes: 4_000 })),
    // Nineteen hosts on 3389 from another instance.
    ...range(1, 19).map((k) => record(DB_ENI, DB_IP, 49_000 + k, `10.0.10.${k}`, 3389, T0 + k * 1000)),
    // The internet sweeping port 23 over thirty public addresses of the account.
    ...range(1, 30).map((k) => record(WEB_ENI, '198.51.100.200', 50_000, `10.0.11.${k}`, 23, T0 + k * 1000)),
  ]);
  assert.deepEqual(scans.map((f) => f.title), [`Port scan from ${WEB_IP} (${WEB} (web-1)): ports 22, 445 of 25 hosts`]);
  assert.ok(scans[0].detail.startsWith(`${WEB_IP} (${WEB} (web-1)) tried 2 destination ports (22, 445) of ${host(1)} (2 ports), ${host(10)} (2 ports), ${host(11)} (2 ports) and 22 more hosts,`), scans[0].detail);
  assert.equal(scans[0].count, 50);
});

test('a scan of many hosts is one finding named by the host of the most ports; the account filter keeps it by the records\' account', () => {
  const rows = [20, 21, 22].flatMap((last, h) => range(0, 10 + h).map((i) => record(WEB_ENI, WEB_IP, 47_000 + i, `10.0.9.${last}`, 1 + i, T0 + h * 60_000 + i * 1000)));
  const db = memoryCase();
  loadRecords(db, [launch, instanceCall]);
  insertFlowRows(db, rows);
  const mine = findings(db, { accounts: [A] }).findings.filter((f) => f.kind === 'port-scan');
  const others = findings(db, { accounts: ['999988887777'] }).findings.filter((f) => f.kind === 'port-scan');
  db.close();
  assert.equal(mine.length, 1);
  assert.equal(mine[0].title, `Port scan from ${WEB_IP} (${WEB} (web-1)): 12 ports of 3 hosts`);
  assert.ok(mine[0].detail.includes('of 10.0.9.22 (12 ports), 10.0.9.21 (11 ports), 10.0.9.20 (10 ports),'), mine[0].detail);
  assert.deepEqual(others, []);
});

test('a crafted case: an address of a megabyte is cut in the words, an account of separators stays the account, and the finding is still one', () => {
  const huge = `10.${'9'.repeat(1_000_000)}`;
  const account = '12:\u00003';
  const { scans } = scanFindings(range(0, 12).map((i) => record(WEB_ENI, WEB_IP, 48_000 + i, huge, 3000 + i, T0 + i * 1000, { accountId: account })));
  assert.equal(scans.length, 1);
  assert.equal(scans[0].sourceIPAddress, WEB_IP);
  assert.equal(scans[0].flows?.accountId, account);
  assert.ok(scans[0].title.length < 300, `${scans[0].title.length} characters`);
  assert.ok(scans[0].detail.length < 2_000, `${scans[0].detail.length} characters`);
});

test('trailscope ingest of a trail and a version 2 flow log as S3 delivers it, then trailscope findings: the scan, its instance, and the words', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'trailscope-port-scan-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'handed-over');
  mkdirSync(dir);
  writeFileSync(join(dir, `${A}_CloudTrail_eu-west-1_20240601T0900Z_a1b2c3d4.json`), JSON.stringify({ Records: [launch, instanceCall] }));
  // The default format's fields, no header, as a flow log delivers them: both interfaces log each probe.
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const lines = range(0, 30).flatMap((i) => [WEB_ENI, DB_ENI].map((eni) =>
    `2 ${A} ${eni} ${WEB_IP} ${DB_IP} ${41_000 + i} ${1000 + i} 6 1 44 ${seconds(T0) + i} ${seconds(T0) + i + 60} REJECT OK`));
  // A web server's answers to a client on its ephemeral ports are no probes.
  lines.push(...range(0, 30).map((i) => `2 ${A} ${WEB_ENI} ${WEB_IP} 10.0.3.3 443 ${50_000 + i} 6 5 900 ${seconds(T0) + i} ${seconds(T0) + i + 60} ACCEPT OK`));
  writeFileSync(join(dir, `${A}_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20240601T1000Z_5e6f7a8b.log`), `${lines.join('\n')}\n`);
  const casePath = join(root, 'scan.case');
  const ingest = await runTrailscope(['ingest', '--case', casePath, dir]);
  assert.equal(ingest.code, 0, ingest.err);
  assert.match(ingest.out, /90 flow records/);
  const listed = await runTrailscope(['findings', '--case', casePath]);
  assert.equal(listed.code, 0, listed.err);
  assert.match(listed.out, new RegExp(`Port scan from ${WEB_IP.replace(/\./g, '\\.')} \\(${WEB} \\(web-1\\)\\): 30 ports of ${DB_IP.replace(/\./g, '\\.')}`));
  assert.match(listed.out, /rule port-scan T1046/);
  const json = await runTrailscope(['findings', '--case', casePath, '--json']);
  const scans = (JSON.parse(json.out).findings as Finding[]).filter((f) => f.kind === 'port-scan');
  assert.equal(scans.length, 1);
  assert.ok(scans[0].detail.includes('60 flow records, 60 rejected. Every probe was rejected.'), scans[0].detail);
  assert.deepEqual(scans[0].flows?.interfaces, [WEB_ENI, DB_ENI]);
});

test('past its budget of records a run stops reading and says so; what it read is still found', () => {
  const db = memoryCase();
  const first = probes(range(100, 12), T0);
  insertFlowRows(db, first);
  insertFlowRows(db, probes(range(200, 12), T0 + 6 * HOUR));
  const notes: string[] = [];
  const scans = findScans(db, first.length, notes);
  const all = findScans(db, 10 * first.length, []);
  db.close();
  assert.deepEqual(scans.map((s) => s.first), [T0]);
  assert.deepEqual(notes, [`Port scans looked for in the first ${first.length} flow records only`]);
  assert.equal(all.length, 2);
});
