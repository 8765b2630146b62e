import type { Readable } from 'node:stream';
import type { ReaderBatch, SourceKind } from '../types.ts';

/**
 * One input to read: a file on disk or a member of a zip archive (`archive.zip!/inner/path`).
 * `open()` returns the bytes as stored (possibly gzip); it rejects with a SourceError when the input
 * cannot be read, so a bad path never stops the enumeration of the others.
 */
export type InputFile = {
  path: string;
  /** Stored size in bytes (uncompressed size for zip members); 0 when unknown or unreadable. */
  size: number;
  /** Last modification time (ms), when known: a configuration dump's snapshot time. */
  mtimeMs?: number;
  open(): Promise<Readable>;
  /**
   * The file opened for reads at any offset, where it is a file on disk (not a zip member): Parquet is
   * read from its footer and its columns' places, without holding the file whole.
   */
  openRandom?(): Promise<RandomAccessFile>;
};

/** A file's bytes read by range; its size as opened. */
export type RandomAccessFile = {
  size: number;
  /** `length` bytes from `position` (fewer at the end of the file). */
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
};

/** A recognised input: its kind, and its records in batches (none for digests). */
export type OpenedSource = {
  kind: SourceKind;
  batches: AsyncGenerator<ReaderBatch>;
  /**
   * Frees now the buffer a small gzip input was decoded into (whole-gunzip.ts), rather than at the
   * thread's next full collection. Only for a caller done with every record the source gave: the bytes
   * kept for them (record-source.ts) read as empty afterwards. Without it the collector frees them.
   */
  release?: () => void;
  /**
   * The input's bytes after its one gzip layer, when that layer was decoded whole: what the source's
   * evidence hashes (source-evidence.ts), so the file is not read and decompressed a second time.
   * Freed by release() with the rest.
   */
  content?: Buffer;
};

/** Per-input bounds a user may change (the ingest options, `--max-bytes` on the command line). */
export type ReadLimits = {
  /** Bytes one input may decode to (after every gzip layer; a plain file's own size). */
  maxBytes?: number;
};

/** Generous (CloudTrail delivers files of a few MB; exports rarely reach a GB), yet a 2 MB gzip that
 * decodes to tens of GB of nothing ends here. */
export const DEFAULT_MAX_BYTES = 8 * 1024 ** 3;

/**
 * An input up to this size is read whole when its owner first looks at it (a file, a zip member stored
 * in as many bytes at most, a tar member), and that read serves its open(); a larger one is streamed (a
 * tar's copied to a temporary file). CloudTrail delivers objects of tens of KB to a few MB.
 */
export const WHOLE_READ = 4 * 1024 * 1024;
