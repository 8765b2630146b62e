// Parquet files written by DuckDB, a writer Trailscope does not share code with, for the tests of the
// Parquet reader: flow logs typed as AWS and Athena type them, in each codec and layout writers use; and
// the same files paged as Apache Arrow's writer pages them.
import { readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/** The column types of VPC Flow Logs' Parquet delivery (Athena's table for it), by field. */
export const AWS_FLOW_PARQUET_TYPES: Record<string, string> = {
  version: 'INTEGER', account_id: 'VARCHAR', interface_id: 'VARCHAR', srcaddr: 'VARCHAR', dstaddr: 'VARCHAR',
  srcport: 'INTEGER', dstport: 'INTEGER', protocol: 'BIGINT', packets: 'BIGINT', bytes: 'BIGINT',
  start: 'BIGINT', end: 'BIGINT', action: 'VARCHAR', log_status: 'VARCHAR', vpc_id: 'VARCHAR',
  subnet_id: 'VARCHAR', instance_id: 'VARCHAR', tcp_flags: 'INTEGER', type: 'VARCHAR',
  pkt_srcaddr: 'VARCHAR', pkt_dstaddr: 'VARCHAR', region: 'VARCHAR', az_id: 'VARCHAR',
  sublocation_type: 'VARCHAR', sublocation_id: 'VARCHAR', pkt_src_aws_service: 'VARCHAR',
  pkt_dst_aws_service: 'VARCHAR', flow_direction: 'VARCHAR', traffic_path: 'INTEGER',
};

export type ParquetOptions = {
  /** SNAPPY, GZIP (AWS's), ZSTD, BROTLI, UNCOMPRESSED. */
  codec?: string;
  /** Rows per row group (DuckDB's default 122,880). */
  rowGroupSize?: number;
};

/** Writes Parquet files through one DuckDB instance, until closed; `text` gives a query's first value as text. */
export async function parquetWriter(): Promise<{ write(path: string, sql: string, options?: ParquetOptions): Promise<void>; text(sql: string): Promise<string>; close(): void }> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  return {
    async write(path, sql, options = {}) {
      const settings = [`FORMAT parquet`, `COMPRESSION ${options.codec ?? 'GZIP'}`];
      if (options.rowGroupSize !== undefined) settings.push(`ROW_GROUP_SIZE ${options.rowGroupSize}`);
      await connection.run(`COPY (${sql}) TO '${path.replaceAll("'", "''")}' (${settings.join(', ')})`);
    },
    async text(sql) {
      return String((await connection.runAndReadAll(sql)).getRows()[0][0]);
    },
    close() {
      connection.closeSync();
      db.closeSync();
    },
  };
}

/** Runs `sql` (a SELECT) in DuckDB and writes its rows to `path` as Parquet. */
export async function writeParquet(path: string, sql: string, options: ParquetOptions = {}): Promise<void> {
  const writer = await parquetWriter();
  try {
    await writer.write(path, sql, options);
  } finally {
    writer.close();
  }
}

/**
 * A SELECT of flow log text files (gzip or not) that share the header line `header` (fields separated by
 * spaces, '-' for none), each column named and typed as VPC Flow Logs' Parquet delivery names and types it.
 */
export function flowTextAsAwsParquet(paths: string[], header: string): string {
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const fields = header.trim().split(' ');
  const columns = fields.map((f) => {
    const name = f.replaceAll('-', '_');
    return `CAST("${f}" AS ${AWS_FLOW_PARQUET_TYPES[name] ?? 'VARCHAR'}) AS "${name}"`;
  });
  const types = `{${fields.map((f) => `${quote(f)}: 'VARCHAR'`).join(', ')}}`;
  return `SELECT ${columns.join(', ')} FROM read_csv([${paths.map(quote).join(', ')}], delim = ' ', header = true, nullstr = '-', columns = ${types}, auto_detect = false)`;
}

export type PagedOptions = {
  /** The largest data page the writer makes, in bytes (Arrow's writers default to 1 MB, so a large column chunk holds many). */
  pageBytes: number;
  rowGroupSize?: number;
  /** Data pages of format version 1 (Spark's, AWS's) or 2. */
  pageVersion?: 1 | 2;
  codec?: 'GZIP' | 'SNAPPY' | 'ZSTD' | 'UNCOMPRESSED';
};

/**
 * The Parquet file at `from` written again to `to` by Apache Arrow's Rust writer (parquet-wasm) in pages
 * of at most `pageBytes`: DuckDB writes a column chunk as one page, Arrow, Spark and AWS as many, and a
 * repeated column's rows run on from page to page.
 */
export async function repagedParquet(from: string, to: string, options: PagedOptions): Promise<void> {
  const pw = await import('parquet-wasm');
  const codecs = { GZIP: pw.Compression.GZIP, SNAPPY: pw.Compression.SNAPPY, ZSTD: pw.Compression.ZSTD, UNCOMPRESSED: pw.Compression.UNCOMPRESSED };
  const table = pw.readParquet(new Uint8Array(readFileSync(from)));
  const properties = new pw.WriterPropertiesBuilder()
    .setCompression(codecs[options.codec ?? 'GZIP'])
    .setDataPageSizeLimit(options.pageBytes)
    .setMaxRowGroupSize(options.rowGroupSize ?? 1_048_576)
    .setWriterVersion(options.pageVersion === 2 ? pw.WriterVersion.V2 : pw.WriterVersion.V1)
    .build();
  writeFileSync(to, pw.writeParquet(table, properties));
}
