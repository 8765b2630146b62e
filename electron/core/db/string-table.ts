// Interned strings (see the strings table): text → id for the writer, with an in-memory cache so a
// repeated ARN or user agent costs one Map lookup. A text another writer stored first is looked up,
// so a stale cache is never wrong.
//
// The cache is bounded: a one-key-per-call account interns a new access key (and often a new address)
// with every call, millions of texts each used once, and a cache of all of them grew by about 100 bytes
// a text. Two generations: texts are cached in the young one; when it is full it becomes the old one
// (the previous old one is dropped), and a text found in the old one moves back to the young. What is
// used often (event names, regions, ARNs, user agents) stays; a text used once leaves after two fills.
// A text longer than CACHED_CHARS is never cached.
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.ts';

/** Texts in one generation of the cache. */
const GENERATION = 50_000;
/**
 * Longer texts are not cached, only looked up: a generation is bounded by its count, and thirty user
 * agents of 15 MB held the writer's heap at 450 MB. An ARN, an agent or an address is far shorter.
 */
const CACHED_CHARS = 4096;

export class StringTable {
  private young = new Map<string, number>();
  private old = new Map<string, number>();
  private readonly insert: Statement;
  private readonly lookup: Statement;

  constructor(db: CaseDb, private readonly generation = GENERATION) {
    // OR IGNORE, not an upsert: a statement that may abort halfway (an upsert, a plain INSERT on a
    // unique index) journals every page it changes into the sub-journal when it runs inside a larger
    // transaction, which cost a new string about 8 KB of writes in the ingest's group commits.
    this.insert = db.prepare('INSERT OR IGNORE INTO strings (value) VALUES (?)');
    this.lookup = db.prepare('SELECT id FROM strings WHERE value = ?').pluck();
  }

  /** The id of a text, storing it when new; null stays null. */
  id(text: string | null | undefined): number | null {
    if (text === null || text === undefined) return null;
    const known = this.cached(text);
    if (known !== undefined) return known;
    const stored = this.insert.run(text);
    const id = stored.changes > 0 ? Number(stored.lastInsertRowid) : (this.lookup.get(text) as number);
    this.remember(text, id);
    return id;
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
    if (text.length > CACHED_CHARS) return;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(text, id);
  }
}
