// Ingest: inputs → readers (format from content) → normalizers (pure) → writer (transactions).
// Reading, parsing, normalizing and compressing run on a worker thread; this thread only writes,
// so both cores work. A source that fails is recorded with its reason and the rest goes on. A source
// already stored with the same content is skipped. An abort stops between batches and leaves the
// case consistent: the interrupted source stays 'reading' and is read again (idempotently) next time.
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaseDb } from '../db/open-case.ts';
import { CaseWriter, type WriteCounts } from './writer.ts';
import { beginBulkLoad, finishBulkLoad } from '../db/bulk-load.ts';
import { makeProgressReporter, type IngestProgress } from './progress.ts';
import { refreshAfterIngest } from './refresh-after-ingest.ts';
import type { FromReader, ToReader, WorkerInput } from './read-protocol.ts';

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
  reason: string | null;
};

export type IngestSummary = {
  events: number;
  flows: number;
  resources: number;
  sources: SourceSummary[];
  /** Sources rejected whole, plus records rejected inside readable sources. */
  rejected: number;
  durationMs: number;
  aborted: boolean;
};

export type IngestOptions = {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
};

const WORKER_URL = readerWorkerUrl();

/** The reader worker's file: beside this module when run from sources, beside the bundle in the desktop app. */
function readerWorkerUrl(): URL {
  // esbuild's CommonJS bundles (dist/electron/*.cjs) have no import.meta.url; read-worker.cjs is built beside them.
  if (typeof import.meta.url !== 'string' || import.meta.url === '') return pathToFileURL(join(__dirname, 'read-worker.cjs'));
  return new URL('./read-worker.ts', import.meta.url);
}

export async function ingestPaths(db: CaseDb, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const writer = new CaseWriter(db);
  const report = makeProgressReporter(options.onProgress);
  const progress = {
    phase: 'scanning' as IngestProgress['phase'],
    filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0,
    events: 0, flows: 0, resources: 0, rejected: 0, currentPath: null as string | null,
  };
  const summary: IngestSummary = { events: 0, flows: 0, resources: 0, sources: [], rejected: 0, durationMs: 0, aborted: false };
  report(progress, true);

  const commits = new GroupCommit(db);
  // A new case is filled without its event and flow indexes, which are built once at the end.
  const bulk = beginBulkLoad(db);
  if (bulk) writer.startBulkDeduplication();
  const casePath = db.memory ? null : db.name;
  const worker = new Worker(WORKER_URL, {
    workerData: { paths, casePath } satisfies WorkerInput,
    execArgv: workerExecArgv(),
    // Parsing allocates a short-lived object per record; a larger young generation spends less time
    // collecting them (about 10% faster ingest here).
    resourceLimits: { maxYoungGenerationSizeMb: 32 },
  });
  const reply = (m: ToReader) => worker.postMessage(m);
  // Decisions are answered as soon as the worker asks, not when the write loop reaches the question,
  // so the worker hashes and parses the next file while this thread writes the last one.
  const messages = workerMessages(worker, options.signal, (m) => {
    if (m.t === 'input' && m.known === null && m.error === null && m.sha256 !== null) reply({ t: 'decision', read: !writer.findCompleted(m.sha256) });
  });

  let current: (SourceSummary & { id: number | null; sha256: string; size: number; bytesBefore: number }) | null = null;
  const finish = (status: SourceSummary['status'], reason: string | null) => {
    if (!current) return;
    const { id, sha256: _sha, size, bytesBefore, ...rest } = current;
    if (id !== null && status !== 'unchanged') writer.finishSource(id, status === 'done' ? 'done' : status === 'skipped' ? 'skipped' : 'rejected', reason);
    const done: SourceSummary = { ...rest, status, reason };
    summary.sources.push(done);
    if (status === 'rejected') summary.rejected++;
    summary.rejected += done.rejectedRecords;
    progress.rejected = summary.rejected;
    progress.filesDone++;
    progress.bytesDone = bytesBefore + size;
    current = null;
    report(progress);
  };
  /** Counts a written batch: `records` read from the source, `counts` of what was new. */
  const stored = (kind: 'events' | 'flows' | 'resources', records: number, counts: WriteCounts) => {
    if (!current) return;
    current.records += records;
    current.stored += counts.stored;
    current.rejectedRecords += counts.rejected;
    summary[kind] += counts.stored;
    progress[kind] += counts.stored;
  };
  const addBytes = (bytesRead: number) => {
    if (current) progress.bytesDone = current.bytesBefore + Math.min(bytesRead, current.size);
  };

  try {
    for await (const m of messages) {
      switch (m.t) {
        case 'listed':
          progress.filesTotal = m.files;
          progress.bytesTotal = m.bytes;
          progress.phase = 'reading';
          break;
        case 'input': {
          progress.currentPath = m.path;
          current = { path: m.path, kind: 'unknown', status: 'done', records: 0, stored: 0, rejectedRecords: 0, reason: null, id: null, sha256: m.sha256 ?? '', size: m.size, bytesBefore: progress.bytesDone };
          if (m.error !== null || m.sha256 === null) {
            finish('rejected', m.error);
            break;
          }
          if (m.known ?? writer.findCompleted(m.sha256)) finish('unchanged', null);
          break;
        }
        case 'open-failed':
          if (current) current.id = writer.startSource({ path: current.path, sha256: current.sha256, size: current.size, kind: 'unknown' });
          finish('rejected', m.reason);
          break;
        case 'opened':
          if (!current) break;
          current.kind = m.kind;
          current.id = writer.startSource({ path: current.path, sha256: current.sha256, size: current.size, kind: m.kind });
          break;
        case 'events':
        case 'flows':
        case 'config': {
          if (!current || current.id === null) break;
          const id = current.id;
          if (m.t === 'events') stored('events', m.batch.events.length, commits.write(m.batch.events.length, () => writer.writeEvents(id, m.batch)));
          else if (m.t === 'flows') stored('flows', m.rows.length, commits.write(m.rows.length, () => writer.writeFlows(id, m.rows, m.rejected)));
          else stored('resources', m.snapshot.resources.length, commits.write(m.snapshot.versions.length, () => writer.writeConfig(id, m.snapshot)));
          addBytes(m.bytesRead);
          reply({ t: 'ack' });
          break;
        }
        case 'source-end':
          if (!current) break;
          if (current.kind === 'cloudtrail-digest') finish('skipped', 'CloudTrail digest file (integrity hashes, no events): set aside');
          else if (current.records === 0 && current.rejectedRecords > 0) {
            const first = current.id === null ? null : writer.firstRejectionReason(current.id);
            finish('rejected', `no usable records: all ${current.rejectedRecords} rejected (${first ?? 'see rejected records'})`);
          } else finish('done', null);
          break;
        case 'source-failed':
          if (current) {
            // What was stored before the failure stays (it is valid data); the source is marked rejected.
            current.id ??= writer.startSource({ path: current.path, sha256: current.sha256, size: current.size, kind: 'unknown' });
            finish('rejected', m.reason);
          } else {
            summary.sources.push({ path: paths.join(', '), kind: 'unknown', status: 'rejected', records: 0, stored: 0, rejectedRecords: 0, reason: m.reason });
            summary.rejected++;
          }
          break;
        case 'finished':
          break;
      }
      report(progress);
    }
  } catch (err) {
    if (!options.signal?.aborted) throw err;
    summary.aborted = true;
  } finally {
    // Whole batches written so far are kept, after an abort or a failure too: they are consistent.
    commits.commit();
    reply({ t: 'stop' });
    await worker.terminate();
    if (bulk) {
      progress.phase = 'indexing';
      report(progress, true);
      finishBulkLoad(db);
      writer.stopBulkDeduplication();
    }
  }

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
 * Run from TypeScript sources, the worker needs tsx's loader too: a loader registered through tsx's
 * API (as bin/trailscope.js does) applies to this thread only, and Node's own type stripping cannot
 * handle all of TypeScript.
 */
function workerExecArgv(): string[] | undefined {
  if (!WORKER_URL.pathname.endsWith('.ts')) return undefined;
  // Started with `--import tsx`: workers inherit it. Otherwise resolve tsx from here, not from the
  // working directory, which may be anywhere.
  if (process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  return ['--import', import.meta.resolve('tsx')];
}

/**
 * Groups the writer's transactions into larger commits. Each commit writes every page it dirtied
 * (index pages are scattered by random event ids), so committing per small file costs far more than
 * the inserts themselves; a commit every ~50,000 rows or second amortises it. A kill -9 loses at most
 * the uncommitted group, whose sources are then not 'done' and are read again by the next ingest.
 */
class GroupCommit {
  private pending = 0;
  private openedAt = 0;

  constructor(private readonly db: CaseDb, private readonly maxRows = 50_000, private readonly maxMs = 1000) {}

  write<T>(rows: number, fn: () => T): T {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.openedAt = performance.now();
      this.pending = 0;
    }
    const result = fn();
    this.pending += rows;
    if (this.pending >= this.maxRows || performance.now() - this.openedAt >= this.maxMs) this.commit();
    return result;
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }
}

/** The worker's messages as an async stream, ending at 'finished', failing on a worker crash or an abort. */
async function* workerMessages(worker: Worker, signal: AbortSignal | undefined, onArrival: (m: FromReader) => void): AsyncGenerator<FromReader> {
  const queue: FromReader[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: FromReader) => {
    onArrival(m);
    queue.push(m);
    poke();
  });
  worker.on('error', (err) => {
    failure = err;
    poke();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the reader worker exited unexpectedly (code ${code})`);
    poke();
  });
  const onAbort = () => {
    failure = new Error('ingest aborted');
    poke();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw new Error('ingest aborted');
      const m = queue.shift();
      if (m) {
        yield m;
        if (m.t === 'finished') return;
        continue;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
