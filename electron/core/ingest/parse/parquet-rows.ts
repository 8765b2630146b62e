// Reading an Apache Parquet file, a row group's kept column chunks at a time (parquet-bytes.ts: views of
// a file held in memory, or reads of a large file on disk) and a window of rows at a time. Each kept
// column's pages are decoded only as far as the window needs them, so where pages are small (Arrow,
// Spark, Athena and AWS write pages of about 1 MB) memory follows a page and the window, not the row
// group: four million flow records in one row group peaked at 386 MB, against 1.37 GB decoded a row group
// at a time (docs/benchmarks.md, "Large row groups"). Every page is checked before it is decoded: its
// bytes within its column's, its declared size and count of values within PARQUET_PAGE_BYTES and
// PARQUET_PAGE_VALUES, its codec told that size and producing no more; a file's pages together
// decompress and decode to at most the per-file limit (maxBytes, counting a byte a value), so a file of a
// few KB that claims billions of values stops there; and a row group's columns hold at most
// PARQUET_HELD_VALUES decoded at once, which only a column chunk written as one page (DuckDB's) nears.
// Values come as hyparquet decodes them (its page and assembly functions); jsonValue gives them as
// JSON would hold them.
import { brotliDecompressSync, gunzipSync, zstdDecompressSync } from 'node:zlib';
import { parquetSchema, snappyUncompress, type ColumnChunk, type Compressors, type FileMetaData, type SchemaTree } from 'hyparquet';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { assembleNested } from 'hyparquet/src/assemble.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getMaxRepetitionLevel, getTreePath } from 'hyparquet/src/schema.js';
import type { ColumnDecoder, DataReader } from 'hyparquet/src/types.js';
import { formatBytes } from './format-bytes.ts';
import type { ParquetBytes } from './parquet-bytes.ts';
import { setOwn } from './exported/own-field.ts';
import { shortReason, SourceError } from './source-error.ts';

/** Rows decoded into a window (flow columns are read back as records window by window). */
export const PARQUET_WINDOW_ROWS = 8_192;
/** Bytes one page may decompress to (writers make pages of about 1 MB, dictionaries of a few). */
export const PARQUET_PAGE_BYTES = 128 * 1024 * 1024;
/** Bytes of a row group's kept column chunks read at once (Spark and Athena write row groups of about 128 MB). */
export const PARQUET_GROUP_READ = 1024 * 1024 * 1024;
/** Values one page may declare (writers put at most tens of thousands in a page). */
export const PARQUET_PAGE_VALUES = 16_000_000;
/**
 * Values a row group's columns may hold decoded at once (about 8 bytes each, and a string's own). Only a
 * writer that puts a whole column chunk in one page comes near it: DuckDB does, and four million flow
 * records of 29 columns (116 million values) peaked at 1.9 GB, near a reader's 2 GB heap.
 */
export const PARQUET_HELD_VALUES = 120_000_000;
/** Structs and lists nested deeper are not followed (an OCSF event nests a few levels). */
const MAX_DEPTH = 32;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A window of rows: `start` the file's row of its first (0-based), and each kept column's values, row by row. */
export type ParquetWindow = { start: number; rows: number; columns: ColumnWindow[] };
/** A column's rows of a window: row r is `data[from + r]` (a decoded page's rows are handed on, not copied). */
export type ColumnWindow = { data: ArrayLike<unknown>; from: number };

/**
 * The kept top-level columns of every row group, a window of at most `windowRows` rows at a time, in
 * file order: each group's kept column chunks are read (views of held bytes, or reads of the file), then
 * decoded page by page. A damaged page or footer stops the reading with a SourceError naming the row
 * group; the windows yielded before it stand.
 */
export async function* parquetWindows(bytes: ParquetBytes, metadata: FileMetaData, columns: string[], path: string,
  limits: { maxBytes: number; windowRows?: number; heldValues?: number; groupBytes?: number }): AsyncGenerator<ParquetWindow> {
  const windowRows = limits.windowRows ?? PARQUET_WINDOW_ROWS;
  let tree: SchemaTree;
  try {
    tree = parquetSchema(metadata);
  } catch (err) {
    throw new SourceError(`corrupt Apache Parquet file: ${shortReason(err)}`, path, { cause: err });
  }
  // The first top-level column of each name, found once (a footer may name many).
  const tops = new Map<string, SchemaTree>();
  for (const c of tree.children) if (!tops.has(c.element.name)) tops.set(c.element.name, c);
  const budget = { left: limits.maxBytes, maxBytes: limits.maxBytes };
  const compressors = boundedCompressors(budget);
  let groupStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    const where = `row group ${g + 1}`;
    try {
      if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`${where} claims ${group.num_rows} rows`);
      if (rows === 0) continue;
      const held: Held = { values: 0, limit: limits.heldValues ?? PARQUET_HELD_VALUES, path, group: g + 1 };
      const chunks = await keptChunks(bytes, group.columns, columns, held, limits.groupBytes ?? PARQUET_GROUP_READ);
      const kept = columns.map((name) => keptColumn(tops.get(name), name, chunks.get(name)!.map(({ chunk, view }) => new LeafPages(view, tree, chunk, compressors, budget, held)), held));
      // Columns written as one page each are held whole at once: refused before any is decoded.
      if (kept.reduce((sum, c) => sum + c.firstPageValues(), 0) > held.limit) throw heldTooMany(held);
      for (let done = 0; done < rows;) {
        const n = Math.min(windowRows, rows - done);
        yield { start: groupStart + done, rows: n, columns: kept.map((c) => c.take(n, done)) };
        done += n;
      }
    } catch (err) {
      if (err instanceof SourceError) throw err;
      if (budget.left < 0) {
        throw new SourceError(`decompressed size over ${formatBytes(budget.maxBytes)} (the per-file limit, a byte a value; raise it with --max-bytes)`, path);
      }
      throw new SourceError(`corrupt Apache Parquet file (${where}): ${shortReason(err)}`, path, { cause: err });
    }
    groupStart += rows;
  }
}

/**
 * The bytes of a row group's column chunks under each kept top-level column, read together: at most
 * `limit` bytes (compressed) at once, else the group is refused by name.
 */
async function keptChunks(bytes: ParquetBytes, chunks: ColumnChunk[], columns: string[], held: Held, limit: number): Promise<Map<string, { chunk: ColumnChunk; view: DataView }[]>> {
  // One pass over the chunks, by their top-level column: a hostile footer may name a million of each.
  const byName = new Map<string, { chunk: ColumnChunk; view: DataView }[]>(columns.map((name) => [name, []]));
  const places: { chunk: ColumnChunk; start: number; length: number }[] = [];
  let total = 0;
  for (const chunk of chunks) {
    const meta = chunk.meta_data;
    if (meta === undefined || !byName.has(meta.path_in_schema[0])) continue;
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const length = Number(meta.total_compressed_size);
    if (!(start >= 0 && length >= 0 && start + length <= bytes.byteLength)) throw new RangeError(`column ${meta.path_in_schema.join('.')} lies outside the file`);
    places.push({ chunk, start, length });
    total += length;
  }
  if (total > limit) {
    throw new SourceError(`Apache Parquet row group ${held.group} keeps ${formatBytes(total)} of columns, more than the ${formatBytes(limit)} read at once: write it again with smaller row groups`, held.path);
  }
  for (const p of places) byName.get(p.chunk.meta_data!.path_in_schema[0])!.push({ chunk: p.chunk, view: await bytes.view(p.start, p.length) });
  return byName;
}

type Budget = { left: number; maxBytes: number };
/** The values a row group's columns hold decoded and not yet taken, of the file at `path`. */
type Held = { values: number; limit: number; path: string; group: number };

function heldTooMany(held: Held): SourceError {
  return new SourceError(`Apache Parquet row group ${held.group} holds pages of more than ${held.limit.toLocaleString('en-US')} values to decode at once (a column chunk written as one page): write it again with smaller row groups or pages`, held.path);
}

/** A kept top-level column of one row group: its leaves' pages, and how to take a window's rows of it. */
function keptColumn(top: SchemaTree | undefined, name: string, leaves: LeafPages[], held: Held) {
  if (top === undefined) throw new RangeError(`no column ${name}`);
  if (leaves.length === 0) throw new RangeError(`no data for column ${name}`);
  if (top.children.length === 0) return leaves[0];
  const firstPageValues = () => leaves.reduce((sum, l) => sum + l.firstPageValues(), 0);
  // A struct, list or map is put together from its leaves' rows as hyparquet puts a row group's, as
  // soon as every leaf has decoded them: hyparquet holds a leaf's rows in containers for each optional
  // level (Security Lake's metadata struct, 100,000 rows in one page: 320 MB as leaves, 76 MB put together).
  let rows: unknown[] = [];
  let head = 0;
  return {
    firstPageValues,
    take(n: number, at: number): ColumnWindow {
      const left = rows.length - head;
      if (left < n) {
        for (const l of leaves) l.fill(n - left, at + left);
        const m = leaves.reduce((least, l) => Math.min(least, l.ready), Infinity);
        const parts = new Map(leaves.map((l) => [l.key, l.rows(m, at + left)]));
        assembleNested(parts as Map<string, never>, top, DEFAULT_PARSERS);
        const fresh = parts.get(name) as unknown[];
        rows = left === 0 ? fresh : [...rows.slice(head), ...fresh];
        head = 0;
        held.values += m;
      }
      const window = { data: rows, from: head };
      head += n;
      held.values -= n;
      // Rows nearly all taken are let go, as a leaf's pages are (LeafPages.advance).
      if (rows.length - head < rows.length >> 3) {
        rows = rows.slice(head);
        head = 0;
      }
      return window;
    },
  };
}

/**
 * One leaf column's pages in a row group, decoded a page at a time as windows need its rows. A repeated
 * column's last row is held back until the next page shows whether it continues there.
 */
class LeafPages {
  readonly key: string;
  private readonly reader: DataReader;
  private readonly decoder: ColumnDecoder;
  private readonly repeated: boolean;
  private dictionary: ReturnType<typeof convert> | undefined;
  /** Decoded rows not yet taken: whole pages' rows, the first from `head`. */
  private parts: ArrayLike<unknown>[] = [];
  private head = 0;
  private readyRows = 0;
  /** The last row of a repeated column, which the next page may continue. */
  private tail: unknown[] | undefined;
  private ended = false;

  constructor(view: DataView, tree: SchemaTree, chunk: ColumnChunk, compressors: Compressors, private readonly budget: Budget, private readonly held: Held) {
    const meta = chunk.meta_data!;
    const schemaPath = getTreePath(tree, meta.path_in_schema);
    this.key = meta.path_in_schema.join('.');
    this.reader = { view, offset: 0 };
    this.decoder = { ...meta, pathInSchema: meta.path_in_schema, element: schemaPath[schemaPath.length - 1].element, schemaPath, parsers: DEFAULT_PARSERS, compressors };
    this.repeated = getMaxRepetitionLevel(schemaPath) > 0;
  }

  /** The values the first data page declares (past a dictionary page), read from the headers alone. */
  firstPageValues(): number {
    const peek = { view: this.reader.view, offset: this.reader.offset };
    for (let pages = 0; pages < 2 && peek.offset < peek.view.byteLength; pages++) {
      const header = parquetHeader(peek);
      if (header.type !== 'DICTIONARY_PAGE') return header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? 0;
      peek.offset += header.compressed_page_size;
    }
    return 0;
  }

  /** Rows decoded and not yet taken. */
  get ready(): number {
    return this.readyRows;
  }

  /** Decodes pages until `n` rows are ready (the window at row `at` of the group needs them). */
  fill(n: number, at: number): void {
    while (this.readyRows < n && !this.ended) this.nextPage();
    if (this.readyRows < n) throw new RangeError(`column ${this.key} ends at row ${at + this.readyRows} of its row group`);
  }

  /** The next `n` rows (the window at row `at` of the group), where they lie in one page that page itself. */
  take(n: number, at: number): ColumnWindow {
    this.fill(n, at);
    const first = this.parts[0];
    if (first.length - this.head >= n) {
      const window = { data: first, from: this.head };
      this.advance(n);
      return window;
    }
    return { data: this.rows(n, at), from: 0 };
  }

  /** The next `n` rows copied into an array of their own, 64-bit integers as numbers while exact. */
  rows(n: number, at: number): unknown[] {
    this.fill(n, at);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n;) {
      const part = this.parts[0];
      const m = Math.min(n - i, part.length - this.head);
      // A page's array has its BigInts made numbers as it was decoded (plainNumbers); a typed array's are read as BigInts.
      if (part instanceof BigInt64Array || part instanceof BigUint64Array) for (let k = 0; k < m; k++) out[i + k] = plain(part[this.head + k]);
      else for (let k = 0; k < m; k++) out[i + k] = part[this.head + k];
      i += m;
      this.advance(m);
    }
    return out;
  }

  /**
   * Past the first `m` rows of the first page held. A page nearly all taken is replaced by the rest of
   * it: a row group whose column chunk is one page would otherwise keep the whole page for its last rows.
   */
  private advance(m: number): void {
    const part = this.parts[0];
    this.head += m;
    this.readyRows -= m;
    this.held.values -= m;
    if (this.head === part.length) {
      this.parts.shift();
      this.head = 0;
    } else if (part.length - this.head < part.length >> 3) {
      this.parts[0] = (part as unknown[]).slice(this.head);
      this.head = 0;
    }
  }

  private nextPage(): void {
    const view = this.reader.view;
    if (this.reader.offset >= view.byteLength) {
      this.add(this.tail ?? []);
      this.tail = undefined;
      this.ended = true;
      return;
    }
    const header = parquetHeader(this.reader);
    const values = header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? header.dictionary_page_header?.num_values ?? 0;
    if (!(header.compressed_page_size >= 0 && this.reader.offset + header.compressed_page_size <= view.byteLength)) {
      throw new RangeError(`a page of column ${this.key} reaches past its column`);
    }
    if (!(header.uncompressed_page_size >= 0 && values >= 0)) throw new RangeError(`a page of column ${this.key} declares no size or count`);
    if (header.uncompressed_page_size > PARQUET_PAGE_BYTES) this.refuse(`declares ${header.uncompressed_page_size} bytes, more than the ${PARQUET_PAGE_BYTES / 1024 ** 2} MB a page may hold`);
    if (values > PARQUET_PAGE_VALUES) this.refuse(`declares ${values} values, more than the ${PARQUET_PAGE_VALUES.toLocaleString('en-US')} a page may hold`);
    if (this.held.values + values > this.held.limit) throw heldTooMany(this.held);
    // A byte a decoded value: run-length encoding gives millions of values for a few bytes.
    this.budget.left -= values;
    if (this.budget.left < 0) throw new RangeError('decompression budget spent');
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(this.reader, header, this.decoder, undefined, undefined, 0);
      if (data) this.dictionary = convert(data, this.decoder);
      return;
    }
    const { data } = readPage(this.reader, header, this.decoder, this.dictionary, this.tail, 0);
    if (!data) return;
    if (!this.repeated) {
      this.add(Array.isArray(data) ? plainNumbers(data) : data);
      return;
    }
    // The rows this page completed (the held row among them when the page started another), and its last.
    const rows = data as unknown[];
    if (rows.length === 0) return;
    this.add(rows.slice(0, -1));
    this.tail = [rows[rows.length - 1]];
  }

  /** A page past a bound this reader keeps: the file is refused by name, not called corrupt. */
  private refuse(why: string): never {
    throw new SourceError(`Apache Parquet row group ${this.held.group}: a page of column ${this.key} ${why}: write it again with smaller pages`, this.held.path);
  }

  private add(rows: ArrayLike<unknown>): void {
    if (rows.length === 0) return;
    this.parts.push(rows);
    this.readyRows += rows.length;
    this.held.values += rows.length;
  }
}

/** A decoded value as kept in a window: 64-bit integers as numbers while exact (a BigInt is an object of its own). */
function plain(v: unknown): unknown {
  return typeof v === 'bigint' && v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/**
 * A page's values with its 64-bit integers as numbers, in place: an optional INT64 column comes as an
 * array of BigInts (32 bytes each), and a page of a whole column chunk (DuckDB writes them) holds millions.
 */
function plainNumbers(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) if (typeof values[i] === 'bigint') values[i] = plain(values[i]);
  return values;
}

/**
 * The codecs Parquet writers use, each told the size the page declares and refusing to produce more,
 * all of a file's pages drawing on one budget. LZO and LZ4 (Hadoop's framing) are not read: the
 * error names the codec.
 */
function boundedCompressors(budget: Budget): Compressors {
  // Spent, it stops the read; parquetWindows names the file and the limit.
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
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v ?? null;
  if (typeof v === 'bigint') return bigintValue(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (depth >= MAX_DEPTH || ArrayBuffer.isView(v)) return null;
  if (Array.isArray(v)) return v.map((x) => jsonValue(x, depth + 1));
  const out: Record<string, unknown> = {};
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
  for (const [k, x] of entries) setOwn(out, String(k), jsonValue(x, depth + 1));
  return out;
}
