// The hour a call is counted in (owner_service_calls, migration 0138): the writer, the migration and the
// overview's reading all round alike, so the hours before a moment and that moment's own hour, read from
// the events, never count a call twice or miss one.
const HOUR_MS = 3_600_000;

/** The hour since 1970 a time in ms falls in, rounded down (before 1970 too). */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/** The first ms of an hour of hourOf. */
export function hourStart(hour: number): number {
  return hour * HOUR_MS;
}
