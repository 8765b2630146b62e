// Helpers for the engine's unit tests: a fresh case in memory and CloudTrail-shaped rows inserted
// directly (the normalizer has its own tests; these pin down the engine's logic on exact inputs).
import { readFileSync } from 'node:fs';
import { openCase, type CaseDb } from '../electron/core/db/open-case.ts';
import { CaseWriter } from '../electron/core/ingest/writer.ts';
import { refreshDerived } from '../electron/core/analysis/refresh-derived.ts';
import { StringTable } from '../electron/core/db/string-table.ts';
import { REAL } from './real-data.ts';
import { ownerOfIdentity } from '../shared/resource-ids.ts';
import { hourOf } from '../electron/core/db/call-hours.ts';
import { FlowStore } from '../electron/core/db/flow-store.ts';
import { buildFlowBlock } from '../electron/core/db/flow-block.ts';
import { emptyFlowRow } from '../electron/core/ingest/parse/flow-parser.ts';
import type { FlowRow } from '../electron/core/ingest/types.ts';

export function memoryCase(): CaseDb {
  return openCase(':memory:');
}

export type TestEvent = {
  eventId: string;
  time: string;
  name: string;
  source?: string;
  region?: string;
  account?: string;
  identity: {
    type: string;
    arn?: string;
    key?: string;
    account?: string;
    userName?: string;
    issuer?: string;
    session?: string;
    invokedBy?: string;
    onBehalfOf?: string;
    sourceIdentity?: string;
  };
  ip?: string;
  ua?: string;
  error?: string;
  readOnly?: boolean;
  raw?: Record<string, unknown>;
  resources?: { id: string; type: string; touch: string }[];
  issued?: { key: string; kind?: string; role?: string; session?: string; issuedArn?: string; expires?: string; subject?: string; callerType?: string; callerArn?: string; callerKey?: string;
    sourceIdentity?: string };
};

let sourceReady = new WeakSet<CaseDb>();

export function insertEvents(db: CaseDb, events: TestEvent[]): number[] {
  if (!sourceReady.has(db)) {
    db.prepare(`INSERT INTO source_rows (id, name, size, kind, status, started_at) VALUES (1, 'test', 0, 'cloudtrail', 'done', 0)`).run();
    sourceReady.add(db);
  }
  const ids: number[] = [];
  const block = db.prepare(`INSERT INTO raw_blocks (codec, data) VALUES ('json', ?)`);
  const str = new StringTable(db);
  const ev = db.prepare(`INSERT INTO event_rows (event_id, event_time, event_source, event_name, aws_region, account_id, identity_type,
    identity_arn, identity_account, access_key_id, user_name, session_issuer_arn, session_name, invoked_by, source_identity, on_behalf_of,
    source_ip, user_agent, error_code, read_only, source_id, raw_block, raw_index)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 0)`);
  const er = db.prepare(`INSERT OR IGNORE INTO event_resource_rows (resource, event_time, event, resource_type, touch) VALUES (?, ?, ?, ?, ?)`);
  const cred = db.prepare(`INSERT OR IGNORE INTO credential_rows (access_key_id, kind, issued_event, issued_at, expires_at, issued_arn, role_arn,
    session_name, caller_arn, caller_type, caller_key, caller_ip, subject, source_identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const fts = db.prepare(`INSERT INTO events_fts (rowid, text) VALUES (?, ?)`);
  // Each identity's calls counted as the writer counts them (the overview reads the counts).
  const principal = db.prepare(`INSERT INTO principals (arn, type, account_id, name, first_seen, last_seen, event_count) VALUES (?, ?, ?, ?, ?, ?, 1)
    ON CONFLICT(arn) DO UPDATE SET name = coalesce(principals.name, excluded.name), first_seen = min(coalesce(principals.first_seen, excluded.first_seen), excluded.first_seen),
      last_seen = max(coalesce(principals.last_seen, excluded.last_seen), excluded.last_seen), event_count = principals.event_count + 1`);
  const serviceCall = db.prepare(`INSERT INTO owner_service_calls (hour, owner, event_source, events) VALUES (?, ?, ?, 1)
    ON CONFLICT(hour, owner, event_source) DO UPDATE SET events = events + 1`);
  for (const e of events) {
    const i = e.identity;
    const account = e.account ?? i.account ?? '111111111111';
    const raw = {
      eventVersion: '1.09', eventID: e.eventId, eventTime: e.time, eventName: e.name, eventSource: e.source ?? 'ec2.amazonaws.com',
      awsRegion: e.region ?? 'us-east-1', sourceIPAddress: e.ip ?? null, userAgent: e.ua ?? null, recipientAccountId: account,
      userIdentity: { type: i.type, arn: i.arn, accessKeyId: i.key, accountId: i.account ?? account },
      ...(e.error ? { errorCode: e.error } : {}),
      ...e.raw,
    };
    const blockId = Number(block.run(Buffer.from(JSON.stringify(raw))).lastInsertRowid);
    const t = Date.parse(e.time);
    const [source, name, region, acct, type, arn, idAccount, key, userName, issuer, session, invokedBy, sourceIdentity, onBehalfOf, ip, ua, error] = [
      e.source ?? 'ec2.amazonaws.com', e.name, e.region ?? 'us-east-1', account, i.type, i.arn, i.account ?? account, i.key, i.userName,
      i.issuer, i.session, i.invokedBy, i.sourceIdentity, i.onBehalfOf, e.ip, e.ua, e.error,
    ].map((text) => str.id(text));
    const id = Number(ev.run(e.eventId, t, source, name, region, acct, type, arn, idAccount, key, userName, issuer, session, invokedBy,
      sourceIdentity, onBehalfOf, ip, ua, error, e.readOnly === undefined ? null : e.readOnly ? 1 : 0, blockId).lastInsertRowid);
    ids.push(id);
    if (i.arn) principal.run(i.arn, i.type, i.account ?? account, i.userName ?? i.session ?? null, t, t);
    if (i.arn && source !== null) serviceCall.run(hourOf(t), str.id(ownerOfIdentity(i.arn)), source);
    for (const r of e.resources ?? []) er.run(str.id(r.id), t, id, str.id(r.type), str.id(r.touch));
    fts.run(id, [e.name, i.arn, e.ip, e.ua, ...(e.resources ?? []).map((r) => r.id)].filter(Boolean).join(' '));
    if (e.issued) {
      const s = e.issued;
      cred.run(str.id(s.key), str.id(s.kind ?? 'AssumeRole'), id, t, s.expires ? Date.parse(s.expires) : t + 3600_000, str.id(s.issuedArn), str.id(s.role),
        str.id(s.session), str.id(s.callerArn ?? i.arn), str.id(s.callerType ?? i.type), str.id(s.callerKey ?? i.key), str.id(e.ip), str.id(s.subject),
        str.id(s.sourceIdentity));
    }
  }
  return ids;
}

export function resetTestSupport(): void {
  sourceReady = new WeakSet();
}

/**
 * Stores CloudTrail records through the real normalizer and writer (as an ingest would), then
 * refreshes the derived tables.
 */
export function loadRecords(db: CaseDb, records: unknown[], path = 'records.json'): void {
  const writer = new CaseWriter(db);
  const id = writer.startSource({ path, sha256: `${path}:${records.length}:${Math.random()}`, size: 0, kind: 'cloudtrail' });
  writer.writeCloudTrail(id, records);
  writer.finishSource(id, 'done');
  refreshDerived(db);
}

/** Records of a JSON file: a bare array, {Records: […]}, or Panther/StreamAlert test YAML is not handled here. */
export function readRecords(file: string): unknown[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (Array.isArray(doc)) return doc;
  const records = (doc as { Records?: unknown[] }).Records;
  return Array.isArray(records) ? records : [doc];
}

export { REAL };

export type TestFlow = {
  eni: string;
  src: string;
  dst: string;
  srcport: number;
  dstport: number;
  start: string;
  action?: 'ACCEPT' | 'REJECT';
  protocol?: number;
  instance?: string;
  vpc?: string;
  direction?: 'ingress' | 'egress';
  account?: string;
  /** 840 unless given (10 packets). */
  bytes?: number;
};

/** Flow records with the fields given (the others null), stored as the writer stores them: one block of source 2. */
export function insertFlowRows(db: CaseDb, rows: Partial<FlowRow>[]): void {
  db.prepare(`INSERT OR IGNORE INTO source_rows (id, name, size, kind, status, started_at) VALUES (2, 'flows', 0, 'flowlog', 'done', 0)`).run();
  db.transaction(() => new FlowStore(db).insert(2, buildFlowBlock(rows.map((r) => ({ ...emptyFlowRow(), ...r })))))();
}

/** Flow log records (v5 fields the engine reads), one minute each. */
export function insertFlows(db: CaseDb, flows: TestFlow[]): void {
  const rows = flows.map((f): FlowRow => {
    const t = Date.parse(f.start);
    return {
      ...emptyFlowRow(), version: 5, interfaceId: f.eni, srcaddr: f.src, dstaddr: f.dst, srcport: f.srcport, dstport: f.dstport, protocol: f.protocol ?? 6,
      packets: 10, bytes: f.bytes ?? 840, startTime: t, endTime: t + 60_000, action: f.action ?? 'ACCEPT', logStatus: 'OK', vpcId: f.vpc ?? null,
      instanceId: f.instance ?? null, flowDirection: f.direction ?? null, accountId: f.account ?? null,
    };
  });
  insertFlowRows(db, rows);
}
