// Failed console sign-ins against one user from several addresses: a password guessed from a botnet or
// a pool of proxies, each address trying a few times so that no address alone makes a finding
// (sign-in-failures.ts counts per address). Failures are counted per account and user in hourly
// windows, runs merged as bursts.ts does; a run of SIGN_IN_FAILURES or more from at least
// SPREAD_ADDRESSES addresses is a finding, high when one of those addresses then signed in as that user.
// A user that does not exist is hidden by AWS (no name in the case): those cannot be told apart.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';
import { stmt } from '../prepared.ts';
import { EVENT_ORDER } from '../event-order.ts';
import { merge, type Win } from './bursts.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';
import { MAX_EVENT_IDS, eventFactsMany, findingOf } from './finding-events.ts';
import { recordedName } from './recorded-names.ts';
import { largestRuns } from './analyzer-caps.ts';
import { CONSOLE_LOGIN, FAILED_SIGN_IN, HIDDEN, NAMED_IN_WORDS, SIGN_IN_FAILURES, SIGN_IN_WINDOW_MS, SUCCESS_WITHIN_MS, TEXT_CHARS } from './sign-in-failures.ts';

/** Addresses a run of failures against one user must come from: fewer is a user (or one guesser) at a few desks. */
export const SPREAD_ADDRESSES = 3;

/** Who a failure was against: the IAM user's name, else the identity's ARN (the root user's). */
const TARGET = 'coalesce(e.user_name, e.identity_arn)';
const IN_RUN = `coalesce(e.account_id, 0) = ? AND ${TARGET} = ? AND e.event_time >= ? AND e.event_time < ?`;

type Target = { account: number; who: number };

export function signInFailuresPerUserFindings(db: CaseDb, actors: Map<number, ResolvedActor>, notes: string[]): Finding[] {
  // Only users with enough failures from enough addresses in all are windowed (a case of a million
  // failures against as many names holds none), over the name index as the per-address count is.
  const rows = stmt(db, `WITH f AS MATERIALIZED (
      SELECT coalesce(e.account_id, 0) AS account, ${TARGET} AS who, e.event_time AS t, e.source_ip AS ip FROM event_rows e
      WHERE ${FAILED_SIGN_IN} AND ${TARGET} IS NOT NULL AND ${TARGET} NOT IN (SELECT id FROM strings WHERE value = '${HIDDEN}'))
    SELECT account, who, t / ${SIGN_IN_WINDOW_MS} AS w, count(*) AS n, max(t) AS last FROM f
    WHERE (account, who) IN (SELECT account, who FROM f GROUP BY 1, 2 HAVING count(*) >= ${SIGN_IN_FAILURES} AND count(DISTINCT ip) >= ${SPREAD_ADDRESSES})
    GROUP BY 1, 2, 3`).all() as (Target & { w: number; n: number; last: number })[];
  // merge() keys runs by a number: each target is numbered in the order first met.
  const targets: Target[] = [];
  const numberOf = new Map<string, number>();
  const windows: Win[] = rows.map((r) => {
    const k = `${r.account}:${r.who}`;
    let key = numberOf.get(k);
    if (key === undefined) numberOf.set(k, (key = targets.push({ account: r.account, who: r.who }) - 1));
    return { key, w: r.w, n: r.n, kinds: 0, last: r.last };
  });
  // The addresses most used, and how many there were in all.
  const addresses = stmt(db, `SELECT s.value AS ip, count(*) AS n, count(*) OVER () AS total FROM event_rows e LEFT JOIN strings s ON s.id = e.source_ip
    WHERE ${FAILED_SIGN_IN} AND ${IN_RUN} GROUP BY e.source_ip ORDER BY 2 DESC, 1 LIMIT ${NAMED_IN_WORDS}`);
  const failures = stmt(db, `SELECT e.id FROM event_rows e WHERE ${FAILED_SIGN_IN} AND ${IN_RUN} ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck();
  // A sign-in as the user from one of the addresses that failed against it: the guess that worked.
  const successAfter = stmt(db, `SELECT e.id FROM event_rows e WHERE e.event_name = ${CONSOLE_LOGIN} AND e.error_message IS NULL
    AND coalesce(e.account_id, 0) = ? AND (e.user_name = ? OR e.identity_arn = ?) AND e.event_time >= ? AND e.event_time <= ?
    AND e.source_ip IN (SELECT e.source_ip FROM event_rows e WHERE ${FAILED_SIGN_IN} AND ${IN_RUN})
    ORDER BY ${EVENT_ORDER} LIMIT 1`).pluck();
  const text = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
  const runs = merge(windows, () => true).filter((r) => r.n >= SIGN_IN_FAILURES);
  const out: Finding[] = [];
  for (const run of largestRuns(runs, 'console-sign-in-failures-per-user', notes)) {
    const { account, who } = targets[run.key];
    const inRun = [account, who, run.from * SIGN_IN_WINDOW_MS, (run.to + 1) * SIGN_IN_WINDOW_MS];
    const from = addresses.all(...inRun) as { ip: string | null; n: number; total: number }[];
    const spread = from[0]?.total ?? 0;
    if (spread < SPREAD_ADDRESSES) continue; // spread over the case, not over this run
    const events = eventFactsMany(db, failures.all(...inRun) as number[]);
    if (!events.length) continue;
    // Record data: a crafted user name or address of megabytes stays a line.
    const user = clipStrings(text.get(who) as string, TEXT_CHARS);
    const shown = user.startsWith('arn:') ? recordedName(db, user) : user;
    const listed = [
      ...from.map((a) => `${clipStrings(a.ip ?? 'no address', TEXT_CHARS)} (${a.n})`),
      ...(spread > from.length ? [`${spread - from.length} more addresses`] : []),
    ].join(', ');
    const success = successAfter.get(account, who, who, run.from * SIGN_IN_WINDOW_MS, run.last + SUCCESS_WITHIN_MS, ...inRun) as number | undefined;
    const signedIn = success !== undefined ? eventFactsMany(db, [success])[0] : undefined;
    const finding = findingOf(db, actors, {
      kind: 'console-sign-in-failures-per-user', category: 'credential-access', severity: signedIn ? 'high' : 'medium', value: user, count: run.n, lastTime: run.last,
      title: `${run.n} failed console sign-ins as ${shown} from ${spread} addresses${signedIn ? `, then a sign-in from ${clipStrings(signedIn.ip ?? '', TEXT_CHARS)}` : ''}`,
      detail: `The password of ${user} was tried from ${spread} addresses: ${listed}.${signedIn
        ? ` One of them then signed in as it (${clipStrings(signedIn.eventId, TEXT_CHARS)}): a guessed or stolen password.`
        : ' None of them signed in as it within the hour after.'}`,
    }, signedIn ? [...events, signedIn] : events);
    const evidence = [{ field: user.startsWith('arn:') ? 'userIdentity.arn' : 'userIdentity.userName', value: user }];
    out.push({ ...finding, evidence, ...(signedIn ? { actor: actorOfEvent(db, signedIn.id, actors) } : {}) });
  }
  return out;
}
