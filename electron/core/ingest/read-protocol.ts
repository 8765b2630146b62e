// Messages between the reader worker (reads, parses, normalizes, compresses) and the writer thread.
import type { PreparedEventBatch } from './prepare-batch.ts';
import type { ConfigSnapshot, FlowRow, RecordRejection, SourceKind } from './types.ts';

export type WorkerInput = { paths: string[] };

export type FromReader =
  | { t: 'listed'; files: number; bytes: number }
  | { t: 'input'; path: string; size: number; sha256: string | null; error: string | null }
  | { t: 'opened'; kind: SourceKind }
  | { t: 'open-failed'; reason: string }
  | { t: 'events'; batch: PreparedEventBatch; bytesRead: number }
  | { t: 'flows'; rows: FlowRow[]; rejected: RecordRejection[]; bytesRead: number }
  | { t: 'config'; snapshot: ConfigSnapshot; bytesRead: number }
  | { t: 'source-failed'; reason: string; bytesRead: number }
  | { t: 'source-end'; bytesRead: number }
  | { t: 'finished' };

export type ToReader =
  | { t: 'decision'; read: boolean }
  | { t: 'ack' }
  | { t: 'stop' };

/** Events and flow rows are sent in groups this large: bigger transactions amortise index page writes. */
export const EVENTS_PER_MESSAGE = 10_000;
export const FLOWS_PER_MESSAGE = 20_000;
