// The timeline's order of events, written once: by time, then by eventID (CloudTrail times are to the
// second, and many calls share one), then by row (only a crafted case repeats an eventID). Every list
// that shows events in time order, and every cut at a bound, uses it, so an answer does not depend on
// the order the evidence was ingested in.

/** Over an `events` or `event_rows` row named `e`. */
export const EVENT_ORDER = 'e.event_time, e.event_id, e.id';

/** The same over a scope's time column and row id (`e` is the events row), in either direction: a time index gives the first term. */
export function timeOrder(t: string, idCol: string, dir: 'ASC' | 'DESC' = 'ASC'): string {
  return `${t} ${dir}, e.event_id ${dir}, ${idCol} ${dir}`;
}
