// One open case behind the API: the read connection, the import jobs and the dispatcher. Shared by
// the loopback server (browser mode), the Electron main process and the CLI, so all answer identically.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { openForReading } from '../db/open-for-reading.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { invokeThrough, type Invoke } from './service.ts';
import { createJobs } from './jobs.ts';
import { createWorkbenchHandlers } from './workbench-api.ts';
import { createLayoutPrecompute } from './layout/precompute.ts';
import type { PdfPrinter } from '../report/report-pdf.ts';

export type Workbench = { casePath: string; dispatch: Dispatch; invoke: Invoke; close(): Promise<void> };

export type WorkbenchOptions = {
  log?: (line: string) => void;
  /**
   * A command-line session: the case must exist already (a typo never creates one), it is opened
   * read-only unless the command writes (a case of an older version brought up to date first,
   * db/open-for-reading.ts), and no graph layout is computed ahead (nobody looks at it).
   */
  cli?: { writes: boolean; author?: string };
  /** The desktop app prints PDF reports with Electron's printToPDF (electron/main/print-pdf.ts). */
  printPdf?: PdfPrinter;
};

export function openWorkbench(casePath: string, options: WorkbenchOptions = {}): Workbench {
  const { cli } = options;
  if (cli && !existsSync(resolve(casePath))) throw new Error(`no case file at ${resolve(casePath)}`);
  const db = cli && !cli.writes ? openForReading(casePath) : openCase(casePath);
  // Its import, pull and layout workers are found by runtime-files.ts, from sources and from bundles alike.
  const layouts = cli ? undefined : createLayoutPrecompute({ casePath, log: options.log });
  // Lay the graph out as soon as the case opens (the page is still loading), and again after an
  // import has added what the cached layout does not cover.
  layouts?.refresh();
  const jobs = createJobs({
    casePath,
    onFinished: (status) => {
      if (status.records > 0 || status.flows > 0) layouts?.refresh();
    },
  });
  const dispatch = createDispatcher(createWorkbenchHandlers({ db, casePath, jobs, layouts, author: cli?.author, printPdf: options.printPdf }), options.log);
  return {
    casePath,
    dispatch,
    invoke: invokeThrough(dispatch),
    async close() {
      // Together: the layouts stop first (a job that ends while closing would start another).
      await Promise.all([layouts?.close(), jobs.closeAll()]);
      db.close();
    },
  };
}
