// Messages between the reader worker (reads, parses, normalizes, compresses) and the writer thread.
import type { PostedEventBatch } from './event-batch-codec.ts';
import type { SourceEvidence } from './source-evidence.ts';
import type { ConfigSnapshot, DetectorFindingRow, RecordRejection, SourceKind } from './types.ts';
import type { FlowBlock } from '../db/flow-block.ts';

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
  /** This worker reads inputs index, index + of, index + 2·of…, after skipping the first `skip` of them. */
  share: { index: number; of: number; skip: number };
};

export type FromReader =
  | { t: 'listed'; files: number; bytes: number } // this worker's share of the inputs
  | { t: 'input'; path: string; size: number; sha256: string | null; error: string | null; known: boolean | null }
  | { t: 'opened'; kind: SourceKind }
  | { t: 'open-failed'; reason: string }
  | { t: 'events'; batch: PostedEventBatch; bytesRead: number } // decoded by postedBatch
  | { t: 'flows'; block: FlowBlock; rejected: RecordRejection[]; bytesRead: number } // built in the reader: flow-block.ts
  | { t: 'config'; snapshot: ConfigSnapshot; bytesRead: number }
  | { t: 'findings'; rows: DetectorFindingRow[]; rejected: RecordRejection[]; readAs: string[]; bytesRead: number }
  | { t: 'source-failed'; reason: string; bytesRead: number }
  // evidence: for CloudTrail log and digest files, what `trailscope verify` needs (source-evidence.ts);
  // sent with the end, not apart: a message costs both threads tens of µs, much of a small file.
  | { t: 'source-end'; bytesRead: number; evidence: SourceEvidence | null }
  | { t: 'finished' }
  // Made by the pool, not sent by a worker: the worker died (out of memory on a hostile input, say).
  | { t: 'crashed'; reason: string };

export type ToReader =
  | { t: 'decision'; read: boolean }
  | { t: 'ack' }
  | { t: 'stop' };

/** How many batches the worker may have in flight before it waits for the writer. */
export const BATCHES_IN_FLIGHT = 2;

/** Events and flow rows are sent in groups this large: bigger transactions amortise index page writes. */
export const EVENTS_PER_MESSAGE = 5_000;
export const FLOWS_PER_MESSAGE = 20_000;
/** A configuration snapshot is sent in parts of at most this many rows of each kind. */
export const CONFIG_ROWS_PER_MESSAGE = 5_000;
