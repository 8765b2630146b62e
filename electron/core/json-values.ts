// The one defensive reader for JSON handed to us: log records, configuration documents, exports. Every
// field may be missing, redacted ("..." where an object belongs), of another type, or spelled in
// another case (EC2's query API mixes camelCase and PascalCase), so each reader returns null or an
// empty list instead of throwing. Ingest (normalize) and analysis (history replay, rules) read records
// through these same functions, so a quirk handled here is handled everywhere.

export type Obj = Record<string, unknown>;

const EMPTY: readonly unknown[] = Object.freeze([]);

export function obj(v: unknown): Obj | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : EMPTY;
}

/** A member by name, as any JSON value: the exact name first, then the same name in any case. */
export function member(o: unknown, name: string): unknown {
  const x = obj(o);
  if (!x) return undefined;
  if (Object.hasOwn(x, name)) return x[name];
  // Only names of the same length can match: no lower-casing for the common case of an absent member.
  let lower: string | null = null;
  for (const k of Object.keys(x)) {
    if (k.length !== name.length) continue;
    lower ??= name.toLowerCase();
    if (k.toLowerCase() === lower) return x[k];
  }
  return undefined;
}

/** A member several levels down (`path(r, 'requestParameters', 'groupId')`). */
export function path(o: unknown, ...names: string[]): unknown {
  let cur: unknown = o;
  for (const n of names) cur = member(cur, n);
  return cur;
}

/** A member that must be an object. */
export function child(o: unknown, name: string): Obj | null {
  return obj(member(o, name));
}

/**
 * A value as non-empty text: a string, or the `{content}` wrapper that some XML-derived EC2 parameters
 * use. Anything else is null: a number where a name belongs (`"eventSource": 5`) is a broken record,
 * not the name "5" (numbers are read with num()).
 */
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? storedText(v) : null;
  const o = obj(v);
  if (o) {
    const c = o.content;
    if (typeof c === 'string' && c.length > 0) return storedText(c);
  }
  return null;
}

/**
 * A text as the case stores it. SQLite keeps UTF-8, in which a lone surrogate (a JSON escape such as
 * "\ud800" without its pair) becomes U+FFFD: two eventIDs that differ only there are one id in the
 * case and two in JavaScript, so the load's deduplication let both in and the event id index could not
 * be built, failing the ingest and every one after it. Replaced here, texts compare as stored. Free for
 * the usual text (V8 knows a one-byte string holds no surrogate).
 */
function storedText(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}

/** A member read as text (`str(member(o, name))`). */
export function text(o: unknown, name: string): string | null {
  return str(member(o, name));
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return null;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE') return false;
  return null;
}

/**
 * The members of an EC2-style set: `{items: [...]}` in CloudTrail, a bare array in SDK output,
 * `{item: x}` or `{item: [...]}` in XML-shaped parameters, or one member on its own. Anything else
 * (a redacted "...", an empty object) is an empty set.
 */
export function items(v: unknown): readonly unknown[] {
  if (Array.isArray(v)) return v;
  const o = obj(v);
  if (!o) return EMPTY;
  const list = member(o, 'items');
  if (Array.isArray(list)) return list;
  const item = member(o, 'item');
  if (item !== undefined && item !== null) return Array.isArray(item) ? item : [item];
  // XML-shaped parameters (S3's ReplicationConfiguration.Rule) give a one-member list as the member itself.
  return list === undefined && Object.keys(o).length > 0 ? [o] : EMPTY;
}

/** The texts of a set: its members themselves, or one named member of each. */
export function strings(v: unknown, name?: string): string[] {
  const out: string[] = [];
  for (const it of items(v)) {
    const s = name ? text(it, name) : str(it);
    if (s) out.push(s);
  }
  return out;
}

/** JSON text parsed, or null when it is not JSON: a stored document a crafted or damaged case may have broken. */
export function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
