// How many rejected records a source may produce, and how many of their reasons the case keeps.
// A 2 MB gzip of {"Records":[0,0,0,…]} holds a billion records that are all rejected: unbounded, it
// ran for hours and grew the case 1,300-fold with one rejected_records row each.

/**
 * A source stops being read once more than this many records are rejected and they outnumber the
 * usable ones; what was stored before stays and the source is rejected with a reason. A real file
 * with this many bad records is not one Trailscope can read, and a hostile one ends in a second.
 */
export const MAX_REJECTED_RECORDS = 100_000;

/** Reasons stored per source (rejected_records rows); sources.rejected_records counts them all. */
export const KEPT_REJECTIONS = 1_000;
/** Rejected records an answer names of each source read in part (an import's summary, the case's); the rest are counted. */
export const SHOWN_REJECTIONS = 3;
/** The first `?` kept rejections of source `?`, where and why, in the order met. */
export const FIRST_REJECTIONS = 'SELECT position, reason FROM rejected_records WHERE source_id = ? ORDER BY id LIMIT ?';

/** Refused flow lines or messages a reader hands on at a time (the records go a block at a time, db/flow-columns-builder.ts). */
export const FLOW_REJECTED_BATCH = 5000;

/** The reason a source stops, or null while it may go on. */
export function tooManyRejected(rejected: number, usable: number): string | null {
  if (rejected <= MAX_REJECTED_RECORDS || rejected <= usable) return null;
  return `stopped reading: more than ${MAX_REJECTED_RECORDS.toLocaleString('en-US')} records rejected and only ${usable.toLocaleString('en-US')} usable (records stored before stay)`;
}

/**
 * Lines or values that hold nothing (blank lines, comments, CloudWatch control messages, empty log
 * messages) a source may have once they outnumber its records. A 200 KB gzip of newlines decodes to
 * 200 million blank lines, 40 s of CPU each time; real files have a header and a few comments.
 */
export const MAX_EMPTY_UNITS = 1_000_000;

/** The reason a source stops, or null while it may go on. `useful`: lines or values that held something. */
export function tooManyEmpty(empty: number, useful: number): string | null {
  if (empty <= MAX_EMPTY_UNITS || empty <= useful) return null;
  return `stopped reading: more than ${MAX_EMPTY_UNITS.toLocaleString('en-US')} blank lines, comments or empty values and only ${useful.toLocaleString('en-US')} with content`;
}
