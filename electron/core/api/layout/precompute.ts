// Keeps the case's cached graph layout fresh: on open and after each import, a worker thread lays
// the graph out if the cache does not cover it. `graph:loadPositions` waits for a run in flight,
// so the first page load of a new case gets server-made positions instead of laying out itself.
import type { Worker } from 'node:worker_threads';
import type { PrecomputeIn, PrecomputeOut } from './precompute-worker.ts';
import { startWorker } from '../../runtime-files.ts';
import { endWorker, exitOf } from '../../end-worker.ts';

/** How long close() waits for a layout worker to open its case before terminating it anyway (end-worker.ts). */
const OPEN_WAIT_MS = 2_000;

export type LayoutPrecompute = {
  /** Starts a run unless one is in flight (then the next starts when it ends). */
  refresh(): void;
  /** Resolves when no run is in flight, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
};

export function createLayoutPrecompute(options: { casePath: string; log?: (line: string) => void }): LayoutPrecompute {
  let running: { worker: Worker; done: Promise<void>; opened: Promise<void> } | null = null;
  let again = false;
  let closed = false;

  const start = () => {
    const worker = startWorker('layout', { workerData: { casePath: options.casePath } satisfies PrecomputeIn });
    let isOpen: () => void = () => {};
    const opened = new Promise<void>((resolve) => (isOpen = resolve));
    worker.on('message', (m: PrecomputeOut) => {
      if (m.type === 'opened') isOpen();
      else if (m.type === 'failed') options.log?.(`graph layout failed: ${m.error}`);
      else if (m.ms !== null) options.log?.(`graph layout: ${m.nodes} nodes in ${m.ms} ms`);
    });
    worker.on('error', (err) => options.log?.(`graph layout failed: ${err.message}`));
    const done = exitOf(worker);
    running = { worker, done, opened };
    void done.then(() => {
      running = null;
      if (again && !closed) {
        again = false;
        start();
      }
    });
  };

  return {
    refresh() {
      if (closed) return;
      if (running) again = true;
      else start();
    },
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([running.done, new Promise((r) => (timer = setTimeout(r, deadline - Date.now())))]);
        clearTimeout(timer);
      }
    },
    async close() {
      closed = true;
      // A layout does not listen while it runs: it is terminated, but only once past its start.
      if (running) await endWorker(running.worker, { exited: running.done, started: running.opened, graceMs: OPEN_WAIT_MS });
    },
  };
}
