// The reader workers of one ingest and their merged message stream. Each worker walks the same
// inputs and reads its share of them (input i goes to worker i mod N), so the writer thread receives
// interleaved sources, each tagged with the worker that reads it.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { FromReader, ToReader, WorkerInput } from './read-protocol.ts';

const WORKER_URL = readerWorkerUrl();

/** Below this much input a second worker costs more (its start-up) than it saves. */
const BYTES_PER_EXTRA_WORKER = 64 * 1024 * 1024;
const MAX_WORKERS = 4;

export type PoolMessage = { worker: number; m: FromReader };

export class ReaderPool {
  private readonly workers: Worker[];

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /**
   * Up to one worker per core (the writer thread waits on SQLite much of the time, so it shares a
   * core well), and only as many as the input's size justifies.
   */
  static async start(paths: string[], casePath: string | null, requested?: number): Promise<ReaderPool> {
    const byCores = Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
    const bySize = 1 + Math.floor((await inputBytes(paths, byCores * BYTES_PER_EXTRA_WORKER)) / BYTES_PER_EXTRA_WORKER);
    const size = requested !== undefined ? Math.max(1, Math.min(MAX_WORKERS, Math.floor(requested))) : Math.min(byCores, bySize);
    const workers = Array.from(
      { length: size },
      (_, index) =>
        new Worker(WORKER_URL, {
          workerData: { paths, casePath, share: { index, of: size } } satisfies WorkerInput,
          execArgv: workerExecArgv(),
          // Parsing allocates a short-lived object per record; a larger young generation spends less
          // time collecting them.
          resourceLimits: { maxYoungGenerationSizeMb: 32 },
        }),
    );
    return new ReaderPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  reply(worker: number, m: ToReader): void {
    this.workers[worker].postMessage(m);
  }

  /**
   * Every worker's messages as one stream, ending when all have sent 'finished'; it fails when a
   * worker crashes or the signal aborts. `onArrival` sees each message as soon as it arrives, before
   * the consumer reaches it (for questions that must not wait behind queued batches).
   */
  async *messages(signal: AbortSignal | undefined, onArrival: (p: PoolMessage) => void): AsyncGenerator<PoolMessage> {
    const queue: PoolMessage[] = [];
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    let running = this.workers.length;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.workers.forEach((worker, index) => {
      worker.on('message', (m: FromReader) => {
        const p = { worker: index, m };
        onArrival(p);
        queue.push(p);
        poke();
      });
      worker.on('error', (err) => {
        failure = err;
        poke();
      });
      worker.on('exit', (code) => {
        failure ??= new Error(`a reader worker exited unexpectedly (code ${code})`);
        poke();
      });
    });
    const onAbort = () => {
      failure = new Error('ingest aborted');
      poke();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal?.aborted) throw new Error('ingest aborted');
        const p = queue.shift();
        if (p) {
          yield p;
          if (p.m.t === 'finished' && --running === 0) return;
          continue;
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage({ t: 'stop' } satisfies ToReader);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Bytes under the given paths, counted until `enough` (a walk of names and sizes, nothing read). */
async function inputBytes(paths: string[], enough: number): Promise<number> {
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    if (total >= enough) return;
    const info = await stat(path).catch(() => null);
    if (!info) return;
    if (info.isFile()) total += info.size;
    else if (info.isDirectory()) for (const name of await readdir(path).catch(() => [])) await walk(join(path, name));
  };
  for (const p of paths) await walk(p);
  return total;
}

/** The reader worker's file: beside this module when run from sources, beside the bundle in the desktop app. */
function readerWorkerUrl(): URL {
  // esbuild's CommonJS bundles (dist/electron/*.cjs) have no import.meta.url; read-worker.cjs is built beside them.
  if (typeof import.meta.url !== 'string' || import.meta.url === '') return pathToFileURL(join(__dirname, 'read-worker.cjs'));
  return new URL('./read-worker.ts', import.meta.url);
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
