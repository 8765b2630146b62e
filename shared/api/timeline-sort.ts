// Sorting the timeline by a column other than time. Time order pages along an index however many
// events match; another order sorts every match for each page, so it is offered up to SORT_LIMIT
// events and the workbench asks for a narrower filter beyond that.
import type { TimelineRow } from '../engine-types.ts';

/** The columns the timeline sorts by besides time, as the workbench's heads and `--sort` name them. */
export const SORT_COLUMNS = ['eventName', 'actor', 'sourceIPAddress', 'userAgent', 'errorCode'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** Matches a sort by another column reads at most. */
export const SORT_LIMIT = 50_000;

export const SORT_LABELS: Record<SortColumn, string> = {
  eventName: 'event', actor: 'actor', sourceIPAddress: 'source IP', userAgent: 'user agent', errorCode: 'error',
};

/** One page of a sorted timeline: `total` matches in all, the next page from `nextOffset` (null: the last). */
export type SortedTimelinePage = { rows: TimelineRow[]; total: number; offset: number; nextOffset: number | null };
