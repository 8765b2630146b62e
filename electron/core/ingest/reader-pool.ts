// The reader workers of one ingest and their merged message stream. Each worker walks the same
// inputs and reads its share of them (input i goes to worker i mod N), so the writer thread receives
// interleaved sources, each tagged with the worker that reads it.
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { lstatSync, opendirSync, statSync, type Dir, type Stats } from 'node:fs';
import type { FromReader, ToReader, WorkerInput } from './read-protocol.ts';
import { startWorker } from '../runtime-files.ts';
import { endWorker, exitOf } from '../end-worker.ts';

/**
 * A reader's heap: enough for any sane input, small enough that a hostile one (a huge document of tiny
 * values) kills the worker rather than the machine. The pool then names the file and goes on.
 */
const READER_HEAP_MIB = 2048;
/**
 * A worker that keeps dying without getting any further is not restarted forever. One that dies on
 * a new input each time is: an evidence folder may hold many hostile files, and each is rejected by
 * name while the rest is read.
 */
const MAX_RESTARTS = 5;

/**
 * Below this much input (as stored: gzip, about an eighth of the JSON) a second worker costs more
 * (its start-up, a fifth of a second) than it saves. Above it the writer thread, waiting on SQLite
 * between batches, leaves room on the other core: on 100,000 events (16 MB of gzip) a second worker
 * took the same CPU (21.6 / 21.8 s) for about 65 MB more memory.
 */
const BYTES_PER_EXTRA_WORKER = 8 * 1024 * 1024;
const MAX_WORKERS = 4;
/**
 * How long close() lets the workers stop on their own before it terminates them (end-worker.ts): asked
 * to stop, a worker does so between two awaits, so as soon as its start (SQLite's native module) is over.
 */
const STOP_WAIT_MS = 2_000;

export type PoolMessage = { worker: number; m: FromReader };

export type ReaderPoolOptions = {
  /** Reader workers; by default up to one per core, as many as the input's size justifies. */
  readers?: number;
  /** Heap limit of each reader in MiB (tests use a small one to make a worker run out of memory). */
  heapMiB?: number;
  limits: WorkerInput['limits'];
};

export class ReaderPool {
  private readonly workers: Worker[] = [];
  /** Inputs each worker has announced ('input', or each of a 'files'): where a replacement resumes after a crash. */
  private readonly handled: number[];
  private readonly finished: boolean[];
  /** Deaths of each worker since it last got to a new input. */
  private readonly restarts: number[];
  /** handled[i] when worker i was last started: a death past it made progress. */
  private readonly handledAtStart: number[];
  /** Where each worker is in its share (read-protocol.ts, WorkerInput.reading). */
  private readonly reading: Int32Array[];
  /** Inputs that killed a worker before it announced them: its replacements announce them as unreadable. */
  private readonly crashed: { position: number; reason: string }[][];
  private listener: ((index: number, event: WorkerEvent) => void) | null = null;
  /** The inputs were counted ('listed'): a replacement of the worker that counted does not count again. */
  private listed = false;
  /** Each worker's end, however it comes. */
  private readonly exits = new WeakMap<Worker, Promise<void>>();

  private constructor(
    private readonly paths: string[],
    private readonly casePath: string | null,
    private readonly heapMiB: number,
    private readonly limits: WorkerInput['limits'],
    size: number,
  ) {
    this.handled = new Array(size).fill(0);
    this.finished = new Array(size).fill(false);
    this.restarts = new Array(size).fill(0);
    this.handledAtStart = new Array(size).fill(0);
    this.reading = Array.from({ length: size }, () => new Int32Array(new SharedArrayBuffer(4)).fill(-1));
    this.crashed = Array.from({ length: size }, () => []);
    for (let i = 0; i < size; i++) this.workers.push(this.spawn(i));
  }

  /**
   * Up to one worker per core (the writer thread waits on SQLite much of the time, so it shares a
   * core well), and only as many as the input's size justifies.
   */
  static async start(paths: string[], casePath: string | null, options: ReaderPoolOptions): Promise<ReaderPool> {
    const byCores = Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
    const bySize = 1 + Math.floor(inputBytes(paths, byCores * BYTES_PER_EXTRA_WORKER) / BYTES_PER_EXTRA_WORKER);
    const size = options.readers !== undefined ? Math.max(1, Math.min(MAX_WORKERS, Math.floor(options.readers))) : Math.min(byCores, bySize);
    return new ReaderPool(paths, casePath, options.heapMiB ?? READER_HEAP_MIB, options.limits, size);
  }

  get size(): number {
    return this.workers.length;
  }

  reply(worker: number, m: ToReader): void {
    this.workers[worker].postMessage(m);
  }

  /**
   * Every worker's messages as one stream, ending when all have sent 'finished'; it fails when the
   * signal aborts or a worker keeps dying. A worker that dies is replaced: the stream carries a
   * 'crashed' message for it (its current input is lost), and the replacement goes on with the rest
   * of its share. `onArrival` sees each message as soon as it arrives, before the consumer reaches it
   * (for questions that must not wait behind queued batches).
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
    this.listener = (worker, event) => {
      if (event.kind === 'message') {
        const p = { worker, m: event.message };
        onArrival(p);
        queue.push(p);
      } else {
        // An input that killed the worker before it was announced (small files wait to be sent together:
        // read-worker.ts) is not read again; the replacement announces it as unreadable, by name.
        const at = Atomics.load(this.reading[worker], 0);
        const unannounced = at >= this.handled[worker] && !this.crashed[worker].some((c) => c.position === at);
        if (unannounced) this.crashed[worker].push({ position: at, reason: event.reason });
        // A death after reaching a new input is progress: fruitless restarts are counted from zero again.
        if (this.handled[worker] > this.handledAtStart[worker] || unannounced) this.restarts[worker] = 0;
        if (this.restarts[worker] >= MAX_RESTARTS) {
          failure = new Error(`a reader worker failed ${MAX_RESTARTS + 1} times without reaching a new input: ${event.reason}`);
        } else {
          this.restarts[worker]++;
          queue.push({ worker, m: { t: 'crashed', reason: event.reason } });
          this.workers[worker] = this.spawn(worker);
        }
      }
      poke();
    };
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
      this.listener = null;
    }
  }

  async close(): Promise<void> {
    this.finished.fill(true);
    await Promise.all(this.workers.map((w) => endWorker(w, { exited: this.exits.get(w)!, ask: { t: 'stop' } satisfies ToReader, graceMs: STOP_WAIT_MS })));
  }

  /**
   * The inputs that killed worker `index` and are not yet announced. One announced (as unreadable,
   * by a replacement) is behind every later start: the list holds at most a held group's inputs,
   * however many hostile files an ingest meets.
   */
  private unannounced(index: number): { position: number; reason: string }[] {
    return this.crashed[index].filter((c) => c.position >= this.handled[index]);
  }

  private spawn(index: number): Worker {
    this.handledAtStart[index] = this.handled[index];
    this.crashed[index] = this.unannounced(index);
    const worker = startWorker('read', {
      workerData: {
        paths: this.paths, casePath: this.casePath, limits: this.limits,
        share: { index, of: this.handled.length, skip: this.handled[index], crashed: this.crashed[index], count: index === 0 && !this.listed },
        reading: this.reading[index].buffer as SharedArrayBuffer,
      } satisfies WorkerInput,
      // Parsing allocates a short-lived object per record; a larger young generation spends less time
      // collecting them.
      resourceLimits: { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: this.heapMiB },
    });
    let dead = false;
    const died = (reason: string) => {
      if (dead || this.finished[index]) return;
      dead = true;
      this.listener?.(index, { kind: 'died', reason });
    };
    worker.on('message', (m: FromReader) => {
      if (m.t === 'listed') this.listed = true;
      else if (m.t === 'input') this.handled[index]++;
      else if (m.t === 'files') this.handled[index] += m.files.length;
      if (m.t === 'finished') this.finished[index] = true;
      this.listener?.(index, { kind: 'message', message: m });
    });
    worker.on('error', (err) => died((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the reader ran out of memory' : err.message));
    worker.on('exit', (code) => died(`the reader stopped (exit code ${code})`));
    this.exits.set(worker, exitOf(worker));
    return worker;
  }
}

type WorkerEvent = { kind: 'message'; message: FromReader } | { kind: 'died'; reason: string };

/**
 * Bytes under the given paths, counted until `enough` (a walk of names and sizes, nothing read).
 * Links inside them are not followed: this is an estimate, and a link may loop or lead anywhere.
 * Synchronous, folders' entries by their type: the writer's thread has nothing to do before the
 * readers start, and a promise per file cost 30 µs of it (0.5–0.7 s on a quiet account's 90 days of
 * small files, before any reading began).
 */
function inputBytes(paths: string[], enough: number): number {
  let total = 0;
  const sizeOf = (path: string) => {
    try {
      return lstatSync(path).size;
    } catch {
      return 0; // unreadable: the readers name it
    }
  };
  // Read as a stream, in no order: a folder of hundreds of thousands of files is neither held whole
  // nor read past `enough`.
  const walkFolder = (folder: string) => {
    let dir: Dir;
    try {
      dir = opendirSync(folder, { bufferSize: 256 });
    } catch {
      return; // unreadable: the readers name it
    }
    try {
      for (let entry = dir.readSync(); entry !== null && total < enough; entry = dir.readSync()) {
        if (entry.isFile()) total += sizeOf(join(folder, entry.name));
        else if (entry.isDirectory()) walkFolder(join(folder, entry.name));
      }
    } catch {
      // unreadable: the readers name it
    } finally {
      dir.closeSync();
    }
  };
  for (const path of paths) {
    if (total >= enough) break;
    let info: Stats;
    try {
      info = statSync(path);
    } catch {
      continue; // unreadable: the readers name it
    }
    if (info.isFile()) total += info.size;
    else if (info.isDirectory()) walkFolder(path);
  }
  return total;
}
