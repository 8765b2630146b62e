// `event:get`: one event for the details view, bounded. The row's fields keep DETAIL_FIELD_CHARS, every
// string of the raw record longer than that is cut to its start (its path and full size listed, for
// `event:field` to fetch), and the pretty-printed record stops at RAW_TEXT_CHARS.
import type { CaseDb } from '../../db/open-case.ts';
import type { ParsedInput } from '../../../../shared/api/index.ts';
import type { EventDetail, ClippedPath, TouchedRef } from '../../../../shared/api/types.ts';
import { DETAIL_FIELD_CHARS, LIST_FIELD_CHARS, RAW_TEXT_CHARS, clipText, clippedNote, utf8Bytes } from '../../../../shared/api/bounds.ts';
import { readRawEventText } from '../../db/raw-events.ts';
import { timelineRowById } from '../../analysis/timeline/timeline-query.ts';
import { actorOfEvent } from '../../analysis/attribution/actor-report.ts';
import { stmt } from '../../analysis/prepared.ts';
import { ApiFailure } from '../dispatch.ts';

/** Resources listed in the details view (the rest are counted). */
const DETAIL_RESOURCES = 500;
/** Clipped strings listed by path (a record of ten thousand long strings lists the first ones). */
const LISTED_PATHS = 200;

export type RawView = { raw: string; rawBytes: number; clippedPaths: ClippedPath[]; clippedPathCount: number; rawCut: boolean };

/** The stored record as the details view shows it: pretty JSON with long strings cut (or the text cut, if it is not JSON). */
export function rawView(text: string | null, fieldChars = DETAIL_FIELD_CHARS, maxChars = RAW_TEXT_CHARS): RawView {
  if (text === null) return { raw: '', rawBytes: 0, clippedPaths: [], clippedPathCount: 0, rawCut: false };
  const rawBytes = utf8Bytes(text);
  const clippedPaths: ClippedPath[] = [];
  let clippedPathCount = 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      const c = clipText(v, fieldChars);
      if (!c) return v;
      clippedPathCount++;
      if (clippedPaths.length < LISTED_PATHS) clippedPaths.push({ path, bytes: c.bytes });
      return c.text + clippedNote(c.bytes);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  const shown = walk(parsed, []);
  let raw = typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2);
  const rawCut = raw.length > maxChars;
  if (rawCut) raw = `${raw.slice(0, maxChars)}\n… (the record is ${rawBytes.toLocaleString('en-US')} bytes: load the whole record to see the rest)`;
  return { raw, rawBytes, clippedPaths, clippedPathCount, rawCut };
}

export function eventDetail(db: CaseDb, q: ParsedInput<'event:get'>): EventDetail {
  const id = q.id ?? (stmt(db, 'SELECT id FROM events WHERE event_id = ?').pluck().get(q.eventId) as number | undefined);
  const row = id === undefined ? null : timelineRowById(db, id, DETAIL_FIELD_CHARS);
  if (!row) throw new ApiFailure('not-found', `no event ${q.id ?? q.eventId}`);
  const resources = stmt(
    db,
    `SELECT substr(resource_id, 1, ${LIST_FIELD_CHARS}) AS id, substr(resource_type, 1, 256) AS type, substr(touch, 1, 256) AS touch FROM event_resources WHERE event = ? ORDER BY resource_id LIMIT ${DETAIL_RESOURCES}`,
  ).all(row.id) as TouchedRef[];
  const resourceCount = resources.length < DETAIL_RESOURCES ? resources.length : (stmt(db, 'SELECT count(*) FROM event_resources WHERE event = ?').pluck().get(row.id) as number);
  const origin = stmt(db, 'SELECT r.event_id_derived AS derived, s.read_as AS readAs FROM event_rows r LEFT JOIN sources s ON s.id = r.source_id WHERE r.id = ?').get(row.id) as
    | { derived: number | null; readAs: string | null }
    | undefined;
  return {
    row,
    ...rawView(readRawEventText(db, row.id)),
    resources,
    resourceCount,
    actor: actorOfEvent(db, row.id),
    eventIdDerived: origin?.derived === 1,
    readAs: origin?.readAs ? clipText(origin.readAs, LIST_FIELD_CHARS)?.text ?? origin.readAs : null,
  };
}
