// What a case holds: counts, time range, accounts, regions and sources. The one answer to that
// question (`case:info`): `trailscope info` prints it and the workbench's header shows part of it.
import type { CaseSummary } from '../../shared/engine-types.ts';
import type { PartlyReadFile, RecordRejection } from '../../shared/api/types.ts';
import { FIRST_REJECTIONS, SHOWN_REJECTIONS } from './ingest/rejection-limits.ts';
import type { CaseDb } from './db/open-case.ts';
import { distinctOnIndex } from './db/distinct-on-index.ts';
import { accountInfo } from './analysis/accounts/account-names.ts';
import { eventSpan } from './analysis/timeline/event-span.ts';
import { isoInstant as iso } from '../../shared/iso-time.ts';

// A case lists every rejected file in its sources table; an answer names the first ones and counts the rest.
const REJECTED_LISTED = 200;
/**
 * Accounts and regions an answer names at most. An organisation's trail names thousands of accounts
 * and AWS has a few dozen regions; a hostile file can name a million of each (50,000 regions of 120
 * characters made a 10 MB answer, and more would pass the answer's bound and leave the workbench
 * without its header).
 */
const ACCOUNTS_LISTED = 10_000;
const REGIONS_LISTED = 1_000;
// AWS-managed policies (arn:aws:iam::aws:policy/…) carry "aws" where an account id goes, and
// service or malformed records other words: an account is a 12-digit id, nothing else.
const ACCOUNT_ID_GLOB = '[0-9]'.repeat(12);
/** A source read, with some of its records rejected. */
const READ_IN_PART = `status <> 'rejected' AND rejected_records > 0`;

export function caseSummary(db: CaseDb, path: string): CaseSummary {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const span = eventSpan(db);
  // Flow records are column blocks (migration 0129): their counts and times are in the block list.
  // total(), not sum(): a sum past 2^63 is an error that fails the whole summary (a case is handed over
  // too, and its counts are what it says), a total is a float.
  const flowRange = db.prepare('SELECT min(first_start) AS a, max(last_end) AS b, total(records) AS n FROM flow_blocks').get() as { a: number | null; b: number | null; n: number };
  const column = (sql: string, ...args: string[]) => (db.prepare(sql).pluck().all(...args) as string[]).filter(Boolean);
  const ofResources = resourceAccountsAndRegions(db);
  const tally = (sql: string) =>
    Object.fromEntries((db.prepare(sql).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
  // The tables, not the views over them: an aggregate over a view keeps every one of its joins (migrations 0128, 0140).
  const sourcesByStatus = tally('SELECT status AS k, count(*) AS n FROM source_rows GROUP BY status');
  // Counted in the scan the kinds are counted by (the status count reads an index alone): about 1 ms
  // more on 51,620 sources. The list is read only when there is one.
  const byKind = db.prepare(`SELECT kind AS k, count(*) AS n, sum(${READ_IN_PART}) AS partly,
    total(CASE WHEN ${READ_IN_PART} THEN rejected_records ELSE 0 END) AS records FROM source_rows GROUP BY kind`).all() as
    { k: string; n: number; partly: number; records: number }[];
  const partlyReadFiles = byKind.reduce((a, r) => a + r.partly, 0);
  // The first ACCOUNTS_LISTED accounts and REGIONS_LISTED regions in order, from each place that names
  // them; one more is read to know whether there are more.
  const accounts = column(
    // The accounts of the events: a few seeks of their index (distinctOnIndex), not a million joined strings.
    `SELECT value FROM (SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'event_rows', column: 'account_id' }, ACCOUNTS_LISTED + 1)})
     UNION SELECT value FROM json_each(?)
     UNION SELECT DISTINCT account_id FROM principals WHERE account_id IS NOT NULL
     UNION SELECT DISTINCT account_id FROM flow_origins WHERE account_id <> '') WHERE value GLOB '${ACCOUNT_ID_GLOB}' ORDER BY 1 LIMIT ${ACCOUNTS_LISTED + 1}`,
    JSON.stringify(ofResources.accounts),
  );
  const regions = column(`SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'event_rows', column: 'aws_region' }, REGIONS_LISTED + 1)})
     UNION SELECT value FROM json_each(?)
     UNION SELECT DISTINCT region FROM flow_origins WHERE region <> '' ORDER BY 1 LIMIT ${REGIONS_LISTED + 1}`, JSON.stringify(ofResources.regions));
  return {
    path,
    name: path.split(/[\\/]/).pop() ?? path,
    events: count('event_rows'),
    flows: flowRange.n,
    resources: count('resources'),
    resourceVersions: count('resource_versions'),
    principals: count('principals'),
    credentials: count('credential_rows'),
    sources: count('source_rows'),
    sourcesByStatus,
    sourcesByKind: Object.fromEntries(byKind.map((r) => [r.k, r.n])),
    rejectedSources: db.prepare(`SELECT path, reason FROM sources WHERE status = 'rejected' ORDER BY id LIMIT ${REJECTED_LISTED}`).all() as CaseSummary['rejectedSources'],
    rejectedCount: sourcesByStatus.rejected ?? 0,
    partlyRead: partlyReadFiles > 0 ? sourcesReadInPart(db) : [],
    partlyReadFiles,
    partlyReadRecords: byKind.reduce((a, r) => a + r.records, 0),
    firstTime: span && iso(span.first),
    lastTime: span && iso(span.last),
    eventSpan: span && { from: iso(span.from), to: iso(span.to), earlier: span.earlier, later: span.later },
    flowFirstTime: flowRange.a === null ? null : iso(flowRange.a),
    flowLastTime: flowRange.b === null ? null : iso(flowRange.b),
    accounts: accounts.slice(0, ACCOUNTS_LISTED),
    accountInfo: accountInfo(db, accounts.slice(0, ACCOUNTS_LISTED), ACCOUNTS_LISTED),
    moreAccounts: accounts.length > ACCOUNTS_LISTED || ofResources.moreAccounts,
    regions: regions.slice(0, REGIONS_LISTED),
    moreRegions: regions.length > REGIONS_LISTED || ofResources.moreRegions,
  };
}

/**
 * The first REJECTED_LISTED sources read in part, in reading order, each with its first rejected
 * records (an index range each), as an import's summary gives them. The sources table has no index on
 * these columns: a scan, paid only by a case that has such a source, and stopped at the bound.
 */
function sourcesReadInPart(db: CaseDb): PartlyReadFile[] {
  const partly = db.prepare(`SELECT id, path, records + duplicates AS records, rejected_records AS rejectedRecords FROM sources
    WHERE ${READ_IN_PART} ORDER BY id LIMIT ${REJECTED_LISTED}`).all() as (Omit<PartlyReadFile, 'rejections'> & { id: number })[];
  const first = db.prepare(FIRST_REJECTIONS);
  return partly.map(({ id, ...p }) => ({ ...p, rejections: first.all(id, SHOWN_REJECTIONS) as RecordRejection[] }));
}

/**
 * The distinct accounts and regions of resources, by seeks of resources_kind (type, account_id,
 * region, …): one per type, per account of a type and per region of those, where DISTINCT reads every
 * row (0.15 s of CPU for the 500,000 resources of a one-key-per-call case; a few hundred seeks here).
 * NULL is left out. Without the index (dropped while a bulk load runs) each seek is a scan, still right.
 */
function resourceAccountsAndRegions(db: CaseDb): { accounts: string[]; regions: string[]; moreAccounts: boolean; moreRegions: boolean } {
  const firstType = db.prepare('SELECT type FROM resources ORDER BY type LIMIT 1').pluck();
  const nextType = db.prepare('SELECT type FROM resources WHERE type > ? ORDER BY type LIMIT 1').pluck();
  // NULL sorts first: a type's first account may be none (its regions count too), then the others.
  const firstAccount = db.prepare('SELECT account_id FROM resources WHERE type = ? ORDER BY account_id LIMIT 1').pluck();
  const firstNamedAccount = db.prepare('SELECT account_id FROM resources WHERE type = ? AND account_id IS NOT NULL ORDER BY account_id LIMIT 1').pluck();
  const nextAccount = db.prepare('SELECT account_id FROM resources WHERE type = ? AND account_id > ? ORDER BY account_id LIMIT 1').pluck();
  const nextRegion = db.prepare('SELECT region FROM resources WHERE type = ? AND account_id IS ? AND region > ? ORDER BY region LIMIT 1').pluck();
  const accounts = new Set<string>();
  const regions = new Set<string>();
  // Past the lists' bounds the seeks stop (a type's further accounts, an account's further regions):
  // those found are enough to fill the answer, which then says there are more.
  let moreAccounts = false;
  let moreRegions = false;
  for (let type = firstType.get() as string | undefined; type !== undefined; type = nextType.get(type) as string | undefined) {
    let account = firstAccount.get(type) as string | null | undefined;
    while (account !== undefined) {
      if (account !== null) accounts.add(account);
      // '' is no region (the answer drops it), and NULL is not greater than anything.
      for (let region = moreRegions ? undefined : (nextRegion.get(type, account, '') as string | undefined); region !== undefined;
        region = nextRegion.get(type, account, region) as string | undefined) {
        regions.add(region);
        if ((moreRegions = regions.size > REGIONS_LISTED)) break;
      }
      if ((moreAccounts = accounts.size > ACCOUNTS_LISTED)) break;
      account = (account === null ? firstNamedAccount.get(type) : nextAccount.get(type, account)) as string | undefined;
    }
  }
  return { accounts: [...accounts], regions: [...regions], moreAccounts, moreRegions };
}

