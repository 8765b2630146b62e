// A CloudTrail log file as S3 delivery writes it ({"Records":[…]}), for a test that ingests a few records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the records to dir/name and gives the file's path. */
export function trailFile(dir: string, name: string, records: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ Records: records }));
  return path;
}
