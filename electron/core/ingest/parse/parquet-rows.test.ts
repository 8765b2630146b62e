// Parquet read a window of rows at a time gives, row for row, what hyparquet's own reading of every row
// group whole gives, whatever the window: in files written by DuckDB (a page per column chunk) and paged
// again by Apache Arrow's writer (pages of a few KB, format versions 1 and 2, a list's values over many
// pages, dictionaries), with structs, lists of structs, maps, nulls, times and 64-bit integers. And the
// bounds: the per-file limit, the values a row group may hold decoded at once, damaged pages.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, type Compressors } from 'hyparquet';
import { repagedParquet, writeParquet } from '../../../../test-support/parquet-files.ts';
import { jsonValue, parquetWindows, type ParquetWindow } from './parquet-rows.ts';
import { heldParquet } from './parquet-bytes.ts';
import { SourceError } from './source-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'parquet-rows-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = ['id', 'metadata', 'items', 'tags', 'time', 'note'];
const ROWS = 12_000;

/** A table shaped as OCSF events are: structs in structs, lists of structs, maps, nulls at every level. */
const NESTED = `SELECT i AS id,
    {'uid': 'e-' || i, 'product': {'name': CASE WHEN i % 3 = 0 THEN NULL ELSE 'CloudTrail' END, 'version': 'v' || (i % 4)}, 'sequence': i * 1000000000000} AS metadata,
    CASE WHEN i % 11 = 0 THEN NULL ELSE [ {'name': 'k' || j, 'value': CASE WHEN j = 2 THEN NULL ELSE md5((i * j)::varchar) END} FOR j IN range(i % 6) ] END AS items,
    CASE WHEN i % 7 = 0 THEN NULL ELSE MAP {'team': 'ops-' || (i % 13), 'cost': (i % 5)::varchar} END AS tags,
    make_timestamp(1700000000000000 + i * 1000) AS time,
    CASE WHEN i % 5 = 0 THEN NULL ELSE md5(i::varchar) || repeat('z', i % 40) END AS note
  FROM range(${ROWS}) r(i)`;

const files: { name: string; path: string }[] = [];

/** The codecs hyparquet leaves to its caller, for its own whole reading. */
const ZLIB_CODECS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  ZSTD: (input) => zstdDecompressSync(input),
};

before(async () => {
  const duck = join(dir, 'duckdb.parquet');
  await writeParquet(duck, NESTED, { rowGroupSize: 5_000, codec: 'SNAPPY' });
  files.push({ name: 'DuckDB', path: duck });
  for (const [name, options] of [
    ['Arrow, version 1 pages of 2 KB, gzip', { pageBytes: 2_048, rowGroupSize: 5_000, pageVersion: 1, codec: 'GZIP' }],
    ['Arrow, version 2 pages of 1 KB, zstd, one row group', { pageBytes: 1_024, pageVersion: 2, codec: 'ZSTD' }],
  ] as const) {
    const path = join(dir, `${files.length}.parquet`);
    await repagedParquet(duck, path, options);
    files.push({ name, path });
  }
});

function fileBytes(path: string): ArrayBuffer {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Every window of the file's kept columns, the file held in memory. */
async function windowsOf(file: ArrayBuffer, path: string, limits: Parameters<typeof parquetWindows>[4]): Promise<ParquetWindow[]> {
  const windows: ParquetWindow[] = [];
  for await (const w of parquetWindows(heldParquet(new Uint8Array(file)), parquetMetadata(file), COLUMNS, path, limits)) windows.push(w);
  return windows;
}

/** Every row, its kept columns as JSON would hold them, read window by window. */
async function byWindows(file: ArrayBuffer, windowRows: number): Promise<string[]> {
  const rows: string[] = [];
  let next = 0;
  for (const w of await windowsOf(file, 'test.parquet', { maxBytes: 2 ** 33, windowRows })) {
    assert.equal(w.start, next, 'windows follow one another');
    assert.ok(w.rows <= windowRows && w.columns.every((c) => c.data.length >= c.from + w.rows));
    for (let r = 0; r < w.rows; r++) rows.push(JSON.stringify(w.columns.map((c) => jsonValue(c.data[c.from + r], 0))));
    next += w.rows;
  }
  return rows;
}

describe('Parquet read a window of rows at a time', () => {
  it('gives the rows hyparquet reads whole, in every window size and paging', async () => {
    for (const { name, path } of files) {
      const file = fileBytes(path);
      const metadata = parquetMetadata(file);
      const whole = (await parquetReadObjects({ file, metadata, columns: COLUMNS, compressors: ZLIB_CODECS })).map((o) => JSON.stringify(COLUMNS.map((c) => jsonValue(o[c], 0))));
      assert.equal(whole.length, ROWS, name);
      // The test's point: in Arrow's files a list's values and a text column span several pages (more
      // compressed bytes than a page may hold uncompressed).
      if (name !== 'DuckDB') {
        const spans = metadata.row_groups[0].columns.filter((c) => Number(c.meta_data!.total_compressed_size) > 4 * 2_048).map((c) => c.meta_data!.path_in_schema.join('.'));
        assert.ok(spans.includes('items.list.element.value') && spans.includes('note'), `${name}: ${spans.join(', ')}`);
      }
      for (const windowRows of [1, 7, 4_096, 1_000_000]) assert.deepEqual(await byWindows(file, windowRows), whole, `${name}, windows of ${windowRows}`);
    }
    // What a row holds, read back: structs in a struct, a 64-bit integer past 2^32, a list with a null inside, a map, a time.
    const [id, metadata, items, tags, time] = JSON.parse((await byWindows(fileBytes(files[1].path), 1_000))[5]) as [number, unknown, { name: string; value: string | null }[], unknown, string];
    assert.equal(id, 5);
    assert.deepEqual(metadata, { uid: 'e-5', product: { name: 'CloudTrail', version: 'v1' }, sequence: 5_000_000_000_000 });
    assert.deepEqual(items.map((i) => i.name), ['k0', 'k1', 'k2', 'k3', 'k4']);
    assert.equal(items[2].value, null);
    assert.match(items[3].value!, /^[0-9a-f]{32}$/);
    assert.deepEqual(tags, { team: 'ops-5', cost: '0' });
    assert.equal(time, '2023-11-14T22:13:20.005Z');
  });

  it('stops with the per-file limit named once its pages have decoded to it', async () => {
    await assert.rejects(windowsOf(fileBytes(files[1].path), 'small.parquet', { maxBytes: 50_000 }), (err: Error) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.path, 'small.parquet');
      assert.equal(err.message, 'decompressed size over 48.8 KB (the per-file limit, a byte a value; raise it with --max-bytes)');
      return true;
    });
  });

  it('a row group whose pages would hold too many values at once is refused by name, before any is decoded', async () => {
    // DuckDB writes a column chunk as one page: the eleven leaf columns' pages of a group of about 6,000
    // rows declare over 90,000 values (a list's elements each).
    const limits = { maxBytes: 2 ** 33, windowRows: 1_000, heldValues: 60_000 };
    await assert.rejects(windowsOf(fileBytes(files[0].path), 'one-page.parquet', limits), (err: Error) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.message, 'Apache Parquet row group 1 holds pages of more than 60,000 values to decode at once (a column chunk written as one page): write it again with smaller row groups or pages');
      return true;
    });
    // Arrow's pages of a few KB hold far fewer (a constant column's rows still fit one): the same rows read under the same bound.
    assert.equal((await windowsOf(fileBytes(files[1].path), 'paged.parquet', limits)).reduce((n, w) => n + w.rows, 0), ROWS);
  });

  it('a row group keeping more column bytes than are read at once is refused by name', async () => {
    const file = fileBytes(files[1].path);
    await assert.rejects(windowsOf(file, 'wide.parquet', { maxBytes: 2 ** 33, groupBytes: 10_000 }), /^SourceError: Apache Parquet row group 1 keeps [\d.]+ KB of columns, more than the 9\.8 KB read at once: write it again with smaller row groups$/);
  });

  it('a damaged paged file is read or refused with a reason, never crashes the reader', async () => {
    const good = readFileSync(files[2].path);
    let seed = 45;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 40; i++) {
      const damaged = Buffer.from(good);
      for (let k = 0; k < 4; k++) damaged[Math.floor(random() * (damaged.length - 8))] = Math.floor(random() * 256);
      const file = damaged.buffer.slice(damaged.byteOffset, damaged.byteOffset + damaged.byteLength) as ArrayBuffer;
      try {
        parquetMetadata(file);
      } catch {
        continue; // the footer is hyparquet's to read; parquet-bytes.ts refuses such a file as corrupt
      }
      try {
        for (const w of await windowsOf(file, 'damaged.parquet', { maxBytes: 2 ** 31 })) assert.ok(w.rows > 0);
      } catch (err) {
        assert.ok(err instanceof SourceError, `damaged ${i}: ${String(err)}`);
      }
    }
  });
});
