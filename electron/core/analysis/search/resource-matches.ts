// Resources whose id, name or ARN hold the search term, without scanning them: ids that start with it
// (a range of the primary key), then ids, names and ARNs that contain it (the trigram index of
// migration 0126, for terms of 3 characters or more: a trigram index cannot look up less). A term
// shorter than that finds prefixes only; a two-letter substring of 500,000 access keys is noise.
// Each step reads at most CANDIDATES rows and sorts them, so a term half the case holds ("ASIA") costs
// what a rare one does: its hits are the shortest of the first CANDIDATES matches (in the order the
// resources were first stored), not of all of them.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

export type ResourceRow = { id: string; type: string; name: string | null; arn: string | null };

/** Rows read per step before sorting: enough that a specific term finds all it holds. */
const CANDIDATES = 1000;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An FTS5 query matching `text` as one phrase: with the trigram tokenizer, as a substring of a column. */
function phrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Resources whose id starts with `q`, then those whose id, name or ARN contain it; shortest ids first in each; at most `max`. */
export function resourcesMatching(db: CaseDb, q: string, max: number): ResourceRow[] {
  const found = new Map<string, ResourceRow>();
  const prefixed = stmt(db, `SELECT id, type, name, arn FROM (SELECT id, type, name, arn FROM resources WHERE id >= ? AND id < ? ORDER BY id LIMIT ?)
    ORDER BY length(id), id LIMIT ?`).all(q, `${q}\u{10FFFF}`, CANDIDATES, max) as ResourceRow[];
  for (const r of prefixed) found.set(r.id, r);
  if (found.size < max && [...q].length >= 3) {
    // The index gives candidates; LIKE on each keeps what the scan it replaces kept (ASCII case folded
    // only), and drops anything an index out of step with its table would name.
    const like = `%${escapeLike(q)}%`;
    const contained = stmt(db, `SELECT r.id, r.type, r.name, r.arn FROM resources r
      WHERE r.rowid IN (SELECT rowid FROM resources_search WHERE resources_search MATCH ? LIMIT ?)
        AND (r.id LIKE ? ESCAPE '\\' OR r.name LIKE ? ESCAPE '\\' OR r.arn LIKE ? ESCAPE '\\')
      ORDER BY length(r.id), r.id LIMIT ?`).all(phrase(q), CANDIDATES, like, like, like, max + found.size) as ResourceRow[];
    for (const r of contained) if (found.size < max && !found.has(r.id)) found.set(r.id, r);
  }
  return [...found.values()];
}
