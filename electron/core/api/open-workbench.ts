// One open case behind the API: the read connection, the import jobs and the dispatcher. Shared by
// the loopback server (browser mode) and the Electron main process, so both answer identically.
import { openCase } from '../db/open-case.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { createJobs } from './jobs.ts';
import { createWorkbenchHandlers } from './workbench-api.ts';
import { createLayoutPrecompute } from './layout/precompute.ts';

export type Workbench = { casePath: string; dispatch: Dispatch; close(): Promise<void> };

export type WorkbenchOptions = {
  /** Where import-worker lives; defaults to the source file beside this one (run through tsx). */
  workerFile?: URL | string;
  /** Where pull-worker lives; defaults to the source file beside this one (run through tsx). */
  pullWorkerFile?: URL | string;
  /** Where layout/precompute-worker lives; defaults to the source file (run through tsx). */
  layoutWorkerFile?: URL | string;
  log?: (line: string) => void;
};

export function openWorkbench(casePath: string, options: WorkbenchOptions = {}): Workbench {
  const db = openCase(casePath);
  const layouts = createLayoutPrecompute({ casePath, workerFile: options.layoutWorkerFile ?? new URL('./layout/precompute-worker.ts', import.meta.url), log: options.log });
  // Lay the graph out as soon as the case opens (the page is still loading), and again after an
  // import has added what the cached layout does not cover.
  layouts.refresh();
  const jobs = createJobs({
    casePath,
    workerFile: options.workerFile ?? new URL('./import-worker.ts', import.meta.url),
    pullWorkerFile: options.pullWorkerFile ?? new URL('./pull-worker.ts', import.meta.url),
    onFinished: (status) => {
      if (status.records > 0 || status.flows > 0) layouts.refresh();
    },
  });
  const dispatch = createDispatcher(createWorkbenchHandlers({ db, casePath, jobs, layouts }), options.log);
  return {
    casePath,
    dispatch,
    async close() {
      await jobs.closeAll();
      await layouts.close();
      db.close();
    },
  };
}
