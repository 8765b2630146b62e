// Import jobs: one at a time per case (one writer), each on a worker thread, observed by polling
// `job:status`. Cancel asks the pipeline to stop between batches; if a batch does not finish within
// a few seconds the worker is terminated, which WAL makes safe (the last committed batch stands).
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { JobStatus } from '../../../shared/api/types.ts';
import type { WorkerIn, WorkerOut } from './import-worker.ts';
import { ApiFailure } from './dispatch.ts';

export type Jobs = {
  start(paths: string[]): string;
  status(jobId: string): JobStatus;
  cancel(jobId: string): JobStatus;
  /** Resolves when the job has ended (tests, shutdown). */
  settled(jobId: string): Promise<JobStatus>;
  closeAll(): Promise<void>;
};

export type JobsOptions = {
  casePath: string;
  /** The worker's file; .ts sources run through tsx, built .cjs/.js files as they are. */
  workerFile: URL | string;
  onFinished?: (status: JobStatus) => void;
};

const KILL_AFTER_MS = 4000;

export function createJobs(options: JobsOptions): Jobs {
  const jobs = new Map<string, { status: JobStatus; worker: Worker | null; done: Promise<JobStatus>; cancel(): void }>();

  const get = (jobId: string) => {
    const job = jobs.get(jobId);
    if (!job) throw new ApiFailure('not-found', `no job ${jobId}`);
    return job;
  };

  return {
    start(paths) {
      for (const j of jobs.values()) if (j.status.state === 'running') throw new ApiFailure('busy', 'an import is already running in this case');
      const jobId = randomUUID();
      const status: JobStatus = {
        jobId, kind: 'import', state: 'running', startedAt: Date.now(), finishedAt: null, filesDone: 0, filesTotal: null,
        bytesDone: 0, bytesTotal: null, records: 0, duplicates: 0, flows: 0, rate: 0, etaMs: null, current: null, rejected: [], error: null,
      };
      const file = String(options.workerFile);
      const execArgv = file.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;
      const worker = new Worker(new URL(file), { workerData: { casePath: options.casePath, paths } satisfies WorkerIn, execArgv });
      const finish = (state: JobStatus['state'], error: string | null) => {
        if (status.state !== 'running') return;
        status.state = state;
        status.error = error;
        status.finishedAt = Date.now();
        status.etaMs = 0;
        status.current = null;
        options.onFinished?.(status);
      };
      let cancelled = false;
      const done = new Promise<JobStatus>((resolve) => {
        worker.on('message', (m: WorkerOut) => {
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
            status.filesDone = s.aborted ? Math.max(status.filesDone, s.sources.length) : (status.filesTotal ?? s.sources.length);
            status.duplicates = s.sources.reduce((n, x) => n + Math.max(0, x.records - x.stored), 0);
            status.rejected = s.sources.filter((x) => x.status === 'rejected').map((x) => ({ path: x.path, reason: x.reason ?? 'rejected' }));
            finish(s.aborted || cancelled ? 'cancelled' : 'done', null);
          } else {
            finish(cancelled ? 'cancelled' : 'failed', m.error);
          }
        });
        worker.on('error', (err) => finish('failed', err.message));
        worker.on('exit', () => {
          finish(cancelled ? 'cancelled' : 'failed', 'the import stopped unexpectedly');
          jobs.get(jobId)!.worker = null;
          resolve(status);
        });
      });
      const cancel = () => {
        cancelled = true;
        worker.postMessage({ type: 'cancel' });
        setTimeout(() => void worker.terminate(), KILL_AFTER_MS).unref();
      };
      jobs.set(jobId, { status, worker, done, cancel });
      return jobId;
    },
    status(jobId) {
      return { ...get(jobId).status };
    },
    cancel(jobId) {
      const job = get(jobId);
      if (job.status.state === 'running') job.cancel();
      return { ...job.status };
    },
    settled(jobId) {
      return get(jobId).done.then((s) => ({ ...s }));
    },
    async closeAll() {
      await Promise.all([...jobs.values()].map(async (j) => j.worker?.terminate()));
    },
  };
}
