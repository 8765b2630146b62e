// Ingest: inputs → readers (format from content) → normalizers (pure) → writer (transactions).
// Reading, parsing, normalizing and compressing run on reader workers (reader-pool.ts); this thread
// only writes, so every core works. A source that fails is recorded with its reason and the rest goes on. A source
// already stored with the same content is skipped. An abort stops between batches and leaves the
// case consistent: the interrupted source stays 'reading' and is read again (idempotently) next time.
import { createHash } from 'node:crypto';
import { SHOWN_REJECTIONS } from './rejection-limits.ts';
import type { CaseDb } from '../db/open-case.ts';
import { CaseWriter, type WriteCounts } from './writer.ts';
import { beginBulkLoad, finishBulkLoad } from '../db/bulk-load.ts';
import { makeProgressReporter, type IngestProgress } from './progress.ts';
import { refreshAfterIngest } from './refresh-after-ingest.ts';
import { capCacheForBulkReading, sortingWholeTable } from '../db/page-cache.ts';
import { changedInputsNote, differingWalks, type WalkPrint } from './walk-print.ts';
import { ReaderPool } from './reader-pool.ts';
import { postedBatch } from './event-batch-codec.ts';
import { DEFAULT_MAX_BYTES } from './parse/index.ts';
import { recordSourceEvidence } from './source-evidence.ts';
import type { RecordRejection } from './types.ts';

export type SourceSummary = {
  path: string;
  kind: string;
  /** done: read; rejected: unreadable (reason says why); unchanged: already in the case; skipped: set aside (digest files). */
  status: 'done' | 'rejected' | 'unchanged' | 'skipped';
  /** Records read from the source (events, flow records or configuration resources). */
  records: number;
  /** Of those, how many were new to the case. */
  stored: number;
  rejectedRecords: number;
  /** The first of them (SHOWN_REJECTIONS at most), where and why: what a summary shows of a source not read whole. */
  rejections: RecordRejection[];
  reason: string | null;
};

/**
 * Inputs an ingest summary names one by one, and again those not read whole past them. A year of a
 * busy account's CloudTrail is millions of files: each is counted, and the case's sources table holds
 * every one (`trailscope info`), but a summary of each would grow the writer's heap and the answer
 * by hundreds of bytes a file.
 */
export const LISTED_SOURCES = 10_000;

export type IngestSummary = {
  events: number;
  flows: number;
  resources: number;
  /** Detector findings (GuardDuty, Security Hub, Security Lake) new to the case. */
  findings: number;
  /** Every input the ingest went through, by status. */
  inputs: Record<SourceSummary['status'], number>;
  /** Records read that the case already held. */
  duplicates: number;
  /**
   * The inputs one by one, in the order they were finished: every one up to LISTED_SOURCES, then only
   * those not read whole (rejected, or with rejected records), up to LISTED_SOURCES of those.
   */
  sources: SourceSummary[];
  /** Inputs counted in `inputs` but not named in `sources`. */
  sourcesNotListed: number;
  /** Sources rejected whole, plus records rejected inside readable sources. */
  rejected: number;
  durationMs: number;
  aborted: boolean;
  /**
   * What the user should know beyond the counts, in sentences; each says why the ingest may not be whole
   * (so far: inputs that changed while they were read, walk-print.ts).
   */
  notes: string[];
};

export type IngestOptions = {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Reader workers; by default up to one per core, as many as the input's size justifies. */
  readers?: number;
  /** Heap limit of each reader worker in MiB (default 2 GiB). */
  readerHeapMiB?: number;
  /** Bytes one input may decode to; past it the input is rejected (default DEFAULT_MAX_BYTES, 8 GB). */
  maxBytes?: number;
  /** Follow symbolic links that lead outside the given paths (default: refuse them, by name). */
  followLinks?: boolean;
};

/** The sha256 column of a source whose content could not be read: the hash of no bytes. */
const NOTHING_READ_SHA256 = createHash('sha256').digest('hex');

export async function ingestPaths(db: CaseDb, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const writer = new CaseWriter(db);
  const report = makeProgressReporter(options.onProgress);
  const progress = {
    phase: 'scanning' as IngestProgress['phase'],
    filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0,
    events: 0, flows: 0, resources: 0, rejected: 0, currentPath: null as string | null,
  };
  const summary: IngestSummary = {
    events: 0, flows: 0, resources: 0, findings: 0, inputs: { done: 0, rejected: 0, unchanged: 0, skipped: 0 }, duplicates: 0,
    sources: [], sourcesNotListed: 0, rejected: 0, durationMs: 0, aborted: false, notes: [],
  };
  /** The print of each reader's whole walk, as each finishes (walk-print.ts). */
  const walks: WalkPrint[] = [];
  let listedNotWhole = 0;
  /** A finished source counted, and listed while there is room; `id`: its row, for the rejected records a listed one names. */
  const summarise = (source: SourceSummary, id: number | null = null) => {
    summary.inputs[source.status]++;
    const notWhole = source.status === 'rejected' || source.rejectedRecords > 0;
    if (summary.sources.length < LISTED_SOURCES || (notWhole && listedNotWhole < LISTED_SOURCES)) {
      const rejections = source.rejectedRecords > 0 && id !== null ? writer.firstRejections(id, SHOWN_REJECTIONS) : [];
      summary.sources.push({ ...source, rejections });
      if (notWhole) listedNotWhole++;
    } else summary.sourcesNotListed++;
  };
  report(progress, true);
  // A job cancelled before it began (a case closed as its import starts) reads and changes nothing.
  if (options.signal?.aborted) {
    summary.aborted = true;
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  }

  const commits = new GroupCommit(db, writer);
  // A new case is filled without its event and flow indexes, which are built once at the end.
  const bulk = beginBulkLoad(db);
  if (bulk) writer.startBulkDeduplication();
  const pool = await ReaderPool.start(paths, db.memory ? null : db.name, {
    readers: options.readers,
    heapMiB: options.readerHeapMiB,
    limits: { maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, followLinks: options.followLinks ?? false },
  });
  // Restored once the readers are done, before the indexes are built.
  const restoreCache = bulk ? capCacheForBulkReading(db) : () => {};
  // Decisions are answered as soon as a worker asks, not when the write loop reaches the question,
  // so workers hash and parse their next files while this thread writes.
  const messages = pool.messages(options.signal, ({ worker, m }) => {
    if (m.t === 'input' && m.known === null && m.error === null && m.sha256 !== null) {
      pool.reply(worker, { t: 'decision', read: !writer.findCompleted(m.sha256) });
    }
  });

  /** The source each worker is reading now; bytesCounted is how much of it the progress shows. */
  type Reading = SourceSummary & { id: number | null; sha256: string; size: number; bytesCounted: number };
  const reading: (Reading | null)[] = new Array(pool.size).fill(null);
  const countBytes = (r: Reading, bytesRead: number) => {
    const upTo = Math.min(bytesRead, r.size);
    if (upTo > r.bytesCounted) progress.bytesDone += upTo - r.bytesCounted;
    r.bytesCounted = Math.max(r.bytesCounted, upTo);
  };
  const newReading = (path: string, sha256: string | null, size: number): Reading => ({
    path, kind: 'unknown', status: 'done', records: 0, stored: 0, rejectedRecords: 0, rejections: [], reason: null, id: null, sha256: sha256 ?? '', size, bytesCounted: 0,
  });
  const finish = (worker: number, status: SourceSummary['status'], reason: string | null) => {
    const r = reading[worker];
    if (!r) return;
    finishReading(r, status, reason);
    reading[worker] = null;
  };
  const finishReading = (r: Reading, status: SourceSummary['status'], reason: string | null) => {
    if (r.id !== null && status !== 'unchanged') writer.finishSource(r.id, status === 'done' ? 'done' : status === 'skipped' ? 'skipped' : 'rejected', reason);
    countFinished(r, status, reason);
  };
  /** A finished source in the summary and the progress. */
  const countFinished = (r: Reading, status: SourceSummary['status'], reason: string | null) => {
    const { id, sha256: _sha, size, bytesCounted: _b, ...rest } = r;
    const done: SourceSummary = { ...rest, status, reason };
    summarise(done, id);
    if (status === 'rejected') summary.rejected++;
    summary.rejected += done.rejectedRecords;
    progress.rejected = summary.rejected;
    progress.filesDone++;
    // The count takes an archive found by content alone for one file (parse/enumerate-inputs.ts).
    if (progress.phase !== 'scanning') progress.filesTotal = Math.max(progress.filesTotal, progress.filesDone);
    countBytes(r, size);
  };
  /** Counts a written batch: `records` read from the source, `counts` of what was new. */
  const stored = (r: Reading, kind: 'events' | 'flows' | 'resources' | 'findings', records: number, counts: WriteCounts) => {
    r.records += records;
    r.stored += counts.stored;
    // The writer's own count: a record it refused (a conflicting copy: conflicting-copies.ts) is neither stored nor a duplicate.
    summary.duplicates += counts.duplicates;
    r.rejectedRecords += counts.rejected;
    summary[kind] += counts.stored;
    if (kind !== 'findings') progress[kind] += counts.stored;
  };

  try {
    for await (const { worker, m } of messages) {
      commits.join();
      const r = reading[worker];
      switch (m.t) {
        case 'listed':
          progress.filesTotal = Math.max(progress.filesDone, m.files);
          progress.bytesTotal += m.bytes;
          progress.phase = 'reading';
          break;
        case 'input': {
          progress.currentPath = m.path;
          reading[worker] = newReading(m.path, m.sha256, m.size);
          if (m.error !== null || m.sha256 === null) {
            // Recorded like any rejected source (a corrupt archive, a missing path, a link out of the
            // evidence folder), so the case says what was not read and why.
            reading[worker]!.id = writer.startSource({ path: m.path, sha256: NOTHING_READ_SHA256, size: m.size, kind: 'unknown' });
            finish(worker, 'rejected', m.error ?? 'cannot read');
          } else if (m.known ?? writer.findCompleted(m.sha256)) finish(worker, 'unchanged', null);
          break;
        }
        case 'open-failed':
          if (r) r.id = writer.startSource({ path: r.path, sha256: r.sha256, size: r.size, kind: 'unknown' });
          finish(worker, 'rejected', m.reason);
          break;
        case 'opened':
          if (!r) break;
          r.kind = m.kind;
          r.id = writer.startSource({ path: r.path, sha256: r.sha256, size: r.size, kind: m.kind });
          break;
        case 'findings':
          if (!r || r.id === null) break;
          stored(r, 'findings', m.rows.length, commits.write(m.rows.length, () => writer.writeFindings(r.id!, m.rows, m.rejected, m.readAs)));
          countBytes(r, m.bytesRead);
          pool.reply(worker, { t: 'ack' });
          break;
        case 'events':
        case 'flows':
        case 'config': {
          if (!r || r.id === null) break;
          const id = r.id;
          if (m.t === 'events') {
            const batch = postedBatch(m.batch);
            stored(r, 'events', batch.events.length, commits.write(batch.events.length, () => writer.writeEvents(id, batch)));
          }
          else if (m.t === 'flows') {
            const read = m.block.records + m.block.duplicates;
            stored(r, 'flows', read, commits.write(read / FLOW_RECORDS_PER_ROW, () => writer.writeFlows(id, m.block, m.rejected, undefined, m.readAs)));
          }
          else stored(r, 'resources', m.snapshot.resources.length, commits.write(m.snapshot.versions.length, () => writer.writeConfig(id, m.snapshot)));
          countBytes(r, m.bytesRead);
          pool.reply(worker, { t: 'ack' });
          break;
        }
        case 'files': {
          // Each file is a source of its own, written finished with its events, here as one.
          const files = m.files.map((f) => {
            const r = newReading(f.path, f.sha256, f.size);
            r.kind = 'cloudtrail';
            r.id = writer.startReadSource({ path: f.path, sha256: f.sha256, size: f.size, kind: 'cloudtrail' });
            return r;
          });
          const batch = postedBatch(m.batch);
          const counts = commits.write(batch.events.length, () => writer.writeEventSpans(files.map((r, i) => ({ sourceId: r.id!, events: m.files[i].events })), batch));
          files.forEach((r, i) => {
            const f = m.files[i];
            stored(r, 'events', f.events, counts[i]);
            if (f.evidence) recordSourceEvidence(db, r.id!, f.evidence);
            countBytes(r, f.bytesRead);
            countFinished(r, 'done', null);
          });
          progress.currentPath = m.files.at(-1)?.path ?? progress.currentPath;
          pool.reply(worker, { t: 'ack' });
          break;
        }
        case 'source-end':
          if (!r) break;
          if (m.evidence && r.id !== null) recordSourceEvidence(db, r.id, m.evidence);
          if (r.kind === 'cloudtrail-digest') finish(worker, 'skipped', 'CloudTrail digest file (integrity hashes, no events): set aside');
          else if (r.records === 0 && r.rejectedRecords > 0) {
            const first = r.id === null ? null : writer.firstRejections(r.id, 1)[0]?.reason ?? null;
            finish(worker, 'rejected', `no usable records: all ${r.rejectedRecords} rejected (${first ?? 'see rejected records'})`);
          } else finish(worker, 'done', null);
          break;
        case 'source-failed':
          if (r) {
            // What was stored before the failure stays (it is valid data); the source is marked rejected.
            r.id ??= writer.startSource({ path: r.path, sha256: r.sha256, size: r.size, kind: 'unknown' });
            finish(worker, 'rejected', m.reason);
          } else {
            summarise({ path: paths.join(', '), kind: 'unknown', status: 'rejected', records: 0, stored: 0, rejectedRecords: 0, rejections: [], reason: m.reason });
            summary.rejected++;
          }
          break;
        case 'crashed':
          // The file the worker was reading killed it; what was stored before stays, the rest goes on.
          if (r) {
            r.id ??= writer.startSource({ path: r.path, sha256: r.sha256, size: r.size, kind: 'unknown' });
            finish(worker, 'rejected', `${m.reason} while reading this file`);
          }
          break;
        case 'finished':
          if (m.walk) walks.push(m.walk);
          break;
      }
      commits.commitIfDue();
      report(progress);
    }
  } catch (err) {
    if (!options.signal?.aborted) throw err;
    summary.aborted = true;
  } finally {
    // Whole batches written so far are kept after an abort or a failure elsewhere: they are consistent
    // (a failed write has already rolled its group back).
    commits.commit();
    writer.forgetCachedStrings();
    await pool.close();
    restoreCache();
    if (bulk) {
      progress.phase = 'indexing';
      report(progress, true);
      sortingWholeTable(db, () => finishBulkLoad(db));
      writer.stopBulkDeduplication();
    }
  }

  const differing = summary.aborted ? [] : differingWalks(walks);
  if (differing.length > 0) summary.notes.push(changedInputsNote(differing));

  progress.phase = 'analysing';
  progress.currentPath = null;
  report(progress, true);
  refreshAfterIngest(db);
  progress.phase = 'done';
  report(progress, true);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/**
 * Groups the writer's transactions into larger commits. Each commit writes every page it dirtied
 * (index pages are scattered by random event ids), so committing per small file costs far more than
 * the inserts themselves; a commit every ~50,000 rows or second amortises it, or less often when the
 * commits themselves are slow: the next comes no sooner than ten times the last one took, so commits
 * stay about a tenth of the writer's time. Into a big case every group dirties pages all over its
 * indexes, and a page touched by several groups is written at each of their commits: committing every
 * second, an ingest of 20,000 events into a million spent 1.6 s of the writer's 5 in commits
 * (docs/benchmark-history.md, "A later ingest"). A kill -9 loses at most the uncommitted group, whose sources
 * are then not 'done' (or not yet rejected) and are read again by the next ingest; a reader beside the
 * ingest (the workbench importing more files) sees its rows at each commit.
 * A write that fails rolls the group back whole for the same reason (the writer takes no savepoint
 * per batch inside it, see CaseWriter.transaction), and the ingest stops with that error.
 */
/**
 * Flow records count this many to a row of a group: a block of 20,000 is one row and a few thousand
 * roll-up rows, not 20,000 rows and their index entries. Counted one each, a group of flows was
 * committed every 50,000 records: a fifth of the writer's time on a million records was commits,
 * each writing most of the address roll-up's pages again (docs/benchmark-history.md, "Flow records read
 * into columns").
 */
const FLOW_RECORDS_PER_ROW = 4;
/** A group stays open at least this many times as long as the last commit took. */
const COMMIT_SHARE = 10;

class GroupCommit {
  private pending = 0;
  private openedAt = 0;
  /** How long the last commit took (ms). */
  private lastCommitMs = 0;

  constructor(
    private readonly db: CaseDb,
    private readonly writer: Pick<CaseWriter, 'flushSearchText' | 'discardUncommitted'>,
    private readonly maxRows = 50_000,
    private readonly maxMs = 1000,
  ) {}

  /**
   * Opens the group if none is open, so that what the writer records between batches (a source
   * started, finished, rejected, its evidence) joins it: alone, each of those statements was a
   * transaction of its own, about 0.2 ms, twice for every file nothing could be read from.
   */
  join(): void {
    if (this.db.inTransaction) return;
    this.db.exec('BEGIN');
    this.openedAt = performance.now();
    this.pending = 0;
  }

  /** Runs a batch's write in the group; the loop commits after each message (commitIfDue), once it is due. */
  write<T>(rows: number, fn: () => T): T {
    this.join();
    let result: T;
    try {
      result = fn();
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.writer.discardUncommitted();
      throw err;
    }
    this.pending += rows;
    return result;
  }

  /** Commits the group once it holds enough rows or has been open long enough. */
  commitIfDue(): void {
    const interval = Math.max(this.maxMs, this.lastCommitMs * COMMIT_SHARE);
    if (this.db.inTransaction && (this.pending >= this.maxRows || performance.now() - this.openedAt >= interval)) this.commit();
  }

  commit(): void {
    if (!this.db.inTransaction) return;
    // The batches' search text, written in this transaction so events and their text land together.
    const started = performance.now();
    this.writer.flushSearchText();
    this.db.exec('COMMIT');
    this.lastCommitMs = performance.now() - started;
  }
}
