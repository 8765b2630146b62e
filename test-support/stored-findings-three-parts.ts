// A case of today with its stored findings' tables as versions before 145 defined them: three parts in
// their CHECK, not four (0145 made them again with `flows`). The rows of the three parts are kept.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';

const TABLES = ['stored_findings', 'stored_findings_parts'];

export function storedFindingsThreeParts(db: Database.Database, version: number): void {
  const then = expectedSchema(version).objects;
  for (const table of TABLES) {
    const sql = then.get(schemaKey('table', table))?.sql;
    if (!sql) continue;
    const indexes = [...then.values()].filter((o) => o.type === 'index' && o.tblName === table && o.sql).map((o) => o.sql!);
    db.exec(`ALTER TABLE ${table} RENAME TO ${table}_today;
      ${sql};
      INSERT INTO ${table} SELECT * FROM ${table}_today WHERE part <> 'flows';
      DROP TABLE ${table}_today;
      ${indexes.map((i) => `${i};`).join('\n')}`);
  }
}
