// A source keeps its folder as an id into `strings` and its content hash as its 32 bytes (issue 10:
// the case at most 0.3× the JSON, on the files the world delivers). CloudTrail writes a file per region
// about every five minutes, so a quiet account's 90 days are tens of thousands of files of a few records
// each, and each file's row repeated its whole path (169 characters under AWSLogs/…/2025/03/10/, of
// which the file's name is 74) and its SHA-256 as 64 hex characters, in the row and again in the
// (sha256, status) index: 16.8 MB of a 91 MB case on 32,548 files, 0.12× of the JSON by itself.
// - `sources` names the path and the hash as before (text), through strings' primary key; the path is
//   the folder's text joined to the name, exactly the path as read. A lookup by content or by path reads
//   source_rows (sources-by-content.ts): the hash's bytes, the folder's strings id and the name.
// - The folder is the path up to its last '/' or '\' (an S3 key's prefix, a member's archive and
//   folders: `x.zip!/AWSLogs/…/`), '' for a path without one: splitSourcePath, which the writer uses too.
// - The table is renamed, not rebuilt: the sources' references in rejected_records, source_evidence
//   and detector_findings follow the rename, and a rebuild would drop the old table, which with foreign
//   keys on deletes what refers to it first. Its two columns are replaced in place.
// - A log file's evidence (source_evidence, for `trailscope verify`) keeps the SHA-256 of its decoded
//   content as its 32 bytes too (content_hash): 78 bytes a file with it as hex.
// - A hash that is not 64 hex characters (a case written otherwise) becomes NULL, named '' by the view.
// - The paths are split in code (moveData), a chunk of rows at a time, as the writer splits them
//   (splitSourcePath): SQL has no last index of a character, and rtrim over a set of a path's own
//   characters, which finds it, is quadratic in the path's length (2.2 s for 32,564 sources).
import type Database from 'better-sqlite3';
import { StringTable } from '../string-table.ts';
import { splitSourcePath } from '../source-path.ts';

export const version = 140;

/** Sources moved per statement of the data step: a chunk's rows are held in memory. */
const CHUNK = 10_000;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export const sql = /* sql */ `
ALTER TABLE sources RENAME TO source_rows;
DROP INDEX sources_sha256;
DROP INDEX sources_attempts;
ALTER TABLE source_rows ADD COLUMN folder INTEGER;
ALTER TABLE source_rows ADD COLUMN name TEXT;
ALTER TABLE source_rows ADD COLUMN hash BLOB;
ALTER TABLE source_evidence ADD COLUMN content_hash BLOB;
`;

export function moveData(db: Database.Database): void {
  const strings = new StringTable(db);
  const next = db.prepare(`SELECT id, path, sha256 FROM source_rows WHERE id > ? ORDER BY id LIMIT ${CHUNK}`);
  const set = db.prepare(`UPDATE source_rows SET folder = ?, name = ?, hash = ? WHERE id = ?`);
  let after = 0;
  let rows: { id: number; path: string | null; sha256: string | null }[];
  while ((rows = next.all(after) as typeof rows).length) {
    after = rows[rows.length - 1].id;
    for (const r of rows) {
      const { folder, name } = splitSourcePath(r.path ?? '');
      set.run(strings.id(folder), name, r.sha256 !== null && HEX_SHA256.test(r.sha256) ? Buffer.from(r.sha256, 'hex') : null, r.id);
    }
  }
  db.exec(`UPDATE source_evidence SET content_hash = CASE WHEN length(content_sha256) = 64 THEN unhex(content_sha256) END`);
}

export const dropSql = /* sql */ `
ALTER TABLE source_rows DROP COLUMN path;
ALTER TABLE source_rows DROP COLUMN sha256;
ALTER TABLE source_evidence DROP COLUMN content_sha256;

CREATE INDEX sources_hash ON source_rows(hash, status);
CREATE INDEX sources_attempts ON source_rows(hash, folder, name) WHERE status IN ('reading', 'rejected');

CREATE VIEW sources AS
SELECT s.id AS id, coalesce(f.value, '') || coalesce(s.name, '') AS path, lower(hex(s.hash)) AS sha256,
  s.size AS size, s.kind AS kind, s.status AS status, s.reason AS reason,
  s.records AS records, s.duplicates AS duplicates, s.rejected_records AS rejected_records,
  s.first_time AS first_time, s.last_time AS last_time, s.started_at AS started_at, s.finished_at AS finished_at,
  s.read_as AS read_as
FROM source_rows s
LEFT JOIN strings f ON f.id = s.folder;
`;
