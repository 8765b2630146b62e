// The names records give an Identity Center user id (identity_store_names, filled at ingest by
// ingest/normalize/identity-store-names.ts from records that pair the two). Read once per refresh:
// the table holds one row per user and name, a few thousand at most.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { StoreUserNames } from './resolve-chain.ts';

const NAMES = `SELECT n.user_id AS userId, n.user_name AS userName, e.event_id AS eventId, en.value AS eventName, e.event_time AS eventTime
  FROM identity_store_names n JOIN event_rows e ON e.id = n.event LEFT JOIN strings en ON en.id = e.event_name
  ORDER BY e.event_time, n.rowid`;

type NameRow = { userId: string; userName: string; eventId: string; eventName: string | null; eventTime: number };

/** Names by user id, oldest tie first; built on first use. */
export function storeUserNameLookup(db: CaseDb): (userId: string) => StoreUserNames | undefined {
  let byId: Map<string, StoreUserNames> | undefined;
  const load = () => {
    const map = new Map<string, StoreUserNames>();
    for (const r of stmt(db, NAMES).iterate() as IterableIterator<NameRow>) {
      const known = map.get(r.userId);
      if (known) {
        if (!known.names.includes(r.userName)) known.names.push(r.userName);
        continue;
      }
      map.set(r.userId, { names: [r.userName], source: { eventId: r.eventId, eventName: r.eventName ?? '?', eventTime: new Date(r.eventTime).toISOString() } });
    }
    return map;
  };
  return (userId) => (byId ??= load()).get(userId);
}

/** User ids a name is given to, for `actor NAME`. */
export function storeUserIdsNamed(db: CaseDb, name: string): string[] {
  return stmt(db, 'SELECT DISTINCT user_id FROM identity_store_names WHERE user_name = ? LIMIT 100').pluck().all(name) as string[];
}
