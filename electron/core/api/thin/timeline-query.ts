// THIN QUERY (workbench-owned, see report): timeline pages and the density histogram straight from
// the events table. The engine's timeline has no read-only switch and no "node" filter (acted or was
// touched), both of which the workbench needs; keyset paging on (event_time, id) keeps every page
// an index range, so a 1,000,000-event case scrolls as fast as a small one.
import type { CaseDb } from '../../db/open-case.ts';
import type { TimelineFilterInput } from '../../../../shared/api/index.ts';
import type { TimelinePage, TimelineRow } from '../../../../shared/engine-types.ts';
import type { Histogram } from '../../../../shared/api/types.ts';

type Where = { sql: string; params: unknown[] };

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** FTS5 query text for a user's words: each word quoted so operators in the input stay literal. */
function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).filter(Boolean).slice(0, 16);
  if (!words.length) return null;
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ');
}

export function whereOf(filter: TimelineFilterInput): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.from) {
    clauses.push('e.event_time >= ?');
    params.push(Date.parse(filter.from));
  }
  if (filter.to) {
    clauses.push('e.event_time < ?');
    params.push(Date.parse(filter.to));
  }
  if (filter.eventName) {
    clauses.push('e.event_name = ?');
    params.push(filter.eventName);
  }
  if (filter.ip) {
    clauses.push('e.source_ip = ?');
    params.push(filter.ip);
  }
  if (filter.errorsOnly) clauses.push('e.error_code IS NOT NULL');
  if (!filter.includeReadOnly) clauses.push('(e.read_only IS NULL OR e.read_only = 0)');
  if (filter.actor) {
    // The recorded identity in any of its spellings, or the resolved origin (a person behind sessions).
    clauses.push(
      '(e.identity_arn = ? OR e.access_key_id = ? OR e.session_issuer_arn = ? OR e.user_name = ? OR e.session_name = ? OR e.id IN (SELECT ea.event FROM event_actors ea JOIN origins o ON o.id = ea.origin WHERE o.ident = ?))',
    );
    params.push(filter.actor, filter.actor, filter.actor, filter.actor, filter.actor, filter.actor);
  }
  if (filter.resource) {
    clauses.push('e.id IN (SELECT event FROM event_resources WHERE resource_id = ?)');
    params.push(filter.resource);
  }
  if (filter.node) {
    clauses.push(
      '(e.id IN (SELECT event FROM event_resources WHERE resource_id = ?) OR e.identity_arn = ? OR e.access_key_id = ? OR e.session_issuer_arn = ? OR e.source_ip = ?)',
    );
    const ip = filter.node.startsWith('ip/') ? filter.node.slice(3) : filter.node;
    params.push(filter.node, filter.node, filter.node, filter.node, ip);
  }
  if (filter.text) {
    const q = ftsQuery(filter.text);
    if (q) {
    clauses.push('e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(q);
  }
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

type EventRow = {
  id: number;
  event_id: string;
  event_time: number;
  event_source: string;
  event_name: string;
  aws_region: string | null;
  account_id: string | null;
  identity_type: string | null;
  identity_arn: string | null;
  access_key_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  error_code: string | null;
  read_only: number | null;
  origin: string | null;
  origin_kind: string | null;
};

// The resolved origin comes from the engine's derived tables (event_actors, origins).
const COLUMNS =
  'e.id, e.event_id, e.event_time, e.event_source, e.event_name, e.aws_region, e.account_id, e.identity_type, e.identity_arn, e.access_key_id, e.source_ip, e.user_agent, e.error_code, e.read_only, ' +
  '(SELECT o.label FROM event_actors ea JOIN origins o ON o.id = ea.origin WHERE ea.event = e.id) AS origin, ' +
  '(SELECT o.kind FROM event_actors ea JOIN origins o ON o.id = ea.origin WHERE ea.event = e.id) AS origin_kind';

export function toTimelineRow(r: EventRow, resources: string[]): TimelineRow {
  return {
    id: r.id,
    eventId: r.event_id,
    eventTime: new Date(r.event_time).toISOString(),
    eventSource: r.event_source,
    eventName: r.event_name,
    awsRegion: r.aws_region,
    accountId: r.account_id,
    identityType: r.identity_type,
    actorArn: r.identity_arn,
    accessKeyId: r.access_key_id,
    origin: r.origin,
    originKind: r.origin_kind as TimelineRow['originKind'],
    sourceIPAddress: r.source_ip,
    userAgent: r.user_agent,
    errorCode: r.error_code,
    readOnly: r.read_only === null ? null : r.read_only === 1,
    resources,
  };
}

function resourcesOf(db: CaseDb, ids: number[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  if (!ids.length) return map;
  const rows = db
    .prepare(`SELECT event, resource_id FROM event_resources WHERE event IN (${ids.map(() => '?').join(',')})`)
    .all(...ids) as { event: number; resource_id: string }[];
  for (const r of rows) {
    const list = map.get(r.event) ?? [];
    list.push(r.resource_id);
    map.set(r.event, list);
  }
  return map;
}

export function timelinePage(db: CaseDb, filter: TimelineFilterInput, cursor: string | null | undefined, limit = 200): TimelinePage {
  const where = whereOf(filter);
  const params = [...where.params];
  let keyset = '';
  if (cursor) {
    const [t, id] = cursor.split(':').map(Number);
    if (Number.isFinite(t) && Number.isFinite(id)) {
      keyset = ' AND (e.event_time > ? OR (e.event_time = ? AND e.id > ?))';
      params.push(t, t, id);
    }
  }
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM events e WHERE ${where.sql}${keyset} ORDER BY e.event_time, e.id LIMIT ?`)
    .all(...params, limit + 1) as EventRow[];
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const res = resourcesOf(db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => toTimelineRow(r, res.get(r.id) ?? [])),
    nextCursor: more && last ? `${last.event_time}:${last.id}` : null,
  };
}

export function timelineRowById(db: CaseDb, id: number): TimelineRow | null {
  const r = db.prepare(`SELECT ${COLUMNS} FROM events e WHERE e.id = ?`).get(id) as EventRow | undefined;
  return r ? toTimelineRow(r, resourcesOf(db, [id]).get(id) ?? []) : null;
}

/** Event counts per time bucket over the case's whole span (or the filter's window). */
export function timelineHistogram(db: CaseDb, filter: TimelineFilterInput, buckets: number): Histogram {
  const span = db.prepare('SELECT min(event_time) AS lo, max(event_time) AS hi FROM events').get() as { lo: number | null; hi: number | null };
  const from = filter.from ? Date.parse(filter.from) : (span.lo ?? 0);
  const to = filter.to ? Date.parse(filter.to) : (span.hi ?? 0) + 1;
  const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
  // The window itself comes from the arguments; the other filters narrow what is counted.
  const where = whereOf({ ...filter, from: undefined, to: undefined });
  const rows = db
    .prepare(
      `SELECT (e.event_time - ?) / ? AS b, count(*) AS n FROM events e WHERE e.event_time >= ? AND e.event_time < ? AND ${where.sql} GROUP BY b`,
    )
    .all(from, bucketMs, from, to, ...where.params) as { b: number; n: number }[];
  const counts = new Array<number>(buckets).fill(0);
  for (const r of rows) if (r.b >= 0 && r.b < buckets) counts[Math.floor(r.b)] += r.n;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketMs, counts };
}
