// Timestamps as CloudTrail and the AWS CLI write them, always read as UTC. Date.parse is avoided for
// zone-less strings because it would read them in the machine's local zone.

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM]" (a space is accepted for "T"; no zone means UTC).
 * Returns ms since the epoch, or null.
 */
export function parseIsoTime(s: string): number | null {
  if (s.length < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let scale = 100;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
      i++;
    }
    ms = Math.floor(ms);
  }
  let offsetMin = 0;
  if (i < s.length) {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) {
      if (i + 1 !== s.length) return null;
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
      const om = digits(s, i + 3 + colon, 2);
      if (oh < 0 || om < 0 || i + 5 + colon !== s.length) return null;
      offsetMin = (z === 43 ? 1 : -1) * (oh * 60 + om);
    } else {
      return null;
    }
  }
  // Date.UTC reads the years 0 to 99 as 1900 to 1999: such a year is read 400 years on (a whole
  // Gregorian cycle, the same weekdays and leap days) and taken back.
  const t = (y < 100 ? Date.UTC(y + 400, mo - 1, d, h, mi, se, ms) - GREGORIAN_CYCLE_MS : Date.UTC(y, mo - 1, d, h, mi, se, ms)) - offsetMin * 60_000;
  return Number.isFinite(t) ? t : null;
}

/** 400 years of the Gregorian calendar: 146,097 days exactly. */
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

/** "Jul 30, 2024, 9:46:15 PM" / "Nov 18, 2017 1:21:51 AM": how CloudTrail prints STS expirations (UTC). */
export function parseJavaTime(s: string): number | null {
  const mo = MONTHS[s.slice(0, 3)];
  if (mo === undefined || s.charCodeAt(3) !== 32) return null;
  let i = 4;
  const readInt = (): number => {
    const start = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    return i > start ? Number(s.slice(start, i)) : -1;
  };
  const skip = (): void => {
    while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 44)) i++;
  };
  const d = readInt(); skip();
  const y = readInt(); skip();
  let h = readInt();
  if (s.charCodeAt(i) !== 58) return null;
  i++;
  const mi = readInt();
  if (s.charCodeAt(i) !== 58) return null;
  i++;
  const se = readInt();
  skip();
  const ampm = s.slice(i, i + 2).toUpperCase();
  if (d < 1 || y < 1970 || h < 0 || mi < 0 || se < 0) return null;
  if (ampm === 'PM' && h < 12) h += 12;
  else if (ampm === 'AM' && h === 12) h = 0;
  else if (ampm !== 'AM' && ampm !== 'PM' && ampm !== '') return null;
  const t = Date.UTC(y, mo, d, h, mi, se);
  return Number.isFinite(t) ? t : null;
}

/**
 * The last millisecond of the year 9999: a number past it is no time. Every stored time is an
 * integer under it, which fits SQLite's INTEGER (an eventTime of 1e308 was a REAL the event table
 * refused, failing the whole ingest) and has a four-digit year in ISO 8601, as CloudTrail writes and
 * as the workbench's filters, exports and spreadsheets read (the year 11476 prints "+011476-…").
 */
export const LAST_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An epoch number's unit, told by its size as log tools tell it: below 10^11 seconds (to the year
 * 5138), then milliseconds, microseconds and nanoseconds, each to the same year. Exports write all
 * four; read as milliseconds, microseconds made the year 55,000.
 */
const EPOCH_UNITS: [below: number, toMs: number][] = [[1e11, 1000], [1e14, 1], [1e17, 1e-3], [1e20, 1e-6]];

/** Any time CloudTrail, the CLI or an export writes: ISO strings, Java-style strings, epoch seconds, ms, µs or ns as numbers. */
export function parseAwsTime(v: unknown): number | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return null;
    const unit = EPOCH_UNITS.find(([below]) => v < below);
    if (!unit) return null;
    const ms = Math.round(v * unit[1]);
    return ms <= LAST_DATE_MS ? ms : null;
  }
  if (typeof v !== 'string' || v.length === 0) return null;
  const c = v.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const iso = parseIsoTime(v);
    if (iso !== null) return iso;
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? parseAwsTime(n) : null;
  }
  return parseJavaTime(v);
}
