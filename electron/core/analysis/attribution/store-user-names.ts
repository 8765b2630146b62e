// The names records give an Identity Center user id (identity_store_names, filled at ingest by
// ingest/normalize/identity-store-names.ts from records that pair the two). One primary-key range per
// id asked (chains ending at an Identity Center user are few), cached for the refresh.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { StoreUserNames } from './resolve-chain.ts';
import { isoInstant } from '../../../../shared/iso-time.ts';

/** A renamed user has a few names; a hostile file could give one id thousands. */
const MAX_NAMES = 5;

const NAMES = `SELECT n.user_name AS userName, e.event_id AS eventId, en.value AS eventName, e.event_time AS eventTime
  FROM identity_store_names n JOIN event_rows e ON e.id = n.event LEFT JOIN strings en ON en.id = e.event_name
  WHERE n.user_id = ? ORDER BY e.event_time, e.event_id, n.user_name LIMIT ${MAX_NAMES}`;

type NameRow = { userName: string; eventId: string; eventName: string | null; eventTime: number };

/** Names of a user id, oldest tie first, each with the record of its tie. */
export function storeUserNameLookup(db: CaseDb): (userId: string) => StoreUserNames | undefined {
  const cache = new Map<string, StoreUserNames | undefined>();
  return (userId) => {
    if (cache.has(userId)) return cache.get(userId);
    // One row per name (the table's key is the pair), each with the record that gave it.
    const rows = stmt(db, NAMES).all(userId) as NameRow[];
    const known = rows.length === 0 ? undefined : {
      names: rows.map((r) => r.userName),
      sources: rows.map((r) => ({ eventId: r.eventId, eventName: r.eventName ?? '?', eventTime: isoInstant(r.eventTime) })),
    };
    cache.set(userId, known);
    return known;
  };
}

/** User ids a name is given to, for `actor NAME`. */
export function storeUserIdsNamed(db: CaseDb, name: string): string[] {
  return stmt(db, 'SELECT DISTINCT user_id FROM identity_store_names WHERE user_name = ? LIMIT 100').pluck().all(name) as string[];
}
