// Reading an Apache Parquet file held in memory, within bounds: its row groups one at a time (a
// footer claiming more rows than PARQUET_GROUP_ROWS refused before anything is decoded), only the columns
// asked for, every page's codec told the size the page declares and producing no more, and a group's
// pages together at most PARQUET_GROUP_BYTES: a file of a few KB that claims gigabytes of values stops
// there. Values come as hyparquet decodes them; jsonValue gives them as JSON would hold them.
import { brotliDecompressSync, gunzipSync, zstdDecompressSync } from 'node:zlib';
import { parquetRead, snappyUncompress, type Compressors, type FileMetaData } from 'hyparquet';
import { setOwn } from './exported/own-field.ts';
import { shortReason, SourceError } from './source-error.ts';

/** Rows of one row group decoded at once (writers use 100,000 to a million; AWS far fewer). */
export const PARQUET_GROUP_ROWS = 4_000_000;
/** Bytes the pages of one row group may decompress to, its kept columns together. */
export const PARQUET_GROUP_BYTES = 512 * 1024 * 1024;
/** Row groups this large are decoded a column at a time (readGroup). */
const ONE_COLUMN_AT_A_TIME_ROWS = 16_384;
/** Structs and lists nested deeper are not followed (an OCSF event nests a few levels). */
const MAX_DEPTH = 32;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Each row group's place in the file, refused before it is decoded when it holds more rows than PARQUET_GROUP_ROWS. */
export function* rowGroups(metadata: FileMetaData, path: string): Generator<{ g: number; start: number; rows: number }> {
  let start = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    if (!(rows >= 0 && rows <= PARQUET_GROUP_ROWS)) {
      throw new SourceError(`Apache Parquet row group ${g + 1} holds ${group.num_rows} rows, more than the ${PARQUET_GROUP_ROWS.toLocaleString('en-US')} Trailscope reads at once`, path);
    }
    yield { g, start, rows };
    start += rows;
  }
}

/** One row group's kept columns, each its values in row order (row 0 the group's first). */
export async function readGroup(file: ArrayBuffer, metadata: FileMetaData, columns: string[], start: number, rows: number, path: string, g: number): Promise<ArrayLike<unknown>[]> {
  const byName = new Map<string, ArrayLike<unknown>>();
  const budget = { left: PARQUET_GROUP_BYTES };
  // A large group one column at a time: hyparquet holds each column's pages and levels until it is
  // assembled, and a Security Lake table's 100,000 rows all at once peaked at 2.05 GB (1.15 GB one at a
  // time), a million flow records at 683 MB (578). Small groups all at once: VPC Flow Logs' files of about
  // a thousand records cost 5-13% more CPU read one column at a time.
  const parts = rows >= ONE_COLUMN_AT_A_TIME_ROWS ? columns.map((c) => [c]) : [columns];
  try {
    for (const part of parts) await parquetRead({
      file,
      metadata,
      columns: part,
      rowStart: start,
      rowEnd: start + rows,
      compressors: boundedCompressors(budget),
      onChunk: (chunk) => {
        // A column arrives whole (as used) or in parts, and a part may reach past the rows asked for: each
        // value is placed where its row belongs.
        const data = chunk.columnData;
        if (chunk.rowStart === start && data.length === rows && !byName.has(chunk.columnName)) {
          byName.set(chunk.columnName, compact(data));
          return;
        }
        const into = toArray(byName.get(chunk.columnName), rows);
        byName.set(chunk.columnName, into);
        for (let i = 0; i < data.length; i++) {
          const row = chunk.rowStart + i - start;
          if (row >= 0 && row < rows) into[row] = data[i];
        }
      },
    });
  } catch (err) {
    if (budget.left < 0) throw new SourceError(`Apache Parquet row group ${g + 1} decompresses to more than ${PARQUET_GROUP_BYTES / 1024 ** 2} MB`, path);
    throw new SourceError(`corrupt Apache Parquet file (row group ${g + 1}): ${shortReason(err)}`, path, { cause: err });
  }
  return columns.map((name) => byName.get(name) ?? []);
}

/**
 * A whole column of 64-bit integers (hyparquet's BigInts, an object of 24 bytes each) as doubles, where
 * every value is a safe integer or null (NaN): a million rows' five such flow columns held 120 MB of
 * BigInts until the row group was read. Anything else is kept as it came.
 */
function compact(data: ArrayLike<unknown>): ArrayLike<unknown> {
  if (data.length === 0 || typeof data[0] !== 'bigint') return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === null || v === undefined) out[i] = Number.NaN;
    else if (typeof v === 'bigint' && v >= -MAX_SAFE && v <= MAX_SAFE) out[i] = Number(v);
    else return data;
  }
  return out;
}
/** A column's values so far as an array that can take more (a part received whole is copied once). */
function toArray(held: ArrayLike<unknown> | undefined, rows: number): unknown[] {
  if (held === undefined) return new Array<unknown>(rows);
  if (Array.isArray(held)) return held;
  const copy = new Array<unknown>(rows);
  for (let i = 0; i < held.length && i < rows; i++) copy[i] = held[i];
  return copy;
}

/**
 * The codecs Parquet writers use, each told the size the page declares and refusing to produce more,
 * all of a row group's pages drawing on one budget. LZO and LZ4 (Hadoop's framing) are not read: the
 * error names the codec.
 */
function boundedCompressors(budget: { left: number }): Compressors {
  // Spent, it stops the read; readGroup names the file and the group.
  const take = (outputLength: number) => {
    budget.left -= outputLength;
    if (budget.left < 0) throw new RangeError('decompression budget spent');
  };
  return {
    SNAPPY: (input, outputLength) => {
      take(outputLength);
      const output = new Uint8Array(outputLength);
      snappyUncompress(input, output);
      return output;
    },
    GZIP: (input, outputLength) => {
      take(outputLength);
      return gunzipSync(input, { maxOutputLength: Math.max(1, outputLength) });
    },
    BROTLI: (input, outputLength) => {
      take(outputLength);
      return brotliDecompressSync(input, { maxOutputLength: Math.max(1, outputLength) });
    },
    ZSTD: (input, outputLength) => {
      take(outputLength);
      return zstdDecompressSync(input, { maxOutputLength: Math.max(1, outputLength) });
    },
  };
}

/** A 64-bit integer as a number while it is exact, else as its digits (which no number check takes). */
export function bigintValue(v: bigint): number | string {
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : `${v}`;
}

/**
 * A decoded Parquet value as JSON would hold it: 64-bit integers as numbers (as text past 2^53), times
 * as ISO text, maps and structs as objects whose names are data (own properties), bytes dropped.
 */
export function jsonValue(v: unknown, depth: number): unknown {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v; // NaN: a null of a compacted column
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return v ?? null;
  if (typeof v === 'bigint') return bigintValue(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (depth >= MAX_DEPTH || ArrayBuffer.isView(v)) return null;
  if (Array.isArray(v)) return v.map((x) => jsonValue(x, depth + 1));
  const out: Record<string, unknown> = {};
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
  for (const [k, x] of entries) setOwn(out, String(k), jsonValue(x, depth + 1));
  return out;
}
