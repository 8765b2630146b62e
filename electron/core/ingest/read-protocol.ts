// Messages between the reader worker (reads, parses, normalizes, compresses) and the writer thread.
import type { PostedEventBatch } from './event-batch-codec.ts';
import type { SourceEvidence } from './source-evidence.ts';
import type { ConfigSnapshot, DetectorFindingRow, RecordRejection, SourceKind } from './types.ts';
import type { FlowBlock } from '../db/flow-block.ts';
import type { WalkPrint } from './walk-print.ts';

/**
 * casePath: the case file, which the worker opens read-only to skip inputs already stored without
 * asking the writer (a round trip per file would make the two threads take turns instead of
 * overlapping). null for an in-memory case: then the worker asks.
 */
export type WorkerInput = {
  paths: string[];
  casePath: string | null;
  /** Per-input bounds and whether links leaving the given paths are followed (ingest options). */
  limits: { maxBytes: number; followLinks: boolean };
  /**
   * This worker reads the walk's positions index, index + of, index + 2·of… (parse/enumerate-inputs.ts),
   * after skipping the first `skip` inputs they hold (those its predecessors announced; a position holds
   * several when it is an archive found by content). `crashed`: inputs of the share (by position) that killed a
   * predecessor before they were announced: each is announced as unreadable, with the reason, not read again.
   * `count`: walk every input once first and send the totals ('listed'), for the progress; one worker
   * of the pool does it, once.
   */
  share: { index: number; of: number; skip: number; crashed: { position: number; reason: string }[]; count: boolean };
  /** One Int32: the position in its share of the input the worker is reading, for the pool to see when it dies. */
  reading: SharedArrayBuffer;
};

export type FromReader =
  | { t: 'listed'; files: number; bytes: number } // every input of the ingest (share.count)
  | { t: 'input'; path: string; size: number; sha256: string | null; error: string | null; known: boolean | null }
  | { t: 'opened'; kind: SourceKind }
  | { t: 'open-failed'; reason: string }
  | { t: 'events'; batch: PostedEventBatch; bytesRead: number } // decoded by postedBatch
  | { t: 'flows'; block: FlowBlock; rejected: RecordRejection[]; readAs?: string[]; bytesRead: number } // built in the reader: flow-block.ts
  | { t: 'config'; snapshot: ConfigSnapshot; bytesRead: number }
  | { t: 'findings'; rows: DetectorFindingRow[]; rejected: RecordRejection[]; readAs: string[]; bytesRead: number }
  | { t: 'source-failed'; reason: string; bytesRead: number }
  // evidence: for CloudTrail log and digest files, what `trailscope verify` needs (source-evidence.ts);
  // sent with the end, not apart: a message costs both threads tens of µs, much of a small file.
  | { t: 'source-end'; bytesRead: number; evidence: SourceEvidence | null }
  // Small CloudTrail files read whole and clean, announced together at once (no 'input', 'opened' or
  // 'source-end' of their own): their records share one batch, its raw blocks and one acknowledgement.
  | { t: 'files'; files: GroupedFile[]; batch: PostedEventBatch }
  // walk: the print of the worker's whole walk (walk-print.ts); null when it failed before the end.
  | { t: 'finished'; walk: WalkPrint | null }
  // Made by the pool, not sent by a worker: the worker died (out of memory on a hostile input, say).
  | { t: 'crashed'; reason: string };

/** A file of a 'files' message: its first `events` events of the batch are its own, in the order listed. */
export type GroupedFile = { path: string; size: number; sha256: string; events: number; bytesRead: number; evidence: SourceEvidence | null };

export type ToReader =
  | { t: 'decision'; read: boolean }
  | { t: 'ack' }
  | { t: 'stop' };

/** How many batches the worker may have in flight before it waits for the writer. */
export const BATCHES_IN_FLIGHT = 2;

/**
 * Small files are sent together ('files') up to this many records or files: a file of a few records
 * sent alone cost a message, an acknowledgement, a transaction and a raw block of its own (a 4 KB
 * page for 2 KB of records). Only a file of fewer than GROUP_FILE_RECORDS records joins a group: one
 * that fills a block of its own gains little, and holding it cost the typical workload's readers
 * (files of about 170 records) 25–50 MB more at their peak. Raw blocks hold up to 512 records since
 * session 52 (db/raw-events.ts), yet grouping those files up to 512 records left the typical case the
 * same size: a file of 170 records already fills a block well.
 *
 * A group is held as parsed records, which outlive the reader's young generation when it is large: at
 * 1,000 records they were promoted and each reader's heap grew to 150 MB between full collections
 * (25 MB live), 880 MB of RSS for a million events in files of ten records. At 256 the group dies
 * young: 100 MB less at a million, and less CPU (docs/benchmark-history.md, "Memory of many files and of exports").
 */
export const GROUP_RECORDS = 256;
/** A file joins a group only when it holds fewer records than this (the size of a raw block until session 52). */
export const GROUP_FILE_RECORDS = 64;
export const GROUP_FILES = 200;
/** And up to this many bytes of their decoded content, which the group holds until it is sent. */
export const GROUP_BYTES = 4 * 1024 * 1024;

/**
 * Events are sent in groups this large (flow records a block at a time, db/flow-columns-builder.ts FLOW_PART_RECORDS): bigger transactions amortise index page writes.
 * Events are held as parsed records until they are sent: 5,000 of them outlived the reader's young
 * generation (parse/item-batches.ts, CLOUDTRAIL_BATCH), and 1,000 cost the writer nothing measurable.
 */
export const EVENTS_PER_MESSAGE = 1_000;
/** A configuration snapshot is sent in parts of at most this many rows of each kind. */
export const CONFIG_ROWS_PER_MESSAGE = 5_000;
