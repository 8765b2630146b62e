// A generated account's VPC flow logs as VPC Flow Logs delivers them when its file format is Parquet:
// a `.log.parquet` file for each text file, columns named and typed as AWS does, pages compressed with
// gzip, under the same folders. Written by DuckDB (test-support/parquet-files.ts), once, then reused.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { listFiles } from '../tools/gen/read-output.ts';
import { flowTextAsAwsParquet, parquetWriter } from '../test-support/parquet-files.ts';
import { namedFolders } from './named-folders.ts';

/** The flow logs under dir/AWSLogs as Parquet files in a folder beside it; returns that folder. */
export async function flowsAsParquet(dir: string): Promise<string> {
  const out = `${dir}-parquet`;
  const done = join(out, 'written');
  if (existsSync(done)) return out;
  rmSync(out, { recursive: true, force: true });
  const writer = await parquetWriter();
  try {
    for (const folder of namedFolders(join(dir, 'AWSLogs'), 'vpcflowlogs')) {
      for (const name of listFiles(folder)) {
        const path = join(folder, name);
        const header = gunzipSync(readFileSync(path)).toString('utf8', 0, 4096).split('\n')[0];
        const target = join(out, relative(dir, folder), name.replace(/\.log\.gz$/, '.log.parquet'));
        mkdirSync(dirname(target), { recursive: true });
        await writer.write(target, flowTextAsAwsParquet([path], header));
      }
    }
  } finally {
    writer.close();
  }
  writeFileSync(done, '');
  return out;
}
