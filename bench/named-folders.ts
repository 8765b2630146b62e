// The folders named `name` under dir, at any depth (each account's `CloudTrail` or `vpcflowlogs`
// folder of a generated workload), as a user hands them over to an ingest.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function namedFolders(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => (d.name === name ? [join(dir, d.name)] : namedFolders(join(dir, d.name), name)));
}

/** What a generated workload's CloudTrail ingest is handed: each account's CloudTrail folder, and its configuration snapshots if it has them. */
export function cloudTrailInputs(dir: string): string[] {
  const config = join(dir, 'config');
  return [...namedFolders(join(dir, 'AWSLogs'), 'CloudTrail'), ...(statSync(config, { throwIfNoEntry: false }) ? [config] : [])];
}
