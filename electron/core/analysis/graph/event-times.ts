// The events either side of a moment, so the graph's time slider lands on an event rather than on the
// minute the hand stopped at (issue 13): one index range each way on event_rows(event_time).
import type { NearestEvents } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, parseTime, stmt } from '../prepared.ts';


export function nearestEvents(db: CaseDb, at: string): NearestEvents {
  const t = parseTime(at);
  const before = stmt(db, 'SELECT max(event_time) FROM event_rows WHERE event_time <= ?').pluck().get(t) as number | null;
  const after = stmt(db, 'SELECT min(event_time) FROM event_rows WHERE event_time >= ?').pluck().get(t) as number | null;
  const nearest = before === null ? after : after === null ? before : t - before <= after - t ? before : after;
  return { before: iso(before), after: iso(after), nearest: iso(nearest) };
}
