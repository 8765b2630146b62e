// One open case behind the API: the read connection, the import jobs and the dispatcher. Shared by
// the loopback server (browser mode) and the Electron main process, so both answer identically.
import { openCase } from '../db/open-case.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { createJobs } from './jobs.ts';
import { createWorkbenchHandlers } from './workbench-api.ts';
import { createLayoutPrecompute } from './layout/precompute.ts';

export type Workbench = { casePath: string; dispatch: Dispatch; close(): Promise<void> };

export type WorkbenchOptions = {
  log?: (line: string) => void;
};

export function openWorkbench(casePath: string, options: WorkbenchOptions = {}): Workbench {
  const db = openCase(casePath);
  // Its import, pull and layout workers are found by runtime-files.ts, from sources and from bundles alike.
  const layouts = createLayoutPrecompute({ casePath, log: options.log });
  // Lay the graph out as soon as the case opens (the page is still loading), and again after an
  // import has added what the cached layout does not cover.
  layouts.refresh();
  const jobs = createJobs({
    casePath,
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
