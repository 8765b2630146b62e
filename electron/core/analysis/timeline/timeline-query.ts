// The timeline: events filtered and in time order, paged by a keyset cursor so the next page is another
// index range, not an OFFSET that rescans everything before it.
//
// Events of one time are in the order of their eventIDs (the row id only past that, which the unique
// index never reaches), not of their row ids: CloudTrail's times have one-second resolution, so in a
// busy account four events in ten share their second with another, and row ids follow the order the
// readers happened to finish their files in. Ordered by content, the same evidence gives the same
// timeline, export and report however and in whatever order it was ingested.
import type { IdentityKind, TimelineFilter, TimelinePage, TimelineRow } from '../../../../shared/engine-types.ts';
import { iamArnWithoutPath } from '../../../../shared/resource-ids.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, parseTime, stmt } from '../prepared.ts';
import { timeOrder } from '../event-order.ts';
import { compileTimelineQuery } from './timeline-query-language.ts';
import { searchWords } from '../search/search-words.ts';
import { LIST_FIELD_CHARS, PAGE_CHARS, ROW_RESOURCES, clipText, jsonChars, type ClippedLengths } from '../../../../shared/api/bounds.ts';
import { originLabelSql } from '../attribution/origin-label.ts';

export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 5000;

/** A row as SQL returns it: id, time, readOnly, and each TEXT_COLUMNS alias with its `_bytes`. */
type Row = { id: number; time: number; readOnly: number | null } & Record<string, unknown>;

// The row's text columns and the TimelineRow field each becomes. Each is clipped in SQL (substr), so a
// 15 MB user agent never reaches this process whole: SQLite hands over its start and its size.
const TEXT_COLUMNS = [
  ['e.event_id', 'eventId', 'eventId'], ['e.event_source', 'source', 'eventSource'], ['e.event_name', 'name', 'eventName'],
  ['e.aws_region', 'region', 'awsRegion'], ['e.account_id', 'account', 'accountId'], ['e.identity_type', 'identityType', 'identityType'],
  ['e.identity_arn', 'arn', 'actorArn'], ['e.access_key_id', 'key', 'accessKeyId'], ['e.source_ip', 'ip', 'sourceIPAddress'],
  ['e.user_agent', 'ua', 'userAgent'], ['e.error_code', 'error', 'errorCode'],
] as const;

/**
 * `expr`'s first `chars` + 1 characters and its UTF-8 size as `alias_bytes`. SQLite reads a column's
 * size without loading it (octet_length), and one character more than kept tells a cut value from a
 * whole one without counting the value's characters (which would load it a second time).
 */
export function clippedColumn(expr: string, alias: string, chars: number): string {
  return `substr(${expr}, 1, ${chars + 1}) AS ${alias}, octet_length(${expr}) AS ${alias}_bytes`;
}

/** A column read with clippedColumn, cut by the one clipping rule (clipText), with SQLite's size of the whole value. */
export function clipColumn(text: string | null, bytes: number | null, chars: number): { text: string | null; bytes?: number } {
  // SQLite's substr counts code points, so the text holds at least chars + 1 UTF-16 units when the value does.
  const c = text === null ? null : clipText(text, chars);
  return c ? { text: c.text, bytes: bytes ?? c.bytes } : { text };
}

function fieldLimit(chars: number | undefined): number {
  return Math.max(16, Math.floor(chars ?? LIST_FIELD_CHARS));
}

type ActorScope = { kind: 'origin'; id: number } | { kind: 'key'; key: string } | { kind: 'arn'; arn: string } | { kind: 'role'; arn: string } | { kind: 'none' };

/** What an --actor value names: an access key, an origin (person, instance…), a session ARN or a role. */
export function actorScope(db: CaseDb, actor: string): ActorScope {
  const q = actor.trim();
  if (stmt(db, 'SELECT 1 FROM events WHERE access_key_id = ? LIMIT 1').pluck().get(q)) return { kind: 'key', key: q };
  const origin = stmt(db, 'SELECT id FROM origins WHERE ident = ? OR ident = ? ORDER BY id LIMIT 1').pluck().get(q, iamArnWithoutPath(q)) as number | undefined;
  if (origin !== undefined) return { kind: 'origin', id: origin };
  if (stmt(db, 'SELECT 1 FROM events WHERE identity_arn = ? LIMIT 1').pluck().get(q)) return { kind: 'arn', arn: q };
  if (stmt(db, 'SELECT 1 FROM events WHERE session_issuer_arn = ? LIMIT 1').pluck().get(q)) return { kind: 'role', arn: q };
  const bySession = stmt(db, 'SELECT identity_arn FROM actors WHERE session_name = ? LIMIT 1').pluck().get(q) as string | undefined;
  if (bySession) return { kind: 'arn', arn: bySession };
  return { kind: 'none' };
}

/**
 * FTS5 query from user text: every word of it, each quoted so that operators and quotes in the input are
 * plain text, all of them required. Words as the index cuts them (search-words.ts).
 */
function ftsQuery(db: CaseDb, text: string): string | null {
  const words = searchWords(db, text).map((w) => `"${w.replace(/"/g, '""')}"`);
  return words.length ? words.join(' ') : null;
}

/**
 * Events past which the words of a search are common: when a page is read, their events are then
 * checked along the time index it walks (`+e.id` keeps SQLite from looking each match up by its row),
 * rather than every match looked up and all of them sorted for the page. On the typical million events
 * a page of `ec2.amazonaws.com` (270,147 events) took 295 ms looked up and 33 ms walked; an address of
 * 32 events 0.1 ms looked up and 45 ms walked (the whole index). Near 5,000 events both take a few
 * milliseconds from 100,000 to 5,000,000 events; counting up to it takes 0.3 ms. What reads every match
 * (the histogram's counts, a sort by another column) looks them up: walked, the histogram of that word
 * took 227 ms instead of 148.
 */
export const COMMON_WORDS_EVENTS = 5_000;

/** How a scope's matches are read: a page at a time in the timeline's order, or all of them. */
export type ScopeReading = 'pages' | 'every match';

/** The condition that keeps the events holding every word of `text`, with its argument; null when the text holds no word. */
export function textCondition(db: CaseDb, text: string, reading: ScopeReading): { sql: string; arg: string } | null {
  const match = ftsQuery(db, text);
  if (match === null) return null;
  const walked = reading === 'pages'
    && stmt(db, `SELECT count(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ${COMMON_WORDS_EVENTS})`).pluck().get(match) === COMMON_WORDS_EVENTS;
  return { sql: `${walked ? '+' : ''}e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)`, arg: match };
}

/** A cursor names the last row sent by its time and row id; the row's eventID is read back from the case. */
export function encodeCursor(time: number, id: number): string {
  return Buffer.from(`${time}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  const m = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new RangeError('invalid timeline cursor');
  return [Number(m[1]), Number(m[2])];
}

/** The FROM and WHERE of a filter (cursor excluded); null when the filter can match nothing. */
export type TimelineScope = { from: string; t: string; idCol: string; where: string[]; args: (string | number)[] };

export function timelineScope(db: CaseDb, filter: TimelineFilter, reading: ScopeReading): TimelineScope | null {
  const where: string[] = [];
  const args: (string | number)[] = [];
  // Time and tie-break columns: the origin index orders by its own copy of the time.
  let t = 'e.event_time';
  let idCol = 'e.id';
  let from = 'events e';

  if (filter.actor) {
    const scope = actorScope(db, filter.actor);
    switch (scope.kind) {
      case 'origin':
        from = 'event_actors ea JOIN events e ON e.id = ea.event';
        t = 'ea.event_time';
        idCol = 'ea.event';
        where.push('ea.origin = ?');
        args.push(scope.id);
        break;
      case 'key':
        where.push('e.access_key_id = ?');
        args.push(scope.key);
        break;
      case 'arn':
        where.push('e.identity_arn = ?');
        args.push(scope.arn);
        break;
      case 'role':
        where.push('e.session_issuer_arn = ?');
        args.push(scope.arn);
        break;
      case 'none': return null;
    }
  }
  if (filter.resource) {
    where.push('e.id IN (SELECT event FROM event_resources WHERE resource_id = ? OR resource_id = ?)');
    args.push(filter.resource, iamArnWithoutPath(filter.resource));
  }
  if (filter.node) {
    // Each branch is an index range (interned string id, then its event_rows index); the role branch
    // goes through the resolved actors, whose issuer is indexed. A temporary key's issuing call names
    // it as its credential row, not as a resource (resources/other-services.ts).
    const n = filter.node;
    const ip = n.startsWith('ip/') ? n.slice(3) : n;
    where.push(`e.id IN (SELECT event FROM event_resources WHERE resource_id = ? OR resource_id = ?
      UNION SELECT id FROM event_rows WHERE identity_arn = (SELECT id FROM strings WHERE value = ?)
      UNION SELECT id FROM event_rows WHERE access_key_id = (SELECT id FROM strings WHERE value = ?)
      UNION SELECT issued_event FROM credential_rows WHERE access_key_id = (SELECT id FROM strings WHERE value = ?)
      UNION SELECT id FROM event_rows WHERE source_ip = (SELECT id FROM strings WHERE value = ?)
      UNION SELECT ea.event FROM event_actors ea JOIN actors a ON a.id = ea.actor WHERE a.session_issuer_arn = ?)`);
    args.push(n, iamArnWithoutPath(n), n, n, n, ip, n);
  }
  if (filter.accounts?.length) {
    // On the view's column: a strings_value look-up, then a range of event_rows_account_time (one account:
    // already in time order, so a first page reads only its rows).
    where.push(filter.accounts.length === 1 ? 'e.account_id = ?' : `e.account_id IN (${filter.accounts.map(() => '?').join(', ')})`);
    args.push(...filter.accounts);
  }
  if (filter.eventName) {
    where.push('e.event_name = ?');
    args.push(filter.eventName);
  }
  if (filter.ip) {
    where.push('e.source_ip = ?');
    args.push(filter.ip);
  }
  if (filter.errorsOnly) where.push('e.error_code IS NOT NULL');
  if (filter.includeReadOnly === false) where.push('(e.read_only IS NULL OR e.read_only = 0)');
  if (filter.from) {
    where.push(`${t} >= ?`);
    args.push(parseTime(filter.from));
  }
  if (filter.to) {
    where.push(`${t} <= ?`);
    args.push(parseTime(filter.to));
  }
  if (filter.before) {
    where.push(`${t} < ?`);
    args.push(parseTime(filter.before));
  }
  if (filter.text) {
    const c = textCondition(db, filter.text, reading);
    if (c) {
      where.push(c.sql);
      args.push(c.arg);
    }
  }
  if (filter.query) {
    const compiled = compileTimelineQuery(db, filter.query, reading);
    if (compiled) {
      where.push(compiled.sql);
      args.push(...compiled.args);
    }
  }
  return { from, t, idCol, where, args };
}

export function timelinePage(db: CaseDb, filter: TimelineFilter): TimelinePage {
  const limit = pageLimit(filter.limit);
  const scope = pageScope(db, filter);
  if (!scope) return { rows: [], nextCursor: null };
  const { rows, more } = readPage(db, scope, timeOrder(scope.t, scope.idCol), limit, 0, filter);
  // The next page carries on from the last row sent.
  const last = more ? rows[rows.length - 1] : undefined;
  return { rows: rows.map((r) => r.row), nextCursor: last ? encodeCursor(last.time, last.id) : null };
}

/** A filter's scope from its cursor on, as a page in the timeline's order reads it; null when it matches nothing. */
export function pageScope(db: CaseDb, filter: TimelineFilter): TimelineScope | null {
  const scope = timelineScope(db, filter, 'pages');
  if (!scope) return null;
  const { t, idCol, where, args } = scope;
  if (filter.cursor) {
    const [ct, cid] = decodeCursor(filter.cursor);
    // The range first, as the index walks it (without it the planner may take the OR as two index
    // reads whose union it sorts whole); then, in the cursor's own time, the rows past its eventID.
    where.push(`${t} >= ? AND (${t} > ? OR (e.event_id, ${idCol}) > ((SELECT event_id FROM event_rows WHERE id = ?), ?))`);
    args.push(ct, ct, cid, cid);
  } else {
    // Without a range of time SQLite's planner may rather sort every match than walk a time index and
    // sort each time's ties (unfiltered, or errors only): a bound every time meets makes it walk the index.
    where.push(`${t} >= -9223372036854775808`);
  }
  return scope;
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_PAGE)), MAX_PAGE);
}

/**
 * One page of a scope in `orderBy` order from `offset`, as timeline rows. The page ends at the row that
 * would take it past its character budget (always at least one row); `more` says whether the scope
 * holds rows after the last one returned.
 */
export function readPage(db: CaseDb, scope: TimelineScope, orderBy: string, limit: number, offset: number, filter: Pick<TimelineFilter, 'fieldChars' | 'maxChars'>): { rows: { id: number; time: number; row: TimelineRow }[]; more: boolean } {
  const chars = fieldLimit(filter.fieldChars);
  const rows = stmt(db, pageSql(scope, orderBy, limit + 1, offset, chars)).all(...scope.args) as Row[];
  const more = rows.length > limit;
  if (more) rows.pop();
  const { originOf, resourcesOf } = rowDetails(db, rows.map((r) => r.id), chars);
  const text = (r: Record<string, unknown>, alias: string, field: string, clipped: ClippedLengths): string | null => {
    const c = clipColumn(r[alias] as string | null, r[`${alias}_bytes`] as number | null, chars);
    if (c.bytes !== undefined) clipped[field] = c.bytes;
    return c.text;
  };
  const budget = filter.maxChars ?? PAGE_CHARS;
  const out: { id: number; time: number; row: TimelineRow }[] = [];
  let size = 0;
  for (const r of rows) {
    const o = originOf.get(r.id);
    const clipped: ClippedLengths = {};
    const f = Object.fromEntries(TEXT_COLUMNS.map(([, alias, field]) => [field, text(r, alias, field, clipped)])) as Record<(typeof TEXT_COLUMNS)[number][2], string | null>;
    const { ids: resources, count } = resourcesOf.get(r.id) ?? { ids: [], count: 0 };
    const row: TimelineRow = {
      id: r.id, eventId: f.eventId!, eventTime: iso(r.time)!, eventSource: f.eventSource!, eventName: f.eventName!, awsRegion: f.awsRegion,
      accountId: f.accountId, identityType: f.identityType, actorArn: f.actorArn, accessKeyId: f.accessKeyId,
      origin: o ? text(o, 'label', 'origin', clipped) : null, originKind: (o?.kind as IdentityKind | undefined) ?? null,
      sourceIPAddress: f.sourceIPAddress, userAgent: f.userAgent, errorCode: f.errorCode, readOnly: r.readOnly === null ? null : r.readOnly === 1,
      resources,
    };
    if (count > ROW_RESOURCES) row.resourceCount = count;
    if (Object.keys(clipped).length) row.clipped = clipped;
    size += jsonChars(row);
    if (out.length > 0 && size > budget) return { rows: out, more: true };
    out.push({ id: r.id, time: r.time, row });
  }
  return { rows: out, more };
}

/** The SQL of `limit` timeline rows of a scope in `orderBy` order from `offset`, each text clipped to `chars`. */
export function pageSql(scope: TimelineScope, orderBy: string, limit: number, offset: number, chars: number): string {
  const { from, where } = scope;
  return `SELECT e.id, e.event_time AS time, e.read_only AS readOnly, ${TEXT_COLUMNS.map(([expr, alias]) => clippedColumn(expr, alias, chars)).join(', ')}
    FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * The origin and the first ROW_RESOURCES resources (in the order of their ids' text, with how many
 * there are) of a page's events, two queries for the page: a query per row for each cost about 50 µs
 * a row, most of a page of 1,000.
 */
function rowDetails(db: CaseDb, ids: number[], chars: number) {
  const list = JSON.stringify(ids);
  const originOf = new Map<number, { label: string; label_bytes: number; kind: string }>();
  for (const o of stmt(db, `SELECT ea.event, ${clippedColumn(originLabelSql('o'), 'label', chars)}, o.kind FROM event_actors ea JOIN origins o ON o.id = ea.origin
    WHERE ea.event IN (SELECT value FROM json_each(?))`).iterate(list) as IterableIterator<{ event: number; label: string; label_bytes: number; kind: string }>) {
    originOf.set(o.event, o);
  }
  const resourcesOf = new Map<number, { ids: string[]; count: number }>();
  // Every link of each event is read to count them (as a count per row did); only the first ROW_RESOURCES leave SQLite.
  for (const [event, id, count] of stmt(db, `SELECT event, substr(resource_id, 1, ${chars}), n FROM (
      SELECT event, resource_id, row_number() OVER (PARTITION BY event ORDER BY resource_id) AS k, count(*) OVER (PARTITION BY event) AS n
      FROM event_resources WHERE event IN (SELECT value FROM json_each(?)))
    WHERE k <= ${ROW_RESOURCES} ORDER BY event, k`).raw().iterate(list) as IterableIterator<[number, string, number]>) {
    const r = resourcesOf.get(event);
    if (r) r.ids.push(id);
    else resourcesOf.set(event, { ids: [id], count });
  }
  return { originOf, resourcesOf };
}

/** Every matching row, page by page, for exports of any size. */
export function* timelineRows(db: CaseDb, filter: TimelineFilter, pageSize = 2000): Generator<TimelineRow[]> {
  let cursor: string | null | undefined = filter.cursor;
  do {
    const page = timelinePage(db, { ...filter, limit: pageSize, cursor });
    if (page.rows.length) yield page.rows;
    cursor = page.nextCursor;
  } while (cursor);
}

/** One event by its row id, as a timeline row (the details panel, whose fields may be longer). */
export function timelineRowById(db: CaseDb, id: number, fieldChars?: number): TimelineRow | null {
  const scope: TimelineScope = { from: 'events e', t: 'e.event_time', idCol: 'e.id', where: ['e.id = ?'], args: [id] };
  return readPage(db, scope, 'e.id', 1, 0, { fieldChars }).rows[0]?.row ?? null;
}

/** Where each row text field lives in the events view, for fetching its full value (`event:field`). */
export const ROW_FIELD_COLUMNS: Record<string, string> = Object.fromEntries(TEXT_COLUMNS.map(([expr, , field]) => [field, expr.slice(2)]));
