// npm run bench:parquet: large Apache Parquet tables, each in one row group, as the two kinds of writer
// lay them out: DuckDB (a column chunk in one page) and Apache Arrow's writer (pages of 1 MB, as Spark,
// Athena and AWS write them). The generator's flow records (--flows, default 1,000,000; the same records
// as bench:ingest's, one table of them) and the security-lake workload's OCSF events (--events, default
// 100,000). Each ingest runs in a process of its own (bench/ingest-one.ts, the CLI's bundle); printed per
// file: time, CPU, peak RSS, records. What it shows: memory follows a page and a window of rows, not the
// row group, where pages are small (parse/parquet-rows.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildScript } from '../tools/build/bundles.ts';
import { parquetWriter, repagedParquet } from '../test-support/parquet-files.ts';
import { flowsAsParquet } from './flows-as-parquet.ts';
import { generated, OUT } from './workloads.ts';

const { values } = parseArgs({ options: { flows: { type: 'string', default: '1000000' }, events: { type: 'string', default: '100000' } } });
const flows = Number(values.flows);
const events = Number(values.events);
const ingestOne = await buildScript('bench/ingest-one.ts', join(OUT, 'ingest-one-bundle'));

/**
 * The table `select` gives (from a DuckDB connection), in one row group as DuckDB writes it, and again in
 * Arrow's pages of 1 MB; written once.
 */
async function tables(name: string, select: (duckdb: Awaited<ReturnType<typeof parquetWriter>>) => Promise<string>): Promise<{ layout: string; path: string }[]> {
  const duckdb = join(OUT, `${name}-one-group-duckdb.parquet`);
  const arrow = join(OUT, `${name}-one-group-arrow.parquet`);
  if (!existsSync(arrow)) {
    const writer = await parquetWriter();
    try {
      await writer.write(duckdb, await select(writer), { rowGroupSize: 100_000_000, codec: 'SNAPPY' });
    } finally {
      writer.close();
    }
    await repagedParquet(duckdb, arrow, { pageBytes: 1024 * 1024, rowGroupSize: 100_000_000, codec: 'SNAPPY' });
  }
  return [{ layout: 'a page per column chunk (DuckDB)', path: duckdb }, { layout: 'pages of 1 MB (Arrow)', path: arrow }];
}

/** Every file under `dir` whose name ends with `suffix`. */
function filesEnding(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f));
}

const quoted = (paths: string[]) => `[${paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(', ')}]`;
const flowDir = await flowsAsParquet((await generated('realistic', 10_000, flows)).dir);
const laked = (await generated('security-lake', events)).dir;
// The OCSF events' own structure, texts as texts: read_json would type the eventIDs as UUIDs, which
// Arrow's writer keeps as bare 16-byte values.
const ocsfEvents = `read_json_objects(${quoted(filesEnding(laked, '.jsonl.gz'))}, format = 'newline_delimited')`;
const inputs = [
  ...(await tables(`flows-${flows}`, async () => `SELECT * FROM read_parquet(${quoted(filesEnding(flowDir, '.log.parquet'))})`))
    .map((t) => ({ ...t, what: `${flows.toLocaleString('en-US')} flow records` })),
  ...(await tables(`security-lake-${events}`, async (duckdb) => {
    const structure = await duckdb.text(`SELECT json_group_structure(json)::VARCHAR FROM ${ocsfEvents}`);
    return `SELECT unnest(json_transform(json, '${structure.replaceAll("'", "''")}')) FROM ${ocsfEvents}`;
  })).map((t) => ({ ...t, what: `${events.toLocaleString('en-US')} Security Lake CloudTrail events` })),
];

const mb = (x: number) => `${Math.round(x / 1024 / 1024).toLocaleString('en-US')} MB`;
for (const { what, layout, path } of inputs) {
  const r = spawnSync(process.execPath, [ingestOne, '--input', path, '--case', join(OUT, 'parquet-table.case')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`ingest of ${path} failed (exit ${r.status})`);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { events: number; flows: number; seconds: number; cpuSeconds: number; peakRss: number };
  const records = run.events + run.flows;
  console.log(`${what}, one row group, ${layout}, ${mb(statSync(path).size)}: ${run.seconds.toFixed(1)} s, CPU ${run.cpuSeconds.toFixed(1)} s ` +
    `(${((run.cpuSeconds * 1e6) / records).toFixed(1)} µs a record), peak RSS ${mb(run.peakRss)}, ${records.toLocaleString('en-US')} records`);
}
