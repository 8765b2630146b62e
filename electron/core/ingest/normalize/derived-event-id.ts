// An event id for a record that has none (eventVersion 1.0 records, lab captures, hand-made samples,
// some SIEM exports) or only a placeholder one ("...", "1"): a hash of the record's canonical JSON
// (keys sorted at every level), so the same record read again, from any file or in any key order,
// gets the same id and is stored once. It is marked as derived (event_rows.event_id_derived).
import { createHash } from 'node:crypto';
import { canonicalJson } from './config/canonical-json.ts';

export const DERIVED_ID_PREFIX = 'derived-';
/** CloudTrail records nest a few dozen levels at most; deeper is hostile and is not walked. */
const MAX_DEPTH = 256;

/** The derived id, or null when the record is nested too deeply to hash safely. */
export function derivedEventId(record: unknown): string | null {
  if (depthExceeds(record, MAX_DEPTH)) return null;
  const hash = createHash('sha256').update(JSON.stringify(canonicalJson(record))).digest('hex');
  // 128 bits: collisions between distinct records are out of reach; the full hash would only cost space.
  return `${DERIVED_ID_PREFIX}${hash.slice(0, 32)}`;
}

/** Iterative, so a hostile depth cannot overflow the stack while being measured. */
function depthExceeds(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
