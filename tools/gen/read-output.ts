/* eslint-disable @typescript-eslint/no-explicit-any -- walks parsed AWS JSON whose shape the assertions check */
// Reads a generated directory back (for tests and quick checks): CloudTrail records, flow records
// keyed by the header's field names, config snapshots and incident.json.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export type Output = {
  files: string[];
  records: Record<string, any>[];
  flows: Record<string, string>[];
  config: (path: string) => any;
  incident: any;
};

export function readOutput(dir: string): Output {
  const files = listFiles(dir);
  const records: Record<string, any>[] = [];
  const flows: Record<string, string>[] = [];
  for (const f of files) {
    if (/\/CloudTrail\/.*\.json\.gz$/.test(f)) records.push(...JSON.parse(gunzipSync(readFileSync(join(dir, f))).toString()).Records);
    else if (f.endsWith('.log.gz')) {
      const lines = gunzipSync(readFileSync(join(dir, f))).toString().trimEnd().split('\n');
      const header = lines[0].split(' ');
      for (const line of lines.slice(1)) {
        const v = line.split(' ');
        const row: Record<string, string> = {};
        header.forEach((h, i) => (row[h] = v[i]));
        flows.push(row);
      }
    }
  }
  records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  return {
    files,
    records,
    flows,
    config: (path) => JSON.parse(readFileSync(join(dir, 'config', path), 'utf8')),
    incident: JSON.parse(readFileSync(join(dir, 'incident.json'), 'utf8')),
  };
}
