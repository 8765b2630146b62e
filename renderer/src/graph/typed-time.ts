// The time typed into the graph's "Go to time" box. Pure, so it is tested in Node.
/** A typed time: ISO, or "YYYY-MM-DD HH:MM[:SS]" read as UTC or local time as the app shows times. */
export function parseTyped(text: string, utc: boolean): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*(Z|UTC)?$/i.exec(text);
  if (m) {
    const [y, mo, d, h, mi, sec] = m.slice(1, 7).map((x) => Number(x ?? 0));
    // No rolling over: 2025-13-40 is a typo, not February.
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
    const ms = utc || m[7] ? Date.UTC(y, mo - 1, d, h, mi, sec) : new Date(y, mo - 1, d, h, mi, sec).getTime();
    return Number.isFinite(ms) ? ms : null;
  }
  const iso = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(iso) ? iso : null;
}
