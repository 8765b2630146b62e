// An event id for a record that has none (eventVersion 1.0 records, lab captures, hand-made samples,
// some SIEM exports): a hash of the record's canonical JSON (keys sorted at every level), so the same
// record read again, from any file or in any key order, gets the same id and is stored once. It is
// marked as derived (events.event_id_derived) and never taken for CloudTrail's own eventID.
import { createHash } from 'node:crypto';
import { canonicalJson } from './config/canonical-json.ts';

export const DERIVED_ID_PREFIX = 'derived-';

export function derivedEventId(record: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(canonicalJson(record))).digest('hex');
  // 128 bits: collisions between distinct records are out of reach; the full hash would only cost space.
  return `${DERIVED_ID_PREFIX}${hash.slice(0, 32)}`;
}
