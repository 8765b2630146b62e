// The workbench's timeline calls, answered by the engine (electron/core/analysis/timeline). The
// workbench's filter differs from the engine's in two ways, mapped here: its `to` is exclusive (the
// brush's windows tile), and read-only calls are hidden unless it asks for them.
import type { CaseDb } from '../../db/open-case.ts';
import type { TimelineFilterInput } from '../../../../shared/api/index.ts';
import type { TimelineFilter, TimelineHistogram, TimelinePage, TimelineRow } from '../../../../shared/engine-types.ts';
import { timelinePage as enginePage } from '../../analysis/timeline/timeline-query.ts';
import { timelineHistogram as engineHistogram } from '../../analysis/timeline/timeline-histogram.ts';
import { SortTooWideError, sortedPage, type SortQuestion } from '../../analysis/timeline/timeline-sorted.ts';
import type { SortColumn, SortedTimelinePage } from '../../../../shared/api/timeline-sort.ts';
import { marksFor } from '../../annotations/annotations.ts';
import { QueryError, checkQuery } from '../../analysis/timeline/timeline-query-language.ts';
import { ApiFailure } from '../dispatch.ts';

export { iso } from '../../analysis/prepared.ts';

export function engineFilter(f: TimelineFilterInput): TimelineFilter {
  // A query with a mistake is the user's to fix: said as invalid input, with where it went wrong.
  if (f.query) {
    try {
      checkQuery(f.query);
    } catch (err) {
      if (err instanceof QueryError) throw new ApiFailure('invalid-input', `query: ${err.message}`);
      throw err;
    }
  }
  return {
    from: f.from, before: f.to, actor: f.actor, resource: f.resource, node: f.node, eventName: f.eventName, ip: f.ip, text: f.text, query: f.query,
    errorsOnly: f.errorsOnly, accounts: f.accounts, includeReadOnly: f.includeReadOnly ?? false,
  };
}

export function timelinePage(db: CaseDb, filter: TimelineFilterInput, cursor: string | null | undefined, limit = 200): TimelinePage {
  return withMarks(db, enginePage(db, { ...engineFilter(filter), cursor: cursor ?? null, limit }));
}

export type SortedAsk = { filter: TimelineFilterInput; by: SortColumn; descending?: boolean; offset?: number; limit?: number };

/**
 * timeline:sorted, with the sorted ids of each question kept while the case is unchanged (one sort
 * per question, not one per page): `ids` is that cache, made by the service.
 */
export function timelineSorted(db: CaseDb, q: SortedAsk, ids: (q: SortQuestion) => number[]): SortedTimelinePage {
  try {
    const filter = engineFilter(q.filter);
    return withMarks(db, sortedPage(db, ids({ filter, by: q.by, descending: q.descending ?? false }), q.offset ?? 0, { limit: q.limit ?? 200 }));
  } catch (err) {
    if (err instanceof SortTooWideError) throw new ApiFailure('invalid-input', err.message);
    throw err;
  }
}

/** Each row carries the investigator's marks, so every view that lists events shows them. */
function withMarks<P extends { rows: TimelineRow[] }>(db: CaseDb, page: P): P {
  const marks = marksFor(db, 'event', page.rows.map((r) => r.eventId));
  if (marks.size) page.rows = page.rows.map((r) => (marks.has(r.eventId) ? { ...r, marks: marks.get(r.eventId) } : r));
  return page;
}


export function timelineHistogram(db: CaseDb, filter: TimelineFilterInput, buckets: number): TimelineHistogram {
  return engineHistogram(db, engineFilter(filter), buckets);
}
