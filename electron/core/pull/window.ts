// The time window of a pull: --since 7d | 12h | 2024-03-01[T..] and --until DATE (default now).
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseWhen(text: string, now = Date.now()): Date {
  const rel = /^(\d+)\s*([mhdw])$/i.exec(text.trim());
  if (rel) return new Date(now - Number(rel[1]) * UNITS[rel[2].toLowerCase()]);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`not a time: ${JSON.stringify(text)} (use 7d, 12h, or an ISO date)`);
  return new Date(t);
}

/** LookupEvents only reaches back 90 days. */
export const LOOKUP_MAX_DAYS = 90;

/** UTC days (as yyyy/mm/dd) from `since` to `until` inclusive, plus `extraDays` after (delivery lag). */
export function dayPrefixes(since: Date, until: Date, extraDays = 0, now = Date.now()): string[] {
  const out: string[] = [];
  const day = 86_400_000;
  const last = Math.min(until.getTime() + extraDays * day, now + day);
  for (let t = Math.floor(since.getTime() / day) * day; t <= last; t += day) {
    const d = new Date(t);
    out.push(`${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`);
  }
  return out;
}
