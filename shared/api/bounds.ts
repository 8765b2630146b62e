// Bounds on every answer. A record field is attacker-chosen text of any size (a 15 MB user agent is a
// valid CloudTrail field), so lists, pages, exports and the details view show the start of a long
// value and its full length, and the full value is fetched on demand in bounded chunks (`event:field`).
// Shared by the core (which clips) and the renderer (which shows the note), so both say the same thing.

/** Characters of one field in lists, timeline pages and exports. */
export const LIST_FIELD_CHARS = 4096;
/** Characters of one field in the details view (event:get: its row and each string of the raw record). */
export const DETAIL_FIELD_CHARS = 64 * 1024;
/** Characters of the raw record as the details view shows it, clipped strings included. */
export const RAW_TEXT_CHARS = 1024 * 1024;
/**
 * Items of each list of an actor report (keys, sessions, addresses, agents, regions, calls, errors);
 * the rest are counted. A Lambda service's or a CI role's origin on a churned account has tens of
 * thousands of keys and addresses: listed whole, one report was 10 MB and froze the panel.
 */
export const REPORT_LIST_ITEMS = 200;
/** Resource ids listed on one timeline row (the rest are counted). */
export const ROW_RESOURCES = 50;
/** Bytes of one `event:field` chunk at most. */
export const FIELD_CHUNK_BYTES = 1024 * 1024;
/** Serialized size (JSON characters) of one timeline page: a page stops early rather than pass it. */
export const PAGE_CHARS = 4 * 1024 * 1024;
/** Serialized size of any answer but an export: the dispatcher refuses to send a larger one. */
export const ANSWER_CHARS = 32 * 1024 * 1024;
/** Characters of an export's content through the API: past it the export stops and says so. */
export const EXPORT_CHARS = 64 * 1024 * 1024;
/** Characters of one encoded workbench view (a URL fragment, a saved view's state). */
export const VIEW_STATE_CHARS = 8192;
/** Characters of a saved view's name. */
export const VIEW_NAME_CHARS = 128;

/** The timeline row fields that are text: the ones a row clips and `event:field` can return whole. */
export const ROW_TEXT_FIELDS = [
  'eventId', 'eventSource', 'eventName', 'awsRegion', 'accountId', 'identityType', 'actorArn', 'accessKeyId', 'origin', 'sourceIPAddress', 'userAgent', 'errorCode',
] as const;
export type RowTextField = (typeof ROW_TEXT_FIELDS)[number];

/** For each clipped field, the UTF-8 size in bytes of its full value. Absent when nothing was clipped. */
export type ClippedLengths = Partial<Record<string, number>>;

/** UTF-8 size of a string without encoding it (the renderer has no Buffer). */
export function utf8Bytes(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The one clipping rule: a value longer than `limit` characters keeps its first `limit` characters
 * (never half a surrogate pair) and reports its full UTF-8 size; a shorter one is returned as null.
 */
export function clipText(value: string, limit: number): { text: string; bytes: number } | null {
  if (value.length <= limit) return null;
  const end = (value.charCodeAt(limit - 1) & 0xfc00) === 0xd800 ? limit - 1 : limit;
  return { text: value.slice(0, end), bytes: utf8Bytes(value) };
}

/** What follows a clipped value wherever it is shown as text (lists, CSV, Markdown, terminal). */
export function clippedNote(bytes: number): string {
  return `… (${bytes.toLocaleString('en-US')} bytes)`;
}

/**
 * The clipped form of a value known by its start and its full UTF-8 size (an engine that read no more
 * of it): the start, then the note, within `limit` characters in all, so clipStrings leaves it be.
 */
export function clippedStart(start: string, bytes: number, limit: number): string {
  const note = clippedNote(bytes);
  let end = Math.min(start.length, Math.max(0, limit - note.length));
  if (end > 0 && (start.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
  return start.slice(0, end) + note;
}

/** A field as text for people: its start and the note when it was clipped. */
export function shownValue(value: string | null, bytes: number | undefined): string | null {
  return value === null || bytes === undefined ? value : value + clippedNote(bytes);
}

/**
 * The serialized (JSON) size of a value in characters, walking it without building the JSON; stops
 * counting past `max` so a huge answer costs no more than the ceiling. Escapes are counted as JSON
 * writes them, so the result is exact for the plain data answers are made of.
 */
export function jsonChars(value: unknown, max = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const walk = (v: unknown): void => {
    if (total > max) return;
    if (typeof v === 'string') {
      total += v.length + 2;
      // Control characters, quotes and backslashes grow when escaped (\" is 2, \u0001 is 6).
      if (/["\\\u0000-\u001f]/.test(v)) for (const m of v.matchAll(/["\\\u0000-\u001f]/g)) total += /["\\\b\f\n\r\t]/.test(m[0]) ? 1 : 5;
    } else if (typeof v === 'number') total += Number.isFinite(v) ? String(v).length : 4;
    else if (typeof v === 'boolean') total += v ? 4 : 5;
    else if (v === null || v === undefined) total += 4;
    else if (Array.isArray(v)) {
      total += 2 + Math.max(0, v.length - 1);
      for (const x of v) walk(x);
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      total += 2 + Math.max(0, entries.length - 1);
      for (const [k, x] of entries) {
        walk(k);
        total += 1;
        walk(x);
      }
    }
  };
  walk(value);
  return total;
}

/**
 * Every string of an answer longer than `limit` cut (start, then the note): the net under answers
 * whose engines do not clip their own fields (graph labels, findings, reports). Copy on write: an
 * object or array is copied only when something in it was cut, so a handler's own state (a job's
 * status, a cache) is never changed. Object keys are left alone (they are ids the answer is organised by).
 */
export function clipStrings<T>(value: T, limit: number): T {
  const fix = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const c = clipText(v, limit);
      return c ? c.text + clippedNote(c.bytes) : v;
    }
    if (Array.isArray(v)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x = fix(v[i]);
        if (x !== v[i]) (copy ??= [...v])[i] = x;
      }
      return copy ?? v;
    }
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      let copy: Record<string, unknown> | null = null;
      for (const k of Object.keys(o)) {
        const x = fix(o[k]);
        if (x !== o[k]) (copy ??= { ...o })[k] = x;
      }
      return copy ?? v;
    }
    return v;
  };
  return fix(value) as T;
}

/** Findings are listed a page at a time (a busy case has tens of thousands): the page when none is asked for, and the most one ask gets. */
export const FINDINGS_PAGE_DEFAULT = 1000;
export const FINDINGS_PAGE_MAX = 10_000;
/** Interfaces a finding of flow records names (FlowFindingInfo.interfaces): the finding writes at most these, a stored body with more is not listed. */
export const FLOW_FINDING_INTERFACES = 5;
