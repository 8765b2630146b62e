// Which recorded issue of a role session most likely gave a key no recorded call issued: of the
// session's issues live at the key's first use (issued before it and not yet expired), the one asked
// for from the use's address, then with the user agent of the session's first call, then the latest
// (an issue without a time before all others, ties in the order stored).
//
// Every key no recorded call issued asks, and where the issues are missing from the files (a filtered
// export, a window that starts after them, another account's trail) that is most keys. A Lambda
// function's cold starts share one session ARN and each key lives 12 hours, so a busy function has
// hundreds to thousands of live issues at any time: scoring all of them at every ask made a million
// events with half the issues missing take 164 s to analyse. So the live issues are read newest first,
// and the reading stops at the first that reaches the best score the session's issues can give this
// use: an address or agent none of them has cannot be matched, and the newest live issue then wins.
// What each session's issues can give (their addresses, agents and longest lifetime) is read once.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

/** No temporary key lives longer: GetSessionToken's and GetFederationToken's longest (a role session's is 12 hours). */
const LONGEST_KEY_MS = 36 * 3600 * 1000;
/**
 * Addresses or agents one summary lists at most: past it, any address (or agent) is taken as one its
 * issues may have, which only reads more.
 */
const LISTED_VALUES = 10_000;
/** Addresses and agents all summaries hold at most: past it they start again, read anew as asked for. */
const HELD_VALUES = 200_000;

// The session's ARN is asked as its interned id (@arn), looked up once per ask: the summaries are kept
// by it, holding no text of the case, and `+@arn` keeps each join from being prepared again at each run
// (prepared.ts).
// Every issue of the session: how long it lives (an issue without both times, or past the longest,
// counts as the longest), who asked for it from where, and the agent of the call.
const SUMMARY = `SELECT c.issued_at, c.expires_at, c.caller_ip, e.user_agent FROM credential_rows c LEFT JOIN event_rows e ON e.id = c.issued_event
  WHERE c.issued_arn = +@arn`;
// The live issues, newest first: a range of credentials_issued_arn (the ARN, then the time: migration
// 0148) within the session's longest lifetime, then those without a time.
const CANDIDATE = 'SELECT c.rowid, c.caller_ip, e.user_agent FROM credential_rows c LEFT JOIN event_rows e ON e.id = c.issued_event';
const TIMED = `${CANDIDATE} WHERE c.issued_arn = +@arn AND c.issued_at BETWEEN @at - @lifetime AND @at
  AND (c.expires_at IS NULL OR c.expires_at >= @at) ORDER BY c.issued_at DESC, c.rowid DESC`;
const UNTIMED = `${CANDIDATE} WHERE c.issued_arn = +@arn AND c.issued_at IS NULL
  AND (c.expires_at IS NULL OR c.expires_at >= @at) ORDER BY c.rowid DESC`;
// A use whose time is not known may have come from any of them.
const ANY = `${CANDIDATE} WHERE c.issued_arn = +@arn ORDER BY c.issued_at DESC, c.rowid DESC`;
// The user agent of the session's first call (its time and ARN are known): the event-time index, then
// the interned ARN.
const AGENT_AT = `SELECT r.user_agent, s.value FROM event_rows r JOIN strings s ON s.id = r.user_agent
  WHERE r.event_time = +? AND r.identity_arn = +? LIMIT 1`;
const STRING_ID = 'SELECT id FROM strings WHERE value = ?';

/** A session's issues: their longest lifetime, and their addresses and agents (null: too many to list). */
type Summary = { lifetime: number; ips: Set<number> | null; agents: Set<number> | null };
export type ChosenIssue = { rowid: number; ipMatched: boolean; agentMatched: boolean };

/** The chooser for one resolution of the case (summaries are read at the first ask of each session). */
export function sessionIssueChooser(db: CaseDb, listedAtMost = LISTED_VALUES): (sessionArn: string, at: number | null, ip: string | null) => ChosenIssue | undefined {
  const listed = (values: Set<number>): Set<number> | null => (values.size > listedAtMost ? null : values);
  const summaries = new Map<number, Summary | null>();
  let held = 0;
  const summaryOf = (arn: number): Summary | null => {
    let s = summaries.get(arn);
    if (s !== undefined) return s;
    s = null;
    for (const [issuedAt, expiresAt, ip, agent] of stmt(db, SUMMARY).raw().iterate({ arn }) as IterableIterator<(number | null)[]>) {
      s ??= { lifetime: 0, ips: new Set(), agents: new Set() };
      const lives = issuedAt === null || expiresAt === null ? LONGEST_KEY_MS : Math.min(Math.max(expiresAt - issuedAt, 0), LONGEST_KEY_MS);
      if (lives > s.lifetime) s.lifetime = lives;
      if (ip !== null && s.ips) s.ips = listed(s.ips.add(ip));
      if (agent !== null && s.agents) s.agents = listed(s.agents.add(agent));
    }
    held += 1 + (s?.ips?.size ?? listedAtMost) + (s?.agents?.size ?? listedAtMost);
    if (held > HELD_VALUES) {
      summaries.clear();
      held = 0;
    }
    summaries.set(arn, s);
    return s;
  };

  const idOf = (text: string) => (stmt(db, STRING_ID).pluck().get(text) as number | undefined) ?? null;

  return (sessionText, at, ip) => {
    // An ARN the case never interned is no issue's.
    const sessionArn = idOf(sessionText);
    if (sessionArn === null) return undefined;
    const summary = summaryOf(sessionArn);
    if (!summary) return undefined;
    const ipId = ip ? idOf(ip) : null;
    // An empty agent names nobody's agent.
    const agentRow = at === null ? undefined : (stmt(db, AGENT_AT).raw().get(at, sessionArn) as [number, string] | undefined);
    const agentId = agentRow && agentRow[1] ? agentRow[0] : null;
    const reachable = (ipId !== null && (summary.ips?.has(ipId) ?? true) ? 2 : 0) + (agentId !== null && (summary.agents?.has(agentId) ?? true) ? 1 : 0);
    // Each read started only when the one before has not reached the score (a started read left
    // unfinished would keep its statement busy).
    const reads = at === null ? [() => stmt(db, ANY).raw().iterate({ arn: sessionArn })]
      : [() => stmt(db, TIMED).raw().iterate({ arn: sessionArn, at, lifetime: summary.lifetime }), () => stmt(db, UNTIMED).raw().iterate({ arn: sessionArn, at })];
    let best: { rowid: number; score: number } | undefined;
    for (const read of reads) {
      for (const [rowid, callerIp, agent] of read() as IterableIterator<[number, number | null, number | null]>) {
        const score = (ipId !== null && callerIp === ipId ? 2 : 0) + (agentId !== null && agent === agentId ? 1 : 0);
        if (!best || score > best.score) best = { rowid, score };
        if (score === reachable) break;
      }
      if (best?.score === reachable) break;
    }
    return best && { rowid: best.rowid, ipMatched: best.score >= 2, agentMatched: best.score % 2 === 1 };
  };
}
