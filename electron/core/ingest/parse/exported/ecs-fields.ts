// Reading fields of an Elastic document, which may be nested ({"aws":{"cloudtrail":{…}}}), flat with
// dotted names ({"aws.cloudtrail.event_version": …}: Kibana CSV, the search API's `fields`), or a
// mix, and whose values may come wrapped in one-element arrays (the `fields` API always does that).

const MAX_SEGMENTS = 12;

/** The value at a dotted path, whichever way the document spells it; undefined when absent. */
export function fieldAt(doc: unknown, path: string): unknown {
  return walk(doc, path.split('.'), 0);
}

function walk(node: unknown, parts: string[], from: number): unknown {
  if (from === parts.length) return unwrap(node);
  const o = unwrap(node);
  if (typeof o !== 'object' || o === null || Array.isArray(o) || parts.length > MAX_SEGMENTS) return undefined;
  const rec = o as Record<string, unknown>;
  // Longest dotted key first: "aws.cloudtrail.user_identity.arn" flat beats a partial nested match.
  for (let to = parts.length; to > from; to--) {
    const key = parts.slice(from, to).join('.');
    if (Object.hasOwn(rec, key)) {
      const found = walk(rec[key], parts, to);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function unwrap(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

/** A string field, or null. */
export function textAt(doc: unknown, path: string): string | null {
  const v = fieldAt(doc, path);
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

/** True when any field of the document starts with `prefix` (nested or flat). */
export function hasFieldPrefix(doc: Record<string, unknown>, prefix: string): boolean {
  if (fieldAt(doc, prefix) !== undefined) return true;
  const dotted = `${prefix}.`;
  for (const key in doc) if (key.startsWith(dotted)) return true;
  return false;
}
