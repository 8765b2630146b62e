// Flow logs delivered or exported as Apache Parquet, written by DuckDB (not by Trailscope): the same
// records as their text, in every codec and layout writers use; bad rows rejected by row, and files that
// are not flow logs, or not Parquet at all, refused by name.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import { generatedWithCases } from '../../../../test-support/generated-cases.ts';
import { flowTextAsAwsParquet, repagedParquet, writeParquet } from '../../../../test-support/parquet-files.ts';
import { readInput, refusalOf } from '../../../../test-support/read-input.ts';
import { flowRecordsAsText } from '../../../../test-support/temp-case.ts';
import { ingestPaths } from '../pipeline.ts';
import { prepareFindings } from '../prepare-batch.ts';
import type { ReaderBatch, RecordRejection } from '../types.ts';
import { enumerateInputs, openSource, type InputFile } from './index.ts';
import { PARQUET_HELD_FILE } from './parquet-bytes.ts';

const { gen, cases } = generatedWithCases('parquet', 'text', 'parquet-codecs', 'athena');

/** The findings a file holds, normalized as an ingest stores them. */
async function readFindings(path: string) {
  const { kind, batches } = await readInput(path);
  const found = batches.flatMap((b) => (b.type === 'findings' ? b.findings : []));
  return { kind, ...prepareFindings(found, batches.flatMap((b) => (b.type === 'findings' ? b.rejected : []))) };
}

/** The one input a path names. */
async function inputOf(path: string): Promise<InputFile> {
  for await (const input of enumerateInputs([path])) return input;
  throw new Error(`no input at ${path}`);
}

/** What reading `path` gives: its records' count and every rejection. */
async function read(path: string): Promise<{ kind: string; records: number; rejected: RecordRejection[] }> {
  const { kind, batches } = await readInput(path);
  let records = 0;
  const rejected: RecordRejection[] = [];
  for (const b of batches) {
    assert.equal(b.type, 'flows');
    if (b.type !== 'flows') continue;
    records += b.records.length;
    rejected.push(...b.rejected);
  }
  return { kind, records, rejected };
}

describe('flow logs as Parquet', () => {
  let flowFiles: string[] = [];
  let header = '';
  let fromText: string[] = [];

  before(async () => {
    await generateAccount({ events: 100, flows: 3_000, out: join(gen, 'account'), seed: 44 });
    flowFiles = filesUnder(join(gen, 'account')).filter((f) => f.includes('vpcflowlogs'));
    header = execFileSync('gzip', ['-dc', flowFiles[0]]).toString().split('\n')[0];
    await ingestPaths(cases[0].db, flowFiles);
    fromText = flowRecordsAsText(cases[0].db);
  });

  it('as AWS delivers them (gzip pages) and in every other codec, row-group size and paging: the same records as the text', async () => {
    assert.equal(fromText.length, 3_000);
    const layouts = [
      { name: 'gzip.parquet', codec: 'GZIP' },
      { name: 'snappy.parquet', codec: 'SNAPPY', rowGroupSize: 1_000 },
      { name: 'zstd.parquet', codec: 'ZSTD', rowGroupSize: 2_048 },
      { name: 'brotli.parquet', codec: 'BROTLI' },
      { name: 'plain.parquet', codec: 'UNCOMPRESSED', rowGroupSize: 500 },
    ];
    const paths = layouts.map((l) => join(gen, l.name));
    await writeParquet(paths[0], flowTextAsAwsParquet(flowFiles, header), layouts[0]);
    for (const [i, l] of layouts.entries()) if (i > 0) await writeParquet(paths[i], `SELECT * FROM read_parquet('${paths[0]}')`, l);
    // As Apache Arrow's writer (and Spark's, and AWS's) pages them: many pages to a column chunk.
    paths.push(join(gen, 'arrow-paged.parquet'));
    await repagedParquet(paths[0], paths[paths.length - 1], { pageBytes: 1_024, rowGroupSize: 1_000, pageVersion: 1, codec: 'GZIP' });
    for (const path of paths) {
      const { kind, records, rejected } = await read(path);
      assert.deepEqual([kind, records, rejected], ['flowlog', 3_000, []], path);
    }
    const ingested = await ingestPaths(cases[1].db, paths);
    assert.deepEqual(ingested.sources.map((s) => s.status), paths.map(() => 'done'));
    assert.equal(ingested.flows, 3_000, 'the same records in six files are stored once');
    assert.deepEqual(flowRecordsAsText(cases[1].db), fromText);
  });

  it('as an Athena or Spark table writes them: columns in any order, times typed as timestamps, partition and nested columns beside them', async () => {
    const path = join(gen, 'athena.parquet');
    const text = `SELECT * FROM read_parquet('${join(gen, 'gzip.parquet')}')`;
    await writeParquet(
      path,
      `SELECT '2025' AS year, {'note': 'not a field'} AS extra, * REPLACE (to_timestamp("start") AS "start", to_timestamp("end") AS "end") FROM (${text}) ORDER BY dstaddr`,
      { codec: 'SNAPPY' },
    );
    const ingested = await ingestPaths(cases[2].db, [path]);
    assert.deepEqual(ingested.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.deepEqual(flowRecordsAsText(cases[2].db), fromText);
  });

  it('a row that cannot be a flow record is rejected by its row; the rest are read', async () => {
    const path = join(gen, 'bad-rows.parquet');
    await writeParquet(
      path,
      `SELECT * FROM (VALUES
         (5, 'eni-1', '10.0.0.1', '10.0.0.2', 443, 1000::DOUBLE, 100::BIGINT, 1700000000, 'ACCEPT', 'OK'),
         (5, 'eni-1', '10.0.0.1 10.0.0.9', '10.0.0.2', 443, 10::DOUBLE, 100::BIGINT, 1700000000, 'ACCEPT', 'OK'),
         (5, 'eni-1', '10.0.0.3', '10.0.0.2', 443, 1.5, 100::BIGINT, 1700000000, 'ACCEPT', 'OK'),
         (5, 'eni-1', '10.0.0.4', NULL, NULL, 7::DOUBLE, NULL, 1700000000, 'REJECT', 'OK'),
         (5, 'eni-1', '10.0.0.5', '10.0.0.2', 443, 7::DOUBLE, 100::BIGINT, 99999999999999, 'ACCEPT', 'OK'),
         (5, 'eni-1', '10.0.0.6', '10.0.0.2', 443, 7::DOUBLE, -3::BIGINT, 1700000000, 'ACCEPT', 'OK'),
         (5, 'eni-1', '10.0.0.7', '10.0.0.2', 443, 7::DOUBLE, 1152921504606846976::BIGINT, 1700000000, 'ACCEPT', 'OK')
       ) AS t(version, interface_id, srcaddr, dstaddr, dstport, packets, bytes, start, action, log_status)`,
    );
    const { records, rejected } = await read(path);
    assert.equal(records, 2);
    assert.deepEqual(rejected, [
      { position: 'row 2', reason: 'srcaddr holds a space or a line break' },
      { position: 'row 3', reason: 'packets is not a number' },
      { position: 'row 5', reason: 'start is past the last date a time can hold' },
      { position: 'row 6', reason: 'bytes is not a number' },
      { position: 'row 7', reason: 'bytes is larger than a number Trailscope holds exactly' },
    ]);
  });

  it('Security Lake findings in its Parquet are read as the same findings in JSON are', async () => {
    const fixture = join(import.meta.dirname, 'detectors', 'fixtures', 'security-lake-findings.jsonl');
    const path = join(gen, 'security-lake-findings.parquet');
    // The fixture's two findings (OCSF 1.1 and 1.0), without its CloudTrail line: a findings table holds findings.
    await writeParquet(path, `SELECT * FROM read_json('${fixture}', format = 'newline_delimited', sample_size = -1) WHERE class_uid <> 6003`);
    const asParquet = await readFindings(path);
    const asJson = await readFindings(fixture);
    assert.equal(asParquet.kind, 'findings:ocsf');
    assert.equal(asParquet.rows.length, 2);
    assert.deepEqual(asParquet.rejected, []);
    const shown = (rows: typeof asJson.rows) => rows.map(({ raw: _raw, ...finding }) => finding);
    assert.deepEqual(shown(asParquet.rows), shown(asJson.rows));
  });

  it('a Parquet file of other records (another source of Security Lake, a table of something else) is refused, saying what is read and what to export', async () => {
    const path = join(gen, 'ocsf.parquet');
    await writeParquet(path, `SELECT 3002 AS class_uid, {'uid': 'e-1', 'product': {'name': 'Okta'}} AS metadata, 'Logon' AS activity_name, 'REJECT' AS action, 1700000000000 AS time`);
    const reason = await refusalOf(() => readInput(path), 'ocsf.parquet');
    assert.equal(reason, "Apache Parquet file of OCSF events that are neither CloudTrail's, VPC flow logs' nor findings (another source of Security Lake's): only VPC flow logs and Security Lake's CloudTrail, VPC flow log and findings tables are read from Parquet; export other records as JSON or JSON Lines (an Athena UNLOAD with format JSON, or the console's export)");
    const other = join(gen, 'other.parquet');
    await writeParquet(other, `SELECT 'web-1' AS host, 'GET' AS method, 200 AS status, 'REJECT' AS action`);
    assert.equal(
      await refusalOf(() => readInput(other), 'other.parquet'),
      "Apache Parquet file of 4 columns, only 1 of them a VPC flow log field: only VPC flow logs and Security Lake's CloudTrail, VPC flow log and findings tables are read from Parquet; export other records as JSON or JSON Lines (an Athena UNLOAD with format JSON, or the console's export)",
    );
  });

  it('a large file on disk is read by range: its footer and the kept columns only, giving the same records', async () => {
    // A table with a wide column beside the flow fields, which a flow log's reading never needs.
    const path = join(gen, 'wide.parquet');
    await writeParquet(path, `SELECT *, repeat(md5(srcaddr || dstport::varchar), 40) AS note FROM read_parquet('${join(gen, 'gzip.parquet')}')`, { codec: 'SNAPPY', rowGroupSize: 1_000 });
    const size = statSync(path).size;
    let onDisk: InputFile | undefined;
    for await (const input of enumerateInputs([path])) onDisk = input;
    let read = 0;
    // Reported past the size held whole, so openSource reads it by range, through the file's own reads.
    const large: InputFile = {
      path, size: PARQUET_HELD_FILE + 1, open: () => onDisk!.open(),
      async openRandom() {
        const file = await onDisk!.openRandom!();
        return { ...file, read: async (position: number, length: number) => {
          const bytes = await file.read(position, length);
          read += bytes.length;
          return bytes;
        } };
      },
    };
    const source = await openSource(large);
    const byRange: ReaderBatch[] = [];
    for await (const b of source.batches) byRange.push(b);
    assert.equal(source.kind, 'flowlog');
    assert.equal(byRange.reduce((n, b) => n + (b.type === 'flows' ? b.records.length : 0), 0), 3_000);
    assert.ok(read > 0 && read < size / 2, `read ${read} of ${size} bytes`);
    // Held whole (as its real size has it), the same blocks of records.
    assert.equal(JSON.stringify((await readInput(path)).batches), JSON.stringify(byRange));
  });

  it('a large file inside gzip is read by range from a temporary copy, removed once read or refused', async () => {
    // Past the size held whole, in a stream: its wide column makes it 77 MB, which gzip makes small.
    const path = join(gen, 'wide-plain.parquet');
    await writeParquet(path, `SELECT *, repeat(md5(srcaddr || dstport::varchar), 800) AS note FROM read_parquet('${join(gen, 'gzip.parquet')}')`, { codec: 'UNCOMPRESSED', rowGroupSize: 1_000 });
    assert.ok(statSync(path).size > PARQUET_HELD_FILE, `${statSync(path).size} bytes`);
    const gzipped = `${path}.gz`;
    writeFileSync(gzipped, gzipSync(readFileSync(path), { level: 1 }));
    const copies = () => readdirSync(tmpdir()).filter((d) => d.startsWith('trailscope-copies-')).flatMap((d) => readdirSync(join(tmpdir(), d)));
    const before = copies().length;
    const source = await openSource(await inputOf(gzipped));
    assert.equal(copies().length, before + 1, 'a copy while it is read');
    const fromCopy: ReaderBatch[] = [];
    for await (const b of source.batches) fromCopy.push(b);
    assert.equal(copies().length, before, 'the copy removed once read');
    assert.equal(fromCopy.reduce((n, b) => n + (b.type === 'flows' ? b.records.length : 0), 0), 3_000);
    assert.equal(JSON.stringify(fromCopy), JSON.stringify((await readInput(path)).batches), 'the records of the file read in place');
    // Past the per-file limit (beyond what is held, within the copy), the copy stops there and is removed.
    await assert.rejects(openSource(await inputOf(gzipped), { maxBytes: 70 * 1024 * 1024 }), /decompressed size over 70 MB/);
    assert.equal(copies().length, before, 'no copy left by a refused file');
  });

  it('a row group of millions of rows is read a window at a time, every row of it', async () => {
    const path = join(gen, 'huge-group.parquet');
    await writeParquet(path, `SELECT 5 AS version, 'eni-' || (i % 3) AS interface_id, '10.0.0.1' AS srcaddr, '10.0.0.2' AS dstaddr FROM range(4_100_000) r(i)`, { rowGroupSize: 4_200_000 });
    const { kind, records, rejected } = await read(path);
    assert.deepEqual([kind, records, rejected], ['flowlog', 4_100_000, []]);
  });

  it('a file that only starts like Parquet, a truncated one and a damaged one are refused or read, never crash the reader', async () => {
    const good = readFileSync(join(gen, 'gzip.parquet'));
    const plain = readFileSync(join(gen, 'plain.parquet'));
    const fake = join(gen, 'fake.parquet');
    writeFileSync(fake, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]));
    assert.match(await refusalOf(() => readInput(fake), 'fake.parquet'), /^corrupt Apache Parquet file: /);
    const truncated = join(gen, 'truncated.parquet');
    writeFileSync(truncated, good.subarray(0, good.length >> 1));
    assert.match(await refusalOf(() => readInput(truncated), 'truncated.parquet'), /^corrupt Apache Parquet file: /);
    // Damaged bytes anywhere: the file reads (fewer or other records) or is refused with a reason.
    let seed = 44;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 40; i++) {
      // Gzip's check finds most damage to AWS's pages; uncompressed pages decode it into other values.
      const damaged = Buffer.from(i % 2 === 0 ? good : plain);
      for (let k = 0; k < 4; k++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const path = join(gen, `damaged-${i}.parquet`);
      writeFileSync(path, damaged);
      try {
        const { kind } = await read(path);
        assert.equal(kind, 'flowlog');
      } catch (err) {
        assert.equal((err as Error).name, 'SourceError', `damaged ${i}: ${String(err)}`);
      }
    }
  });
});
