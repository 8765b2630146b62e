// Where Trailscope's own files are at run time: its worker threads and the built renderer, in both
// ways it runs. From the TypeScript sources (tests, `npm run`, a stale bundle) tsx compiles them; from
// the esbuild bundles (dist/cli for the `trailscope` command, dist/electron for the desktop app) each
// worker is built as `<name>-worker` beside the bundle that starts it (tools/build/bundles.ts).
// This module's own URL tells which: a .ts file here, a bundle file (or one of its chunks) there.
// Every worker is started through startWorker, so that rule lives in one place.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** Every worker thread's entry point, relative to the repository root. */
export const WORKER_SOURCES = {
  read: 'electron/core/ingest/read-worker.ts',
  import: 'electron/core/api/import-worker.ts',
  pull: 'electron/core/api/pull-worker.ts',
  layout: 'electron/core/api/layout/precompute-worker.ts',
} as const;

export type WorkerName = keyof typeof WORKER_SOURCES;

const HERE = import.meta.url;
const FROM_SOURCES = HERE.endsWith('.ts');

/** The file a worker runs: its source under tsx, or the bundled `<name>-worker` beside this bundle (same extension). */
export function workerUrl(name: WorkerName): URL {
  if (FROM_SOURCES) return new URL(`../../${WORKER_SOURCES[name]}`, HERE);
  return new URL(`./${name}-worker${HERE.slice(HERE.lastIndexOf('.'))}`, HERE);
}

/**
 * Starts a worker. From sources it needs tsx's loader too: a loader registered through tsx's API (as
 * bin/trailscope.js does) applies to the calling thread only. tsx is resolved from here, not from the
 * working directory, which may be anywhere. A process started with `--import tsx` passes it on as it is.
 */
export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const tsx = FROM_SOURCES && !process.execArgv.some((a) => a.includes('tsx'));
  return new Worker(workerUrl(name), { ...options, execArgv: tsx ? [...process.execArgv, '--import', import.meta.resolve('tsx')] : options.execArgv });
}

/**
 * The built renderer (vite → dist/renderer). Sources (electron/core/) and bundles (dist/cli,
 * dist/electron) both sit two folders below the repository root.
 */
export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', HERE));
