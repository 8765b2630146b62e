// The sources a case holds with some content, asked once per input file by the writer and by each
// reader. Never `status IN (…)` on an index's status column: SQLite answers an IN list it looks up
// through a temporary table it builds and frees at every call, which cost 0.1–0.3 ms a file inside the
// writer's large transaction (fresh pages for each table), a third of what a file of ten records cost
// the writer (docs/benchmark-history.md, "Many small files"). A completed source is one indexed lookup per
// status: sources_hash (hash, status) gives each status's rows in id order, so the earliest needs
// no sort either. An earlier attempt is one lookup of content and path in a partial index that holds
// only the two statuses asked for (migration 0136), so the list only restates it. One statement each,
// so a reader's connection (outside any transaction) takes one read snapshot per file, not one per status.
//
// Rows are read where they are stored (source_rows, migration 0140): the content hash as its bytes, the
// path as its folder's strings id and its name. The `sources` view names both as text, for reading.
import type { CaseDb } from '../db/open-case.ts';
import { splitSourcePath } from '../db/source-path.ts';

export type SourceRow = { id: number; status: string };

const COMPLETED = `SELECT id, status FROM source_rows WHERE hash = @hash AND status = 'done'
  UNION ALL SELECT id, status FROM source_rows WHERE hash = @hash AND status = 'skipped' LIMIT 1`;
// The partial index holds only these two statuses and orders each (content, path) by id: one entry read.
export const EARLIER_ATTEMPT = `SELECT id, status FROM source_rows INDEXED BY sources_attempts
  WHERE hash = @hash AND folder = (SELECT id FROM strings WHERE value = @folder) AND name = @name
  AND status IN ('reading', 'rejected') ORDER BY id LIMIT 1`;

const ATTEMPTS = `SELECT count(*) FROM source_rows INDEXED BY sources_attempts WHERE status IN ('reading', 'rejected')`;
const ANY_COMPLETED = `SELECT EXISTS (SELECT 1 FROM source_rows WHERE status = 'done') OR EXISTS (SELECT 1 FROM source_rows WHERE status = 'skipped')`;

/** A SHA-256 as hex (how the readers give it) as the 32 bytes stored. */
export function hashBytes(sha256: string): Buffer {
  return Buffer.from(sha256, 'hex');
}

export function sourcesByContent(db: CaseDb) {
  const completed = db.prepare(COMPLETED);
  const earlierAttempt = db.prepare(EARLIER_ATTEMPT);
  return {
    /** How many sources an earlier-attempt lookup could find. */
    attempts: () => db.prepare(ATTEMPTS).pluck().get() as number,
    /** Whether any source is completed (a case that holds none is new, or holds only what could not be read). */
    anyCompleted: () => db.prepare(ANY_COMPLETED).pluck().get() === 1,
    /** A completed source with this content (read whole, or skipped as holding nothing to store). */
    completed: (sha256: string) => completed.get({ hash: hashBytes(sha256) }) as SourceRow | undefined,
    /** The earliest interrupted or rejected attempt at this content and path. */
    earlierAttempt: (sha256: string, path: string) => earlierAttempt.get({ hash: hashBytes(sha256), ...splitSourcePath(path) }) as SourceRow | undefined,
  };
}
