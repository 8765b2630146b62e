// The workbench API on top of the case file: one handler per call of shared/api. Answers come from
// the engine (electron/core/analysis), through the small adapters in adapters/ where the contract's
// inputs differ from the engine's options.
import { layoutStore } from '../db/workbench-layouts.ts';
import type { CaseDb } from '../db/open-case.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './dispatch.ts';
import type { Jobs } from './jobs.ts';
import type { LayoutPrecompute } from './layout/precompute.ts';
import type { Positions } from '../../../shared/api/types.ts';
import { timelinePage, timelineHistogram, timelineSorted } from './adapters/timeline.ts';
import { eventDetail } from './answers/event-detail.ts';
import { createFieldReader } from './answers/event-field.ts';
import { search } from '../analysis/search/search.ts';
import { caseSummary } from '../case-info.ts';
import { graphAt, neighbourhood } from './adapters/graph.ts';
import { findPaths } from '../analysis/graph/paths.ts';
import { graphOverview } from '../analysis/graph/overview.ts';
import { nearestEvents } from '../analysis/graph/event-times.ts';
import { exportTimeline } from './export-timeline.ts';
import { flowList, flowChains } from './adapters/flows.ts';
import { listFindings } from '../analysis/findings/findings-list.ts';
import { blindWindows } from '../analysis/findings/blind-windows.ts';
import { createCaseStateCache } from './case-state-cache.ts';
import { sortedEventIds, type SortQuestion } from '../analysis/timeline/timeline-sorted.ts';
import { SuppressionError, addSuppression, listSuppressions, removeSuppression } from '../analysis/findings/suppressions.ts';
import { SigmaFolderError, loadSigmaIntoCase, removeSigmaFolder, sigmaFolders } from '../analysis/findings/sigma/case-sigma.ts';
import { whoChanged } from '../analysis/history/who-changed.ts';
import { actorReport } from '../analysis/attribution/actor-report.ts';
import { checkIdentity, listProfiles } from '../pull/identity.ts';
import { AnnotationError, addAnnotation, listAnnotations, removeMark } from '../annotations/annotations.ts';
import { ViewError, listViews, removeView, saveView } from '../views/saved-views.ts';
import { verifyEvidence } from '../evidence/verify-evidence.ts';
import { createEventEvidence } from '../evidence/event-evidence.ts';
import { buildReportFile } from '../report/write-report.ts';
import type { PdfPrinter } from '../report/report-pdf.ts';

export type WorkbenchContext = {
  db: CaseDb;
  casePath: string;
  jobs: Jobs;
  layouts?: LayoutPrecompute;
  /** Who writes annotations: this process's setting (the CLI's --author), never the page's word. */
  author?: string;
  /** How a PDF report is printed in this process (default: headless Chromium). */
  printPdf?: PdfPrinter;
};

// How long a first page load waits for the server's layout before laying out itself.
const LAYOUT_WAIT_MS = 20_000;

function asInvalidInput<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AnnotationError || err instanceof SuppressionError || err instanceof SigmaFolderError || err instanceof ViewError) throw new ApiFailure('invalid-input', err.message);
    throw err;
  }
}

export function createWorkbenchHandlers(ctx: WorkbenchContext): Handlers {
  const { db } = ctx;
  const layouts = layoutStore(db);
  const readField = createFieldReader(db);
  const eventEvidence = createEventEvidence(db);
  // A few sorted timelines (at most 50,000 ids each) kept for their pages.
  const sortedIds = createCaseStateCache(db, (q: SortQuestion) => sortedEventIds(db, q), 4);

  return {
    'case:info': () => caseSummary(db, ctx.casePath),
    'graph:at': (q) => graphAt(db, q),
    'graph:neighbours': (q) => neighbourhood(db, q.id, q.at),
    'graph:paths': (q) => findPaths(db, q),
    'graph:overview': (q) => graphOverview(db, q),
    'graph:nearestEvent': (q) => nearestEvents(db, q.at),
    'graph:search': (q) => search(db, q.query, q.limit ?? 20),
    'graph:loadPositions': async (q) => {
      if (q.wait !== false) await ctx.layouts?.settled(LAYOUT_WAIT_MS);
      return layouts.load(q.key) as Positions | null;
    },
    'graph:savePositions': (q) => {
      layouts.save(q.key, q.positions);
      return { saved: Object.keys(q.positions).length };
    },
    'timeline:page': (q) => timelinePage(db, q.filter, q.cursor, q.limit),
    'timeline:sorted': (q) => timelineSorted(db, q, sortedIds),
    'timeline:histogram': (q) => timelineHistogram(db, q.filter, q.buckets),
    'event:get': (q) => eventDetail(db, q),
    'event:field': (q) => readField(q),
    'history:forResource': (q) => whoChanged(db, q.resourceId),
    'actor:report': (q) => {
      const report = actorReport(db, q.query, { findings: q.findings });
      if (!report) throw new ApiFailure('not-found', `no actor matches ${q.query}`);
      return report;
    },
    'import:start': (q) => ({ jobId: ctx.jobs.start(q.paths) }),
    // Profile names only: the files' keys and tokens stay in this process (and the pull worker).
    'pull:profiles': async () => ({ profiles: await listProfiles() }),
    // STS GetCallerIdentity in this process: account id and caller ARN (or a redacted error) go back.
    'pull:identity': (q) => checkIdentity(q.profile),
    'pull:start': (q) => ({ jobId: ctx.jobs.startPull(q) }),
    'job:current': () => ctx.jobs.current(),
    'job:status': (q) => ctx.jobs.status(q.jobId),
    'job:cancel': (q) => ctx.jobs.cancel(q.jobId),
    'export:timeline': (q) => exportTimeline(db, q.filter, q.format),
    'flows:list': (q) => flowList(db, q),
    'flows:chains': (q) => flowChains(db, q),
    'findings:list': (q) => listFindings(db, q, { busy: ctx.jobs.current() !== null }),
    'findings:suppress': (q) => asInvalidInput(() => addSuppression(db, { ...q, author: ctx.author })),
    'findings:unsuppress': (q) => ({ removed: removeSuppression(db, q.id) }),
    'findings:suppressions': () => listSuppressions(db),
    'sigma:load': (q) => asInvalidInput(() => loadSigmaIntoCase(db, q.path)),
    'sigma:folders': () => sigmaFolders(db),
    'sigma:remove': (q) => ({ removed: removeSigmaFolder(db, q.folder) }),
    'case:blindWindows': () => blindWindows(db),
    // The author is this process's setting (--author, TRAILSCOPE_AUTHOR or the OS user), never the page's word.
    'notes:add': (q) => asInvalidInput(() => addAnnotation(db, { target: q.target, targetId: q.targetId, kind: q.kind, value: q.value, author: ctx.author })),
    'notes:remove': (q) => ({ removed: removeMark(db, q.target, q.targetId, q.kind, q.value) }),
    'notes:list': (q) => listAnnotations(db, q),
    'views:list': () => listViews(db),
    'views:save': (q) => asInvalidInput(() => saveView(db, q.name, q.state)),
    'views:remove': (q) => ({ removed: removeView(db, q.name) }),
    'evidence:verify': () => verifyEvidence(db),
    'evidence:event': (q) => eventEvidence(q),
    'report:build': (q) => buildReportFile(db, ctx.casePath, q, ctx.printPdf),
  };
}
