// Jobs that write to the case: file imports and live pulls. One at a time per case (one writer),
// each on a worker thread, observed by polling `job:status`. Cancel asks the worker to stop between
// batches or pages (a pull's AbortSignal also cuts the request in flight); if it has not stopped
// within a few seconds the worker is terminated, which WAL makes safe (the last commit stands). Closing
// the case cancels the running job the same way: a worker terminated at once could be registering
// SQLite's native module, which takes the whole process down (end-worker.ts).
import type { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { JobStatus } from '../../../shared/api/types.ts';
import type { WorkerIn, WorkerOut } from './import-worker.ts';
import type { PullWorkerIn, PullWorkerOut } from './pull-worker.ts';
import { ApiFailure } from './dispatch.ts';
import { applyPullEvent, applyPullReport, emptyPullInfo } from './pull-status.ts';
import { startWorker } from '../runtime-files.ts';
import { endWorker, exitOf } from '../end-worker.ts';
import { inputCount } from '../ingest/input-count.ts';
import type { IngestSummary } from '../ingest/pipeline.ts';

export type PullRequest = Omit<PullWorkerIn, 'casePath'>;

export type Jobs = {
  start(paths: string[]): string;
  startPull(request: PullRequest): string;
  status(jobId: string): JobStatus;
  /** The running job, if any. */
  current(): JobStatus | null;
  cancel(jobId: string): JobStatus;
  /** Resolves when the job has ended (tests, shutdown). */
  settled(jobId: string): Promise<JobStatus>;
  closeAll(): Promise<void>;
};

export type JobsOptions = {
  casePath: string;
  onFinished?: (status: JobStatus) => void;
};

const KILL_AFTER_MS = 4000;

/**
 * Files of each kind a finished import's status names: it is polled, and a dialog is no place for ten
 * thousand rows. The counts cover every file the summary lists (LISTED_SOURCES of those not read
 * whole); the case's sources table holds every one.
 */
export const JOB_LISTED_FILES = 100;

/** The files an import rejected whole, and those it read with some records rejected, from its summary. */
function notWholeFiles(s: IngestSummary) {
  const rejected = s.sources.filter((x) => x.status === 'rejected');
  const partlyRead = s.sources.filter((x) => x.status !== 'rejected' && x.rejectedRecords > 0);
  return {
    rejected: rejected.slice(0, JOB_LISTED_FILES).map((x) => ({ path: x.path, reason: x.reason ?? 'rejected' })),
    rejectedFiles: s.inputs.rejected,
    partlyRead: partlyRead.slice(0, JOB_LISTED_FILES).map((x) => ({ path: x.path, records: x.records, rejectedRecords: x.rejectedRecords, rejections: x.rejections })),
    partlyReadFiles: partlyRead.length,
    partlyReadRecords: partlyRead.reduce((n, x) => n + x.rejectedRecords, 0),
  } satisfies Partial<JobStatus>;
}

type Finish = (state: JobStatus['state'], error: string | null) => void;
type Job = { status: JobStatus; worker: Worker | null; done: Promise<JobStatus>; cancel(): Promise<void>; cancelled: boolean };

function newStatus(kind: JobStatus['kind']): JobStatus {
  return {
    jobId: randomUUID(), kind, state: 'running', startedAt: Date.now(), finishedAt: null, filesDone: 0, filesTotal: null,
    bytesDone: 0, bytesTotal: null, records: 0, duplicates: 0, flows: 0, rate: 0, etaMs: null, current: null,
    rejected: [], rejectedFiles: 0, partlyRead: [], partlyReadFiles: 0, partlyReadRecords: 0, error: null, notes: [],
    pull: kind === 'pull' ? emptyPullInfo() : null,
  };
}

export function createJobs(options: JobsOptions): Jobs {
  const jobs = new Map<string, Job>();

  const get = (jobId: string) => {
    const job = jobs.get(jobId);
    if (!job) throw new ApiFailure('not-found', `no job ${jobId}`);
    return job;
  };

  /** Starts a worker and keeps its status; `onMessage` turns the worker's messages into status. */
  function run(status: JobStatus, worker: Worker, onMessage: (m: unknown, finish: Finish, job: Job) => void): string {
    for (const j of jobs.values()) if (j.status.state === 'running') throw new ApiFailure('busy', `${j.status.kind === 'pull' ? 'a pull' : 'an import'} is already running in this case`);
    const noun = status.kind === 'pull' ? 'the pull' : 'the import';
    const finish: Finish = (state, error) => {
      if (status.state !== 'running') return;
      status.state = state;
      status.error = error;
      status.finishedAt = Date.now();
      status.etaMs = 0;
      status.current = null;
      options.onFinished?.(status);
    };
    const exited = exitOf(worker);
    const job: Job = {
      status,
      worker,
      cancelled: false,
      done: Promise.resolve(status),
      cancel() {
        job.cancelled = true;
        return endWorker(worker, { exited, ask: { type: 'cancel' }, graceMs: KILL_AFTER_MS });
      },
    };
    job.done = new Promise<JobStatus>((resolve) => {
      worker.on('message', (m: unknown) => onMessage(m, finish, job));
      worker.on('error', (err) => finish('failed', err.message));
      worker.on('exit', () => {
        finish(job.cancelled ? 'cancelled' : 'failed', `${noun} stopped unexpectedly`);
        job.worker = null;
        resolve(status);
      });
    });
    jobs.set(status.jobId, job);
    return status.jobId;
  }

  return {
    start(paths) {
      const status = newStatus('import');
      const worker = startWorker('import', { workerData: { casePath: options.casePath, paths } satisfies WorkerIn });
      return run(status, worker, (message, finish, job) => {
        const m = message as WorkerOut;
        if (m.type === 'progress') {
          const p = m.progress;
          Object.assign(status, {
            filesDone: p.filesDone, filesTotal: p.phase === 'scanning' ? null : p.filesTotal, bytesDone: p.bytesDone,
            bytesTotal: p.phase === 'scanning' ? null : p.bytesTotal, records: p.events, flows: p.flows,
            rate: Math.round(p.rate), etaMs: p.etaMs === null ? null : Math.round(p.etaMs), current: p.currentPath,
          });
        } else if (m.type === 'done') {
          const s = m.summary;
          status.records = s.events;
          status.flows = s.flows;
          // A finished (not aborted) ingest has been through every listed input.
          const inputs = inputCount(s);
          status.filesDone = s.aborted ? Math.max(status.filesDone, inputs) : (status.filesTotal ?? inputs);
          status.duplicates = s.duplicates;
          Object.assign(status, notWholeFiles(s));
          status.notes = s.notes;
          finish(s.aborted || job.cancelled ? 'cancelled' : 'done', null);
        } else {
          finish(job.cancelled ? 'cancelled' : 'failed', m.error);
        }
      });
    },
    startPull(request) {
      const status = newStatus('pull');
      const worker = startWorker('pull', { workerData: { casePath: options.casePath, ...request } satisfies PullWorkerIn });
      return run(status, worker, (message, finish, job) => {
        const m = message as PullWorkerOut;
        if (m.type === 'event') applyPullEvent(status, m.event);
        else if (m.type === 'done') {
          applyPullReport(status, m.report);
          finish(m.report.cancelled || job.cancelled ? 'cancelled' : 'done', null);
        } else finish(job.cancelled ? 'cancelled' : 'failed', m.error);
      });
    },
    status(jobId) {
      return snapshot(get(jobId).status);
    },
    current() {
      for (const j of jobs.values()) if (j.status.state === 'running') return snapshot(j.status);
      return null;
    },
    cancel(jobId) {
      const job = get(jobId);
      if (job.status.state === 'running' && !job.cancelled) void job.cancel();
      return snapshot(job.status);
    },
    settled(jobId) {
      return get(jobId).done.then(snapshot);
    },
    async closeAll() {
      await Promise.all([...jobs.values()].map(async (j) => {
        if (j.worker && !j.cancelled) await j.cancel();
        await j.done;
      }));
    },
  };
}

/** A copy the caller may keep: later progress does not change it. */
function snapshot(s: JobStatus): JobStatus {
  return { ...s, rejected: [...s.rejected], partlyRead: [...s.partlyRead], pull: s.pull ? { ...s.pull, regions: [...s.pull.regions], collectors: s.pull.collectors.map((c) => ({ ...c })) } : null };
}
