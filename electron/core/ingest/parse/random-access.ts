// A file open for reads at any offset (Parquet is read from its footer, then by its columns' places):
// a file on disk where it lies (enumerate-inputs.ts), or a temporary copy of one that arrived as a
// stream (temp-copies.ts).
import { closeSync, read } from 'node:fs';
import { SourceError } from './source-error.ts';
import type { RandomAccessFile } from './types.ts';

/**
 * Reads by range of the open descriptor `fd` of a file of `size` bytes. A failed read is a SourceError
 * naming `path` with `reason(err)`. Closing closes the descriptor once, then runs `closed`.
 */
export function readsByRange(fd: number, size: number, path: string, reason: (err: unknown) => string, closed?: () => Promise<void>): RandomAccessFile {
  let open = true;
  return {
    size,
    read: (position, length) => new Promise((done, fail) => {
      // Not from the shared pool: a range is a column chunk, kept while its pages are decoded.
      const buffer = Buffer.allocUnsafeSlow(length);
      read(fd, buffer, 0, length, position, (err, n) => (err ? fail(new SourceError(reason(err), path, { cause: err })) : done(buffer.subarray(0, n))));
    }),
    close: async () => {
      if (!open) return;
      open = false;
      closeSync(fd);
      await closed?.();
    },
  };
}
