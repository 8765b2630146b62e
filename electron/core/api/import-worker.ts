// Runs one ingest on a worker thread so the API keeps answering while files are read and written.
// The worker opens its own connection to the case (WAL: the API's reads never wait on this writer).
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import type { IngestSummary } from '../ingest/pipeline.ts';
import type { IngestProgress } from '../ingest/progress.ts';
import { toLogFormat } from '../log-format.ts';

export type WorkerIn = { casePath: string; paths: string[] };
export type WorkerOut =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; summary: IngestSummary }
  | { type: 'failed'; error: string };

const port = parentPort;
if (port) {
  const { casePath, paths } = workerData as WorkerIn;
  const controller = new AbortController();
  port.on('message', (m: { type: string }) => {
    if (m.type === 'cancel') controller.abort(new Error('cancelled by the user'));
  });
  const db = openCase(casePath, { cacheMiB: 128 });
  // One turn of the event loop first: a cancel sent while the worker started is heard before any reading.
  new Promise((resolve) => setImmediate(resolve))
    .then(() => ingestPaths(db, paths, { signal: controller.signal, onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies WorkerOut) }))
    .then((summary) => port.postMessage({ type: 'done', summary } satisfies WorkerOut))
    .catch((err: unknown) => port.postMessage({ type: 'failed', error: toLogFormat(err) } satisfies WorkerOut))
    .finally(() => {
      db.close();
      port.close();
    });
}
