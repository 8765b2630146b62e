// The timeline sorted by another column than time (the workbench's column heads, `trailscope timeline
// --sort`). No index walks these orders, so each page sorts all of the filter's matches: offered up to
// SORT_LIMIT of them (counted first, stopping one past the bound) and paged by offset within them.
// Ties fall back to time order, so the answer is the same on every ask.
import type { TimelineFilter } from '../../../../shared/engine-types.ts';
import { SORT_LABELS, SORT_LIMIT, type SortColumn, type SortedTimelinePage } from '../../../../shared/api/timeline-sort.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { pageLimit, readPage, timelineScope } from './timeline-query.ts';

/** A filter too wide to sort by another column: the user's to narrow, said with the bound. */
export class SortTooWideError extends Error {}

// What each column sorts on. The actor is the resolved person as the row shows it, else the ARN.
const ORDER_OF: Record<SortColumn, string> = {
  eventName: 'e.event_name COLLATE NOCASE',
  actor: `coalesce((SELECT o.label FROM event_actors sa JOIN origins o ON o.id = sa.origin WHERE sa.event = e.id), e.identity_arn) COLLATE NOCASE`,
  sourceIPAddress: 'e.source_ip',
  userAgent: 'e.user_agent COLLATE NOCASE',
  errorCode: 'e.error_code COLLATE NOCASE',
};

export function timelineSortedPage(db: CaseDb, filter: TimelineFilter, by: SortColumn, descending: boolean, offset: number, maxMatches = SORT_LIMIT): SortedTimelinePage {
  const scope = timelineScope(db, filter);
  if (!scope) return { rows: [], total: 0, offset, nextOffset: null };
  const { from, where, args, t, idCol } = scope;
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM ${from} ${whereSql} LIMIT ${maxMatches + 1})`).pluck().get(...args) as number;
  if (total > maxMatches) {
    throw new SortTooWideError(`sorting by ${SORT_LABELS[by]} sorts every matching event, at most ${maxMatches.toLocaleString('en-US')}; more match: narrow the filter (a time window, an actor, a query) or sort by time`);
  }
  // Empty values last whichever the direction: a column of mostly blanks should not open on blanks.
  const dir = descending ? 'DESC' : 'ASC';
  const orderBy = `${ORDER_OF[by].replace(/ COLLATE NOCASE$/, '')} IS NULL, ${ORDER_OF[by]} ${dir}, ${t} ${dir}, ${idCol} ${dir}`;
  const { rows, more } = readPage(db, scope, orderBy, pageLimit(filter.limit), offset, filter);
  return { rows: rows.map((r) => r.row), total, offset, nextOffset: more ? offset + rows.length : null };
}
