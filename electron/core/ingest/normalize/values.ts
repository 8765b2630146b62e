// Defensive readers for attacker-controlled JSON. Every field of a log record may have the wrong type
// (redaction writes "..." where objects belong, fixtures drop whole branches), so each reader returns
// null or an empty list instead of throwing.

export type Obj = Record<string, unknown>;

const EMPTY: readonly unknown[] = Object.freeze([]);

export function obj(v: unknown): Obj | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
}

/** A non-empty string, else null. Some EC2 XML-derived parameters wrap values as {content, tag}. */
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const c = (v as Obj).content;
    if (typeof c === 'string' && c.length > 0) return c;
  }
  return null;
}

/** Reads `o[key]` as a string when `o` is an object. */
export function field(o: unknown, key: string): string | null {
  return typeof o === 'object' && o !== null ? str((o as Obj)[key]) : null;
}

export function child(o: unknown, key: string): Obj | null {
  return typeof o === 'object' && o !== null ? obj((o as Obj)[key]) : null;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : EMPTY;
}

/**
 * The members of an EC2-style set: `{items: [...]}` in CloudTrail, a bare array in SDK output,
 * `{item: x}` or `{item: [...]}` in XML-shaped parameters, or a single object.
 */
export function items(v: unknown): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'object' || v === null) return EMPTY;
  const o = v as Obj;
  if (Array.isArray(o.items)) return o.items;
  if (o.item !== undefined) return Array.isArray(o.item) ? o.item : [o.item];
  return EMPTY;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE') return false;
  return null;
}

/** Account ids as 12-digit strings: some pipelines (streamalert) store them as integers, dropping leading zeros. */
export function accountId(v: unknown): string | null {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 0 && v < 1e12 ? String(v).padStart(12, '0') : null;
  }
  if (typeof v !== 'string' || v.length === 0) return null;
  if (v.length < 12 && isDigits(v)) return v.padStart(12, '0');
  return v;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** An EC2-style id with the expected prefix ("sg-", "i-"...), so placeholders like "..." are not taken for ids. */
export function awsId(v: unknown, prefix: string): string | null {
  const s = str(v);
  return s !== null && s.length > prefix.length && s.startsWith(prefix) ? s : null;
}

/** The partition of an ARN ("aws", "aws-cn", "aws-us-gov"), defaulting to "aws". */
export function partitionOf(arn: string | null): string {
  if (arn === null || !arn.startsWith('arn:')) return 'aws';
  const end = arn.indexOf(':', 4);
  return end > 4 ? arn.slice(4, end) : 'aws';
}
