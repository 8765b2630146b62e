// The text of an interned id (strings.id), each read once per answer: a pass over many rows names the
// same few values (event names, addresses) again and again. An id the case does not hold reads as ''.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from './prepared.ts';

/** `cache`: one the caller keeps across answers (the graph's counts, until the case grows); by default, this answer's own. */
export function textsById(db: CaseDb, cache = new Map<number, string>()): (id: number) => string {
  const get = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
  return (id) => {
    let v = cache.get(id);
    if (v === undefined) {
      v = (get.get(id) as string | undefined) ?? '';
      cache.set(id, v);
    }
    return v;
  };
}
