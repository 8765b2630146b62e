// An instant as ISO 8601 text, for any number a case file may hold. The ingest stores only times of the
// years 0 to 9999, but a case file is handed over too: a crafted or damaged one may hold 9e18, which
// Date cannot hold, and toISOString would throw for the whole answer (the case summary, a report).

/** The last millisecond a JavaScript date holds, either side of the epoch. */
export const DATE_LIMIT_MS = 8.64e15;

/** `ms` as toISOString writes it; a time past what a date holds at the nearest end of that range, one that is no number at the epoch. */
export function isoInstant(ms: number): string {
  const t = Number(ms);
  return new Date(Number.isNaN(t) ? 0 : Math.max(-DATE_LIMIT_MS, Math.min(DATE_LIMIT_MS, t))).toISOString();
}
