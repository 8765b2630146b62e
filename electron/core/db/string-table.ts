// Interned strings (see the strings table): text → id for the writer, with an in-memory cache so a
// repeated ARN or user agent costs one Map lookup. A text another writer stored first is looked up,
// so a stale cache is never wrong.
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.ts';

export class StringTable {
  private readonly cache = new Map<string, number>();
  private readonly insert: Statement;
  private readonly lookup: Statement;

  constructor(db: CaseDb) {
    // OR IGNORE, not an upsert: a statement that may abort halfway (an upsert, a plain INSERT on a
    // unique index) journals every page it changes into the sub-journal when it runs inside a larger
    // transaction, which cost a new string about 8 KB of writes in the ingest's group commits.
    this.insert = db.prepare('INSERT OR IGNORE INTO strings (value) VALUES (?)');
    this.lookup = db.prepare('SELECT id FROM strings WHERE value = ?').pluck();
  }

  /** The id of a text, storing it when new; null stays null. */
  id(text: string | null | undefined): number | null {
    if (text === null || text === undefined) return null;
    const known = this.cache.get(text);
    if (known !== undefined) return known;
    const stored = this.insert.run(text);
    const id = stored.changes > 0 ? Number(stored.lastInsertRowid) : (this.lookup.get(text) as number);
    this.cache.set(text, id);
    return id;
  }

  /** The id of a text if it was ever stored (for filters: an unknown text matches nothing). */
  find(text: string): number | null {
    const known = this.cache.get(text);
    if (known !== undefined) return known;
    const id = this.lookup.get(text) as number | undefined;
    return id ?? null;
  }

  /**
   * Forgets cached ids. The writer calls it when a transaction rolls back, since ids handed out
   * inside it no longer exist.
   */
  clear(): void {
    this.cache.clear();
  }
}
