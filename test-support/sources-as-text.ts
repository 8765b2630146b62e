// A case of today with its sources as versions before 140 kept them: a table `sources` with the whole
// path and the SHA-256 as hex text, not source_rows with a folder id, a name and the hash's bytes; and
// their evidence's content hash as hex too.
import type Database from 'better-sqlite3';
import { expectedSchema, schemaKey } from '../electron/core/db/expected-schema.ts';

/** The tables whose references 0140's rename moved to source_rows, put back as they were defined. */
const REFERRING = ['rejected_records', 'source_evidence', 'detector_findings'];

export function sourcesAsText(db: Database.Database): void {
  const then = expectedSchema(139).objects;
  const sqlThen = (type: string, name: string) => then.get(schemaKey(type, name))!.sql!;
  const indexesThen = (table: string) => [...then.values()].filter((o) => o.type === 'index' && o.tblName === table && o.sql).map((o) => o.sql!);
  // Off while tables are swapped: dropping one would otherwise delete what refers to it. Renames in the
  // legacy way, which leaves every other table's references as they are written.
  db.pragma('foreign_keys = OFF');
  db.pragma('legacy_alter_table = ON');
  try {
    db.exec(`DROP VIEW sources; DROP INDEX sources_hash; DROP INDEX sources_attempts;
      ${sqlThen('table', 'sources')};
      INSERT INTO sources (id, path, sha256, size, kind, status, reason, records, duplicates, rejected_records,
          first_time, last_time, started_at, finished_at, read_as)
        SELECT s.id, coalesce(f.value, '') || s.name, lower(hex(s.hash)), s.size, s.kind, s.status, s.reason, s.records, s.duplicates,
          s.rejected_records, s.first_time, s.last_time, s.started_at, s.finished_at, s.read_as
        FROM source_rows s LEFT JOIN strings f ON f.id = s.folder;
      DROP TABLE source_rows;
      ${sqlThen('index', 'sources_sha256')};
      ${sqlThen('index', 'sources_attempts')};`);
    for (const table of REFERRING) {
      // The evidence's content hash as hex, as the sources' own.
      const rows = table === 'source_evidence'
        ? `INSERT INTO source_evidence (source_id, content_sha256, digest, signature, signature_algorithm)
            SELECT source_id, lower(hex(content_hash)), digest, signature, signature_algorithm FROM source_evidence_now`
        : `INSERT INTO ${table} SELECT * FROM ${table}_now`;
      db.exec(`ALTER TABLE ${table} RENAME TO ${table}_now;
        ${sqlThen('table', table)};
        ${rows};
        DROP TABLE ${table}_now;
        ${indexesThen(table).join(';\n')};`);
    }
  } finally {
    db.pragma('legacy_alter_table = OFF');
    db.pragma('foreign_keys = ON');
  }
}
