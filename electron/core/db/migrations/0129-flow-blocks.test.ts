// Migration 129 on a case stored by the previous version: its flow rows move into column blocks and
// read back as they were, field by field (absent fields, hostile texts and an untimed record
// included), and what the app asks of them (an interface's conversations, an address found by
// search, the case's counts and accounts) answers as before. Adding the same records afterwards
// stores nothing twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { caseAtVersion } from '../../../../test-support/case-at-version.ts';
import { LATEST_VERSION } from './index.ts';
import { flowRecords } from '../../analysis/flows/flow-records.ts';
import { flowConversations } from '../../analysis/flows/flows-query.ts';
import { search } from '../../analysis/search/search.ts';
import { caseSummary } from '../../case-info.ts';
import { CaseWriter } from '../../ingest/writer.ts';
import { buildFlowBlock } from '../flow-block.ts';
import { emptyFlowRow } from '../../ingest/parse/flow-parser.ts';
import type { FlowRow } from '../../ingest/types.ts';

const T = Date.parse('2025-03-01T10:00:00Z');
const ROWS: Partial<FlowRow>[] = [
  { version: 2, accountId: '111122223333', interfaceId: 'eni-0aaa', srcaddr: '203.0.113.9', dstaddr: '10.0.0.5', srcport: 40000, dstport: 22, protocol: 6,
    packets: 10, bytes: 840, startTime: T, endTime: T + 60_000, action: 'ACCEPT', logStatus: 'OK' },
  { version: 5, accountId: '111122223333', interfaceId: 'eni-0aaa', srcaddr: '10.0.0.5', dstaddr: '203.0.113.9', srcport: 22, dstport: 40000, protocol: 6,
    packets: 8, bytes: 5_000_000_000, startTime: T + 1000, endTime: T + 61_000, action: 'ACCEPT', logStatus: 'OK', vpcId: 'vpc-0bbb', subnetId: 'subnet-0ccc',
    instanceId: 'i-0ddd', tcpFlags: 19, trafficType: 'IPv4', region: 'eu-west-1', azId: 'euw1-az1', flowDirection: 'egress', trafficPath: 8 },
  // Texts as hostile as a file can make them, and a record without times.
  { version: 2, accountId: '444455556666', interfaceId: "eni-'); DROP TABLE flows;--", srcaddr: '<img src=x>', dstaddr: '=cmd|"/c calc"!A1', action: 'REJECT', logStatus: 'NODATA' },
];

test('a version 128 case keeps every flow record, and its questions answer as before', (t) => {
  const { path, raw } = caseAtVersion(t, 128);
  raw.prepare(`INSERT INTO sources (id, path, sha256, size, kind, status, started_at) VALUES (7, 'f.log', 'x', 0, 'flowlog', 'done', 0)`).run();
  const insert = raw.prepare(`INSERT INTO flows (source_id, content_hash, version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets,
    bytes, start_time, end_time, action, log_status, vpc_id, subnet_id, instance_id, tcp_flags, traffic_type, region, az_id, flow_direction, traffic_path)
    VALUES (7, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const full = ROWS.map((r) => ({ ...emptyFlowRow(), ...r }));
  full.forEach((r, i) => insert.run(i + 1, r.version, r.accountId, r.interfaceId, r.srcaddr, r.dstaddr, r.srcport, r.dstport, r.protocol, r.packets, r.bytes,
    r.startTime, r.endTime, r.action, r.logStatus, r.vpcId, r.subnetId, r.instanceId, r.tcpFlags, r.trafficType, r.region, r.azId, r.flowDirection, r.trafficPath));
  raw.close();

  const db = openCase(path);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.equal(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'flows'`).pluck().get(), 0, 'the row table is gone');
  const back = flowRecords(db, {}, 100).records.map(({ id: _id, ...r }) => r);
  assert.deepEqual(back.sort(byText), full.sort(byText), 'every field of every record');
  assert.deepEqual(db.prepare('SELECT DISTINCT source_id FROM flow_blocks').pluck().all(), [7], 'kept with its source');

  const convs = flowConversations(db, { eni: 'eni-0aaa' });
  assert.equal(convs.reduce((n, c) => n + c.records, 0), 2);
  assert.deepEqual(search(db, '203.0.113.9').map((h) => h.id), ['ip/203.0.113.9']);
  assert.match(search(db, '203.0.113.9')[0].detail ?? '', /2 flow records/);
  const summary = caseSummary(db, path);
  assert.equal(summary.flows, 3);
  assert.ok(summary.accounts.includes('444455556666') && summary.regions.includes('eu-west-1'));
  assert.equal(summary.flowFirstTime, new Date(T).toISOString());

  // The same records arriving again (an overlapping export) are recognised.
  const writer = new CaseWriter(db);
  const counts = writer.writeFlows(7, buildFlowBlock(full), []);
  assert.deepEqual([counts.stored, counts.duplicates], [0, 3]);
  assert.equal(flowRecords(db, {}, 100).records.length, 3);
});

/** Orders records by their fields' text, field order aside. */
function byText(a: FlowRow, b: FlowRow): number {
  const text = (r: FlowRow) => JSON.stringify(Object.entries(r).sort());
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

test('a version 128 case whose bulk load was killed (flow indexes dropped, the marker naming them) opens and migrates', (t) => {
  const { path, raw } = caseAtVersion(t, 128);
  const names = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('flows', 'event_rows') AND sql IS NOT NULL`).pluck().all() as string[];
  assert.ok(names.includes('flows_content'));
  raw.prepare(`INSERT INTO case_meta (key, value) VALUES ('bulk_load_dropped_indexes', ?)`).run(JSON.stringify(names));
  for (const name of names) raw.exec(`DROP INDEX "${name}"`);
  raw.close();
  const db = openCase(path);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.equal(db.prepare(`SELECT count(*) FROM case_meta WHERE key = 'bulk_load_dropped_indexes'`).pluck().get(), 0);
  assert.ok(db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'event_rows_time'`).get(), 'the event indexes are back');
});
