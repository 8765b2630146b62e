// Blind windows: spans where CloudTrail was not recording, per trail. StopLogging opens one until
// the next StartLogging of that trail; DeleteTrail until the trail is logging again (CreateTrail and
// StartLogging); event selectors that drop management events until selectors include them again.
// With no restart the window runs to the end of the data. Only calls that succeeded count.
import type { BlindWindow, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';
import { items, member, path, str } from '../../json-values.ts';
import { iso, stmt } from '../prepared.ts';
import { eventSpan } from '../timeline/event-span.ts';
import { EVENT_ORDER } from '../event-order.ts';

const CALLS = ['StopLogging', 'StartLogging', 'DeleteTrail', 'CreateTrail', 'PutEventSelectors'];

/** "arn:aws:cloudtrail:us-east-1:111:trail/main" and "main" are the same trail. */
export function trailName(v: string | null): string | null {
  if (!v) return null;
  const i = v.lastIndexOf(':trail/');
  return i >= 0 ? v.slice(i + 7) : v;
}

function managementLogged(raw: unknown): boolean {
  const basic = items(path(raw, 'requestParameters', 'eventSelectors'));
  const advanced = items(path(raw, 'requestParameters', 'advancedEventSelectors'));
  if (basic.length) return basic.some((s) => member(s, 'includeManagementEvents') !== false);
  if (advanced.length) return JSON.stringify(advanced).includes('"Management"');
  return true;
}

export function blindWindows(db: CaseDb, actors = new Map<number, ResolvedActor>()): BlindWindow[] {
  const rows = stmt(db, `SELECT e.id, e.event_id AS eventId, e.event_time AS time FROM event_rows e
    WHERE e.event_name IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?))) AND e.error_code IS NULL ORDER BY ${EVENT_ORDER}`)
    .all(JSON.stringify(CALLS)) as { id: number; eventId: string; time: number }[];
  if (!rows.length) return [];
  // The end of the data is the last event of its span: past a record dated 9999, a window never
  // restarted would run 8,000 years.
  const end = eventSpan(db)?.to ?? rows[rows.length - 1].time;
  const open = new Map<string, { cause: BlindWindow['cause']; from: number; id: number; eventId: string; label: string }>();
  const out: BlindWindow[] = [];
  const close = (trail: string, at: number, endEventId: string | null) => {
    const w = open.get(trail);
    if (!w) return;
    open.delete(trail);
    out.push(windowOf(db, actors, w, at, endEventId));
  };
  for (const r of rows) {
    const raw = readRawEvent(db, r.id);
    const name = str(member(raw, 'eventName'));
    const label = str(path(raw, 'requestParameters', 'name')) ?? str(path(raw, 'requestParameters', 'trailName'));
    const trail = trailName(label);
    if (!trail) continue;
    if (name === 'StopLogging' || name === 'DeleteTrail') {
      if (!open.has(trail)) open.set(trail, { cause: name === 'StopLogging' ? 'stopped' : 'deleted', from: r.time, id: r.id, eventId: r.eventId, label: label! });
    } else if (name === 'StartLogging') close(trail, r.time, r.eventId);
    else if (name === 'PutEventSelectors') {
      if (!managementLogged(raw)) {
        if (!open.has(trail)) open.set(trail, { cause: 'narrowed', from: r.time, id: r.id, eventId: r.eventId, label: label! });
      } else if (open.get(trail)?.cause === 'narrowed') close(trail, r.time, r.eventId);
    }
  }
  for (const trail of [...open.keys()]) close(trail, Math.max(end, open.get(trail)!.from), null);
  return out.sort((a, b) => a.from.localeCompare(b.from));
}

function windowOf(db: CaseDb, actors: Map<number, ResolvedActor>, w: { cause: BlindWindow['cause']; from: number; id: number; eventId: string; label: string }, to: number, endEventId: string | null): BlindWindow {
  const minutes = Math.round((to - w.from) / 60_000);
  const span = minutes >= 120 ? `${Math.round(minutes / 6) / 10} hours` : `${minutes} minutes`;
  const what = w.cause === 'stopped' ? 'logging stopped' : w.cause === 'deleted' ? 'trail deleted' : 'management events no longer selected';
  return {
    trail: w.label, cause: w.cause, from: iso(w.from)!, to: iso(to)!, open: endEventId === null, eventId: w.eventId, endEventId,
    actor: actorOfEvent(db, w.id, actors),
    detail: `Trail ${w.label}: ${what} for ${span}${endEventId === null ? ', until the end of the data (never restarted)' : ''}. ` +
      'Calls in this window may be missing from the case: their absence proves nothing.',
  };
}

/** The windows that overlap [from, to] (ISO times; either may be open-ended). */
export function windowsOverlapping(windows: BlindWindow[], from?: string | null, to?: string | null): BlindWindow[] {
  return windows.filter((w) => (!to || w.from <= to) && (!from || w.to >= from));
}
