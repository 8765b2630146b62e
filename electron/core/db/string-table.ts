// Interned strings (see the strings table): text → id for the writer, with an in-memory cache so a
// repeated ARN or user agent costs one Map lookup. The upsert returns the id even when another writer
// stored the same text first, so a stale cache is never wrong.
//
// The cache is bounded: a one-key-per-call account interns a new access key (and often a new address)
// with every call, millions of texts each used once, and a cache of all of them grew by about 100 bytes
// a text. Two generations: texts are cached in the young one; when it is full it becomes the old one
// (the previous old one is dropped), and a text found in the old one moves back to the young. What is
// used often (event names, regions, ARNs, user agents) stays; a text used once leaves after two fills.
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.ts';

/** Texts in one generation of the cache. */
const GENERATION = 50_000;

export class StringTable {
  private young = new Map<string, number>();
  private old = new Map<string, number>();
  private readonly upsert: Statement;
  private readonly lookup: Statement;

  constructor(db: CaseDb, private readonly generation = GENERATION) {
    this.upsert = db.prepare(
      'INSERT INTO strings (value) VALUES (?) ON CONFLICT(value) DO UPDATE SET value = excluded.value RETURNING id',
    );
    this.lookup = db.prepare('SELECT id FROM strings WHERE value = ?').pluck();
  }

  /** The id of a text, storing it when new; null stays null. */
  id(text: string | null | undefined): number | null {
    if (text === null || text === undefined) return null;
    const known = this.cached(text);
    if (known !== undefined) return known;
    const row = this.upsert.get(text) as { id: number };
    this.remember(text, row.id);
    return row.id;
  }

  /** The id of a text if it was ever stored (for filters: an unknown text matches nothing). */
  find(text: string): number | null {
    const known = this.cached(text);
    if (known !== undefined) return known;
    const id = this.lookup.get(text) as number | undefined;
    return id ?? null;
  }

  /**
   * Forgets cached ids. The writer calls it when a transaction rolls back, since ids handed out
   * inside it no longer exist.
   */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private cached(text: string): number | undefined {
    const young = this.young.get(text);
    if (young !== undefined) return young;
    const old = this.old.get(text);
    if (old !== undefined) this.remember(text, old);
    return old;
  }

  private remember(text: string, id: number): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(text, id);
  }
}
