// The span a case's events fall in, less the few dated far from all the others: a time zeroed by an
// export (1970), a mistyped year (9999), one old file among a week's. Drawn over the whole range, one
// such event squeezes every other into a single bar of the timeline's histogram and a single step of
// the graph's time slider. Those events are kept, listed and counted; they are only not spanned.
import type { CaseDb } from '../../db/open-case.ts';
import { caseState } from '../case-state.ts';
import { stmt } from '../prepared.ts';

export type EventSpan = {
  /** The case's first and last event times (epoch ms). */
  first: number;
  last: number;
  /** The first and last event times of the span: every event but the far ones. */
  from: number;
  to: number;
  /** Events dated before `from` and after `to`. */
  earlier: number;
  later: number;
};

/**
 * The events at each end that may be called far: a hundredth of the case, and at least three (a small
 * export with a few zeroed times), but never more than a quarter, so that the middle holds half the
 * events. More than that at one end is a part of the case, and spanned.
 */
const TAIL_SHARE = 0.01;
const MIN_TAIL = 3;
const DAY_MS = 86_400_000;
/**
 * How far past the middle of the case an event may lie and still be spanned: four times the width of
 * the middle (the events less the tails), and never less than a month, so that a day's case still
 * spans the rest of its month and a quarter's the year around it.
 */
const REACH_WIDTHS = 4;
const MIN_REACH_MS = 30 * DAY_MS;

/** Each connection's last span, with the case's state it was found in. */
const known = new WeakMap<CaseDb, { state: string; span: EventSpan | null }>();

/**
 * The span of the case's events less the far ones, or null for a case without events. Kept while the
 * case is unchanged: an actor report asks for it in each of its parts (0.8 ms of its 13 on a million
 * events, found again each time).
 */
export function eventSpan(db: CaseDb): EventSpan | null {
  const state = caseState(db);
  const kept = known.get(db);
  if (kept?.state === state) return kept.span;
  const span = findEventSpan(db);
  known.set(db, { state, span });
  return span;
}

/**
 * Each step is a seek or a short walk of the time index: at most TAIL_SHARE of the events are stepped
 * over, and only the far ones are counted.
 */
function findEventSpan(db: CaseDb): EventSpan | null {
  const n = stmt(db, 'SELECT count(*) FROM event_rows').pluck().get() as number;
  if (n === 0) return null;
  // The k-th time from each end bounds the middle; of four events or fewer none is far from the others.
  const k = Math.min(Math.max(MIN_TAIL, Math.floor(n * TAIL_SHARE)), Math.floor((n - 1) / 4));
  const first = stmt(db, 'SELECT min(event_time) FROM event_rows').pluck().get() as number;
  const last = stmt(db, 'SELECT max(event_time) FROM event_rows').pluck().get() as number;
  const low = stmt(db, 'SELECT event_time FROM event_rows ORDER BY event_time LIMIT 1 OFFSET ?').pluck().get(k) as number;
  const high = stmt(db, 'SELECT event_time FROM event_rows ORDER BY event_time DESC LIMIT 1 OFFSET ?').pluck().get(k) as number;
  const reach = Math.max(MIN_REACH_MS, REACH_WIDTHS * (high - low));
  const from = stmt(db, 'SELECT min(event_time) FROM event_rows WHERE event_time >= ?').pluck().get(low - reach) as number;
  const to = stmt(db, 'SELECT max(event_time) FROM event_rows WHERE event_time <= ?').pluck().get(high + reach) as number;
  return {
    first,
    last,
    from,
    to,
    earlier: stmt(db, 'SELECT count(*) FROM event_rows WHERE event_time < ?').pluck().get(from) as number,
    later: stmt(db, 'SELECT count(*) FROM event_rows WHERE event_time > ?').pluck().get(to) as number,
  };
}
