// One open case behind the API: the read connection, the import jobs and the dispatcher. Shared by
// the loopback server (browser mode) and the Electron main process, so both answer identically.
import { openCase } from '../db/open-case.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { createJobs } from './jobs.ts';
import { createWorkbenchHandlers } from './workbench-api.ts';

export type Workbench = { casePath: string; dispatch: Dispatch; close(): Promise<void> };

export type WorkbenchOptions = {
  /** Where import-worker lives; defaults to the source file beside this one (run through tsx). */
  workerFile?: URL | string;
  log?: (line: string) => void;
};

export function openWorkbench(casePath: string, options: WorkbenchOptions = {}): Workbench {
  const db = openCase(casePath);
  const jobs = createJobs({ casePath, workerFile: options.workerFile ?? new URL('./import-worker.ts', import.meta.url) });
  const dispatch = createDispatcher(createWorkbenchHandlers({ db, casePath, jobs }), options.log);
  return {
    casePath,
    dispatch,
    async close() {
      await jobs.closeAll();
      db.close();
    },
  };
}
