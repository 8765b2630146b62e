// Dotted field paths into a raw CloudTrail record, as detection rules name them
// ("userIdentity.sessionContext.sessionIssuer.type", "requestParameters.layers"). A list met on the
// way fans out (any element may match), as Sigma backends treat multi-valued fields; an exact key is
// tried first, then any case (EC2's query API mixes camelCase and PascalCase).
import { member } from '../../../json-values.ts';

export const MAX_PATH_SEGMENTS = 16;
const MAX_VALUES = 1000;

/** The values at `path` (undefined entries dropped); [] when the field is missing. */
export function valuesAt(record: unknown, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      const f = member(v, segment);
      if (f === undefined) continue;
      if (Array.isArray(f)) next.push(...f.slice(0, MAX_VALUES - next.length));
      else next.push(f);
      if (next.length >= MAX_VALUES) break;
    }
    current = next;
    if (!current.length) break;
  }
  return current;
}

/** The text a pattern is matched against: strings as they are, numbers and booleans as written, objects as JSON. */
export function leafText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return null;
}

/** One value at a path as text (lists joined with ", "), for titles and evidence; null when missing. */
export function textAt(record: unknown, path: string, max = 300): string | null {
  // EC2's XML-shaped parameters wrap some values as {content, tag}: show the content.
  const unwrap = (v: unknown) => (v !== null && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string' ? (v as { content: string }).content : v);
  const vs = valuesAt(record, path).map(unwrap).map(leafText).filter((s): s is string => s !== null && s !== '');
  if (!vs.length) return null;
  const s = vs.join(', ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
