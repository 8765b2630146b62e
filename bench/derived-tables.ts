// The tables refreshDerived writes, emptied so the next refresh resolves every actor from scratch: the
// cost a first ingest pays (bench:attribution, bench:query). Tables, not the views over them (`actors`,
// `actor_facets`); a case older than one of them simply lacks it.
import type { CaseDb } from '../electron/core/db/open-case.ts';

const DERIVED = ['actor_facet_rows', 'origin_facet_rows', 'identity_first_calls', 'event_actors', 'actor_rows', 'chain_shapes', 'origins', 'analysis_state'];

export function emptyDerivedTables(db: CaseDb): void {
  const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
  db.transaction(() => {
    for (const t of DERIVED) if (tables.has(t)) db.exec(`DELETE FROM ${t}`);
  })();
}
