// Interned strings (see the strings table): text → id for the writer, with an in-memory cache so a
// repeated ARN or user agent costs one Map lookup. The upsert returns the id even when another writer
// stored the same text first, so a stale cache is never wrong.
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.ts';

export class StringTable {
  private readonly cache = new Map<string, number>();
  private readonly upsert: Statement;
  private readonly lookup: Statement;

  constructor(db: CaseDb) {
    this.upsert = db.prepare(
      'INSERT INTO strings (value) VALUES (?) ON CONFLICT(value) DO UPDATE SET value = excluded.value RETURNING id',
    );
    this.lookup = db.prepare('SELECT id FROM strings WHERE value = ?').pluck();
  }

  /** The id of a text, storing it when new; null stays null. */
  id(text: string | null | undefined): number | null {
    if (text === null || text === undefined) return null;
    const known = this.cache.get(text);
    if (known !== undefined) return known;
    const row = this.upsert.get(text) as { id: number };
    this.cache.set(text, row.id);
    return row.id;
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
