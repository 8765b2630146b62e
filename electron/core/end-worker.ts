// Ending a worker thread without taking the process down. A worker terminated while it registers a
// native module (better-sqlite3, at its first openCase) aborts the whole process: Node's fatal
// "Error::New napi_get_last_error_info", seen in CI when an ingest failed at its first batches. In the
// app that process is Electron's main one. So a worker is first asked to stop, or given time to get
// past its start, and terminated only if it has not ended by then.
import type { Worker } from 'node:worker_threads';

export type EndWorkerOptions = {
  /** Resolves when the worker has exited (taken from its 'exit' event when it started: it may be gone already). */
  exited: Promise<unknown>;
  /** How long the worker has to exit (or get past its start) before it is terminated anyway. */
  graceMs: number;
} & (
  /** A worker that listens between awaits: this message asks it to stop, and it is given graceMs to exit. */
  | { ask: unknown }
  /**
   * A worker that runs to its end without listening (a layout): `started` resolves once it is past
   * its start (its case opened), when terminating it is safe.
   */
  | { started: Promise<unknown> }
);

/** Asks the worker to stop, or waits until it is past its start; terminates it after that, or after `graceMs`. */
export async function endWorker(worker: Worker, options: EndWorkerOptions): Promise<void> {
  const waits: Promise<unknown>[] = [options.exited];
  if ('ask' in options) worker.postMessage(options.ask);
  else waits.push(options.started);
  let timer: NodeJS.Timeout | undefined;
  waits.push(new Promise<void>((resolve) => (timer = setTimeout(resolve, options.graceMs))));
  await Promise.race(waits);
  clearTimeout(timer);
  await worker.terminate();
}

/** A promise of the worker's exit, taken as soon as it is started (an 'exit' already emitted is not emitted again). */
export function exitOf(worker: Worker): Promise<void> {
  return new Promise((resolve) => worker.once('exit', () => resolve()));
}
