// A generated account's CloudTrail rewritten as another tool exports it: the records as gzipped JSON
// Lines (what `jq -c '.Records[]'`, an Athena or SIEM export of the raw events gives), in files of
// `perFile` lines, in place of the S3 layout's `{"Records":[…]}` objects. Such files are large and
// streamed by the readers, unlike the S3 objects of a few MB each, which are read whole.
import { createWriteStream, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, gunzipSync, type Gzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import { listFiles } from '../tools/gen/read-output.ts';
import { namedFolders } from './named-folders.ts';

/** Rewrites every `…/CloudTrail/` folder under dir/AWSLogs (digests, in `CloudTrail-Digest`, are left out of it). */
export async function rewriteAsJsonLines(dir: string, perFile: number, as: (record: Record<string, unknown>) => unknown = (r) => r): Promise<void> {
  for (const folder of namedFolders(join(dir, 'AWSLogs'), 'CloudTrail')) {
    const objects = listFiles(folder).filter((f) => f.endsWith('.json.gz')).map((f) => join(folder, f));
    let out: Gzip | null = null;
    let done: Promise<void> | null = null;
    let lines = 0;
    let parts = 0;
    for (const object of objects) {
      for (const record of (JSON.parse(gunzipSync(readFileSync(object)).toString('utf8')) as { Records: unknown[] }).Records) {
        if (lines % perFile === 0) {
          out?.end();
          await done;
          out = createGzip();
          done = finished(out.pipe(createWriteStream(join(folder, `export-${String(parts++).padStart(4, '0')}.jsonl.gz`))));
        }
        lines++;
        if (!out!.write(JSON.stringify(as(record as Record<string, unknown>)) + '\n')) await once(out!, 'drain');
      }
      rmSync(object);
    }
    out?.end();
    await done;
    // The S3 layout's region and date folders are empty now.
    for (const entry of readdirSync(folder, { withFileTypes: true })) if (entry.isDirectory()) rmSync(join(folder, entry.name), { recursive: true });
  }
}
