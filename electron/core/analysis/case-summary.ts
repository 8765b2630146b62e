// What the case holds, for the workbench's header and the CLI's info: counts, time span, accounts, regions.
import type { CaseSummary } from '../../../shared/engine-types.ts';
import type { CaseDb } from '../db/open-case.ts';
import { iso, stmt } from './prepared.ts';
import { isAccountId } from '../case-info.ts';

export function caseSummary(db: CaseDb, path: string): CaseSummary {
  const count = (table: string) => stmt(db, `SELECT count(*) FROM ${table}`).pluck().get() as number;
  const span = stmt(db, 'SELECT min(event_time) AS lo, max(event_time) AS hi FROM event_rows').get() as { lo: number | null; hi: number | null };
  const list = (sql: string) => (stmt(db, sql).pluck().all() as (string | null)[]).filter((v): v is string => !!v);
  return {
    path,
    name: path.split(/[\\/]/).pop() ?? path,
    events: count('event_rows'),
    flows: count('flows'),
    resources: count('resources'),
    sources: count('sources'),
    firstTime: iso(span.lo),
    lastTime: iso(span.hi),
    // Account filter values: 12-digit ids only (managed policies say "aws" in that place).
    accounts: list('SELECT DISTINCT account_id FROM resources UNION SELECT DISTINCT account_id FROM principals ORDER BY 1').filter(isAccountId),
    regions: list('SELECT DISTINCT region FROM resources ORDER BY 1'),
  };
}
