// SQLite's page cache size (cache_size) also sizes what its sorter keeps in memory before it spills to
// a temporary file, so a sort holds both at once. A bulk load's reading inserts at random only into
// the unique indexes it keeps (strings, credentials, resources), whose pages at a million keys are
// more than any cache we can afford: with 96 MiB instead of 128 it read five million events with a new
// key for every call for the same CPU, its peak 45 MB lower (64 MiB: 80 MB lower, but 7% more of the
// writer's CPU at five million, none at one). Its index builds gain little from a large cache either:
// rebuilding a million events' indexes took 8% longer with 64 MiB than with 128, for a peak 68 MB
// lower. The analysis after them keeps the caller's cache for its random reads (capped whole, it took
// 7-14% longer on a million one-key-per-call events), but its sorts of whole tables are capped too:
// they set the peak of a five-million-event ingest (docs/benchmark-history.md, sessions 27, 32 and 33).
import type { CaseDb } from './open-case.ts';

/** The page cache (and sorter) for sorts of whole tables: the index builds that end a bulk load, and the analysis's groupings and index builds. */
const INDEX_BUILD_CACHE_MIB = 64;
/** The page cache while a bulk load reads its inputs. */
const BULK_READ_CACHE_MIB = 96;

/** Caps the page cache for a bulk load's reading; the returned function gives the caller's cache back. */
export function capCacheForBulkReading(db: CaseDb): () => void {
  return capPageCache(db, BULK_READ_CACHE_MIB);
}

/** Runs a statement that sorts a whole table (an index build, a grouping) with the cache and sorter at most INDEX_BUILD_CACHE_MIB. */
export function sortingWholeTable<T>(db: CaseDb, work: () => T): T {
  return withPageCacheAtMost(db, INDEX_BUILD_CACHE_MIB, work);
}

/** Runs `work` with the page cache at most `mib` MiB, then restores what it was. */
export function withPageCacheAtMost<T>(db: CaseDb, mib: number, work: () => T): T {
  const restore = capPageCache(db, mib);
  try {
    return work();
  } finally {
    restore();
  }
}

/** Sets the page cache to at most `mib` MiB (a smaller one is left as it is); the returned function restores what it was. */
function capPageCache(db: CaseDb, mib: number): () => void {
  const before = db.pragma('cache_size', { simple: true }) as number;
  // A negative cache_size is KiB, a positive one pages.
  const bytes = before < 0 ? -before * 1024 : before * (db.pragma('page_size', { simple: true }) as number);
  if (bytes <= mib * 1024 * 1024) return () => {};
  db.pragma(`cache_size = -${mib * 1024}`);
  return () => db.pragma(`cache_size = ${before}`);
}
