// Opens a case for the read-only query commands (actor, who-changed, graph, timeline, flows).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CaseDb } from '../db/open-case.ts';
import { openForReading } from '../db/open-for-reading.ts';

export function openForQuery(path: string): CaseDb {
  const full = resolve(path);
  if (!existsSync(full)) throw new Error(`no case file at ${full}`);
  return openForReading(full);
}
