// The timeline sorted by another column than time (the workbench's column heads, `trailscope timeline
// --sort`). No index walks these orders, so the filter's matches are sorted as a whole: offered up to
// SORT_LIMIT of them (counted first). The sorted ids are one narrow query
// (ids only, kept by the service while the case is unchanged); a page is then its slice of ids read
// as timeline rows. Ties fall back to the timeline's order (timeOrder), so the answer is the same on every
// ask and for every ingest of the same evidence.
import type { TimelineFilter } from '../../../../shared/engine-types.ts';
import { SORT_LABELS, SORT_LIMIT, type SortColumn, type SortedTimelinePage } from '../../../../shared/api/timeline-sort.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { pageLimit, readPage, timelineScope } from './timeline-query.ts';
import { timeOrder } from '../event-order.ts';
import { originLabelSql } from '../attribution/origin-label.ts';

/** A filter too wide to sort by another column: the user's to narrow, said with the bound. */
export class SortTooWideError extends Error {}

// What each column sorts on. The actor is the resolved person as the row shows it, else the ARN.
const KEY_OF: Record<SortColumn, string> = {
  eventName: 'e.event_name',
  actor: `coalesce((SELECT ${originLabelSql('o')} FROM event_actors sa JOIN origins o ON o.id = sa.origin WHERE sa.event = e.id), e.identity_arn)`,
  sourceIPAddress: 'e.source_ip',
  userAgent: 'e.user_agent',
  errorCode: 'e.error_code',
};

export type SortQuestion = { filter: TimelineFilter; by: SortColumn; descending: boolean };

/** The ids of the filter's matches in the asked order; a SortTooWideError past `maxMatches`. */
export function sortedEventIds(db: CaseDb, q: SortQuestion, maxMatches = SORT_LIMIT): number[] {
  const scope = timelineScope(db, { ...q.filter, cursor: null }, 'every match');
  if (!scope) return [];
  const { from, where, args, t, idCol } = scope;
  const dir = q.descending ? 'DESC' : 'ASC';
  const key = KEY_OF[q.by];
  // Blanks last whichever the direction: a column of mostly blanks should not open on blanks.
  // Addresses sort as text, the rest without regard to case.
  const order = `${key} IS NULL, ${key}${q.by === 'sourceIPAddress' ? '' : ' COLLATE NOCASE'} ${dir}, ${timeOrder(t, idCol, dir)}`;
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // Counted before sorting, stopping one past the bound: a filter too wide is refused at the cost of
  // reading the bound's worth of rows, not of sorting a million.
  const matches = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM ${from} ${whereSql} LIMIT ${maxMatches + 1})`).pluck().get(...args) as number;
  if (matches > maxMatches) {
    throw new SortTooWideError(`sorting by ${SORT_LABELS[q.by]} sorts every matching event, at most ${maxMatches.toLocaleString('en-US')}; more match: narrow the filter (a time window, an actor, a query) or sort by time`);
  }
  return stmt(db, `SELECT e.id FROM ${from} ${whereSql} ORDER BY ${order}`).pluck().all(...args) as number[];
}

/** One page of sorted ids as timeline rows, from `offset` (cut at the page's character budget like any page). */
export function sortedPage(db: CaseDb, ids: number[], offset: number, filter: Pick<TimelineFilter, 'limit' | 'fieldChars' | 'maxChars'>): SortedTimelinePage {
  const slice = ids.slice(offset, offset + pageLimit(filter.limit));
  if (!slice.length) return { rows: [], total: ids.length, offset, nextOffset: null };
  const scope = { from: 'json_each(?) j JOIN events e ON e.id = j.value', where: [], args: [JSON.stringify(slice)], t: 'e.event_time', idCol: 'e.id' };
  const { rows } = readPage(db, scope, 'j.key', slice.length, 0, filter);
  const next = offset + rows.length;
  return { rows: rows.map((r) => r.row), total: ids.length, offset, nextOffset: next < ids.length ? next : null };
}

/** Both steps at once, for one-off asks (the service keeps the ids between pages instead). */
export function timelineSortedPage(db: CaseDb, q: SortQuestion, offset: number, maxMatches = SORT_LIMIT): SortedTimelinePage {
  return sortedPage(db, sortedEventIds(db, q, maxMatches), offset, q.filter);
}
