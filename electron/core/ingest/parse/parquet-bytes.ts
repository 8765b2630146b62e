// Where a Parquet file's bytes come from. A file larger than PARQUET_HELD_FILE is read by range: its
// footer, then each row group's kept column chunks, so memory holds one row group's kept columns
// (compressed) rather than the file. A file on disk is read in place; one that arrives as a stream (a
// zip member, a file inside gzip) from a temporary copy (temp-copies.ts). A smaller one is held whole
// and read from memory the same way.
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { formatBytes } from './format-bytes.ts';
import { shortReason, SourceError } from './source-error.ts';
import type { RandomAccessFile } from './types.ts';

/** A file up to this size is held whole (one read), a larger one read by range. */
export const PARQUET_HELD_FILE = 64 * 1024 * 1024;
/** A footer (the file's schema and every column chunk's place) larger than this is refused: writers' are KBs to a few MB. */
const FOOTER_LIMIT = 64 * 1024 * 1024;

/** A Parquet file's bytes by range: views of the held bytes, or reads of the file. */
export type ParquetBytes = {
  byteLength: number;
  view(start: number, length: number): Promise<DataView>;
  close(): Promise<void>;
};

export function heldParquet(bytes: Uint8Array): ParquetBytes {
  return {
    byteLength: bytes.byteLength,
    view: async (start, length) => new DataView(bytes.buffer, bytes.byteOffset + start, length),
    close: async () => {},
  };
}

export function fileParquet(file: RandomAccessFile): ParquetBytes {
  return {
    byteLength: file.size,
    async view(start, length) {
      const read = await file.read(start, length);
      // The file shrank since it was opened: what the footer says is no longer there.
      if (read.length < length) throw new RangeError(`the file ends at byte ${start + read.length}, before the ${length} bytes its footer places at ${start}`);
      return new DataView(read.buffer, read.byteOffset, read.length);
    },
    close: () => file.close(),
  };
}

/** The file's metadata, read from its footer alone. */
export async function parquetFooter(bytes: ParquetBytes, path: string): Promise<FileMetaData> {
  try {
    if (bytes.byteLength < 12) throw new RangeError('too short to hold a footer');
    const tail = await bytes.view(bytes.byteLength - 8, 8);
    const footerLength = tail.getUint32(0, true);
    if (footerLength + 8 > bytes.byteLength) throw new RangeError(`its footer claims ${footerLength} bytes, more than the file holds`);
    if (footerLength > FOOTER_LIMIT) {
      throw new SourceError(`Apache Parquet footer of ${formatBytes(footerLength)}, more than the ${formatBytes(FOOTER_LIMIT)} Trailscope reads`, path);
    }
    const length = footerLength + 8;
    const footer = await bytes.view(bytes.byteLength - length, length);
    // hyparquet reads a footer from the end of what it is given: the footer and its last eight bytes.
    return parquetMetadata(new Uint8Array(footer.buffer, footer.byteOffset, length));
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`corrupt Apache Parquet file: ${shortReason(err)}`, path, { cause: err });
  }
}
