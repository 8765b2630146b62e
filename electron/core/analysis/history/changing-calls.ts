// The calls of some names that created or changed one resource, newest first, up to a moment: what a
// replay of the resource's state at that moment reads (its tags: tags-at.ts; its security groups:
// flows/interface-groups.ts). Read over the interned tables, and over the links that changed the
// resource only: an instance a fleet's calls read or use holds thousands of links, and reading each
// one's event took 3-4 ms an instance on a million events, against 0.2.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { timeOrder } from '../event-order.ts';

export type ChangingCall = { id: number; t: number };

/** Successful calls named `names` that created or modified `resourceId` at or before `at`, newest first, at most `limit`. */
export const CHANGING_CALLS = `SELECT e.id, e.event_time AS t FROM event_resource_rows r JOIN event_rows e ON e.id = r.event
    WHERE r.resource = (SELECT id FROM strings WHERE value = ?) AND r.event_time <= ?
      AND r.touch IN (SELECT id FROM strings WHERE value IN ('created', 'modified')) AND e.error_code IS NULL
      AND e.event_name IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))
    ORDER BY ${timeOrder('r.event_time', 'e.id', 'DESC')} LIMIT ?`;

export function changingCalls(db: CaseDb, resourceId: string, names: readonly string[], at: number, limit: number): ChangingCall[] {
  return stmt(db, CHANGING_CALLS).all(resourceId, at, JSON.stringify(names), limit) as ChangingCall[];
}
