// Opens a case for the read-only query commands (actor, who-changed, graph, timeline, flows).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openCase, type CaseDb } from '../db/open-case.ts';

export function openForQuery(path: string): CaseDb {
  const full = resolve(path);
  if (!existsSync(full)) throw new Error(`no case file at ${full}`);
  return openCase(full, { readonly: true });
}
