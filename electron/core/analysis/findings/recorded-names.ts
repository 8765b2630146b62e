// A recorded identity as a finding's title names it ("Discovery sweep by user/ci-deployer"): the
// readable tail of its ARN (shortArn), with its account where principals of several accounts share
// that tail. An organisation has a user/ci-deployer in each account, and an
// OrganizationAccountAccessRole session of the same name in several: the title then says whose, as
// the finding's actor does (attribution/origin-label.ts).
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { accountOf } from '../attribution/resolve-chain.ts';
import { shortArn } from './finding-events.ts';

/** shortArn in SQL: what follows the account in an identity's ARN (arn:partition:service::account:tail). */
const TAIL = `substr(arn, instr(arn, '::' || account_id || ':') + length(account_id) + 3)`;
/** Shared tails kept at most: past it, the rest are named without their account. */
const SHARED_TAILS = 100_000;
/** AWS's longest ARN: a longer one (a crafted case) is never read into the set. */
const ARN_CHARS = 2048;

const known = new WeakMap<CaseDb, { version: number; shared: Set<string> }>();

/**
 * The tails principals of more than one account bear, read again only when principals were added (a
 * principal is never deleted, so its highest rowid says so: a seek, where a count read the table).
 */
function sharedTails(db: CaseDb): Set<string> {
  const version = (stmt(db, 'SELECT max(rowid) FROM principals').pluck().get() as number | null) ?? 0;
  const cached = known.get(db);
  if (cached?.version === version) return cached.shared;
  const shared = new Set(stmt(db, `SELECT ${TAIL} AS tail FROM principals WHERE account_id IS NOT NULL AND length(arn) <= ${ARN_CHARS} AND instr(arn, '::' || account_id || ':') > 0
    GROUP BY tail HAVING count(DISTINCT account_id) > 1 LIMIT ${SHARED_TAILS}`).pluck().all() as string[]);
  known.set(db, { version, shared });
  return shared;
}

export function recordedName(db: CaseDb, arn: string | null): string {
  const tail = shortArn(arn);
  const account = accountOf(arn);
  return account !== null && sharedTails(db).has(tail) ? `${tail} (account ${account})` : tail;
}
