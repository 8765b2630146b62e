// What a case holds: counts, time range, accounts, regions and sources. The one answer to that
// question (`case:info`): `trailscope info` prints it and the workbench's header shows part of it.
import type { CaseSummary } from '../../shared/engine-types.ts';
import type { CaseDb } from './db/open-case.ts';
import { distinctOnIndex } from './db/distinct-on-index.ts';
import { accountInfo } from './analysis/accounts/account-names.ts';

// A case lists every rejected file in its sources table; an answer names the first ones and counts the rest.
const REJECTED_LISTED = 200;

export function caseSummary(db: CaseDb, path: string): CaseSummary {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  // event_rows, not the events view: SQLite keeps a view's joins in aggregates over it. Two subqueries:
  // min() and max() in one SELECT scan the whole time index, each alone is one seek.
  const range = db.prepare('SELECT (SELECT min(event_time) FROM event_rows) AS a, (SELECT max(event_time) FROM event_rows) AS b').get() as { a: number | null; b: number | null };
  const flowRange = db.prepare('SELECT min(start_time) AS a, max(end_time) AS b FROM flows').get() as { a: number | null; b: number | null };
  const column = (sql: string) => (db.prepare(sql).pluck().all() as string[]).filter(Boolean);
  const tally = (sql: string) =>
    Object.fromEntries((db.prepare(sql).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
  const sourcesByStatus = tally('SELECT status AS k, count(*) AS n FROM sources GROUP BY status');
  const accounts = column(
    // The accounts of the events: a few seeks of their index (distinctOnIndex), not a million joined strings.
    `SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'event_rows', column: 'account_id' })})
     UNION SELECT DISTINCT account_id FROM resources WHERE account_id IS NOT NULL
     UNION SELECT DISTINCT account_id FROM principals WHERE account_id IS NOT NULL
     UNION SELECT DISTINCT account_id FROM flows WHERE account_id IS NOT NULL ORDER BY 1`,
  ).filter(isAccountId);
  return {
    path,
    name: path.split(/[\\/]/).pop() ?? path,
    events: count('event_rows'),
    flows: count('flows'),
    resources: count('resources'),
    resourceVersions: count('resource_versions'),
    principals: count('principals'),
    credentials: count('credentials'),
    sources: count('sources'),
    sourcesByStatus,
    sourcesByKind: tally('SELECT kind AS k, count(*) AS n FROM sources GROUP BY kind'),
    rejectedSources: db.prepare(`SELECT path, reason FROM sources WHERE status = 'rejected' ORDER BY id LIMIT ${REJECTED_LISTED}`).all() as CaseSummary['rejectedSources'],
    rejectedCount: sourcesByStatus.rejected ?? 0,
    firstTime: range.a === null ? null : iso(range.a),
    lastTime: range.b === null ? null : iso(range.b),
    flowFirstTime: flowRange.a === null ? null : iso(flowRange.a),
    flowLastTime: flowRange.b === null ? null : iso(flowRange.b),
    accounts,
    accountInfo: accountInfo(db, accounts),
    regions: column(`SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'event_rows', column: 'aws_region' })})
       UNION SELECT DISTINCT region FROM resources WHERE region IS NOT NULL
       UNION SELECT DISTINCT region FROM flows WHERE region IS NOT NULL ORDER BY 1`),
  };
}

// AWS-managed policies (arn:aws:iam::aws:policy/…) carry "aws" where an account id goes, and
// service or malformed records other words: an account is a 12-digit id, nothing else.
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
