// Bulk load: filling an empty case without its event and flow indexes, then building them once.
// Inserting a million rows into indexes keyed by random event ids touches a random page per row;
// building the same index afterwards is one sort. The indexes' own SQL is kept in case_meta while
// they are gone, so a case killed mid-load gets them back the next time it is opened for writing,
// whatever version of Trailscope opens it.
import type { CaseDb } from './open-case.ts';

const KEY = 'bulk_load_dropped_indexes';
const TABLES = ['event_rows', 'flows'];

/** Drops the event and flow indexes if both tables are empty; returns whether it did. */
export function beginBulkLoad(db: CaseDb): boolean {
  return db.transaction(() => {
    if (db.prepare(`SELECT value FROM case_meta WHERE key = ?`).get(KEY)) return false;
    const empty = TABLES.every((t) => db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() === undefined);
    if (!empty) return false;
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => '?').join(', ')})`)
      .all(...TABLES) as { name: string; sql: string }[];
    db.prepare(`INSERT INTO case_meta (key, value) VALUES (?, ?)`).run(KEY, JSON.stringify(indexes));
    for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
    return true;
  })();
}

/** Builds the indexes dropped by beginBulkLoad (after a finished load, or a crashed one). */
export function finishBulkLoad(db: CaseDb): boolean {
  const row = db.prepare(`SELECT value FROM case_meta WHERE key = ?`).get(KEY) as { value: string } | undefined;
  if (!row) return false;
  const indexes = JSON.parse(row.value) as { name: string; sql: string }[];
  db.transaction(() => {
    for (const i of indexes) db.exec(i.sql.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
    db.prepare(`DELETE FROM case_meta WHERE key = ?`).run(KEY);
  })();
  return true;
}
