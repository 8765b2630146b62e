// The folders named `name` under dir, at any depth (each account's `CloudTrail` or `vpcflowlogs`
// folder of a generated workload), as a user hands them over to an ingest.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function namedFolders(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => (d.name === name ? [join(dir, d.name)] : namedFolders(join(dir, d.name), name)));
}
