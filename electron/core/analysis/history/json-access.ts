// Defensive access into raw CloudTrail records: every field may be missing, redacted ("..."), a
// different type, or spelled with a different case (EC2's query API mixes camelCase and PascalCase).
export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

/** A field by name, trying the exact name first and then any case. */
export function field(o: unknown, name: string): unknown {
  const x = obj(o);
  if (!x) return undefined;
  if (name in x) return x[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(x)) if (k.toLowerCase() === lower) return x[k];
  return undefined;
}

export function path(o: unknown, ...names: string[]): unknown {
  let cur: unknown = o;
  for (const n of names) cur = field(cur, n);
  return cur;
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
}

/** EC2 wraps lists as {items: [...]}; some records give a bare array or a single object. */
export function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const o = obj(v);
  if (!o) return [];
  const inner = field(o, 'items') ?? field(o, 'item');
  if (Array.isArray(inner)) return inner;
  if (inner && typeof inner === 'object') return [inner];
  return Object.keys(o).length > 0 && !('items' in o) ? [o] : [];
}

export function strings(v: unknown, key?: string): string[] {
  const out: string[] = [];
  for (const it of items(v)) {
    const s = key ? str(field(it, key)) : str(it);
    if (s) out.push(s);
  }
  return out;
}
