// Failed console sign-ins from one address: password guessing against one user, or spraying across
// many (QUESTIONS.md: "Where do principals sign in from?"). A failed ConsoleLogin carries no errorCode,
// only an errorMessage ("Failed authentication") and `ConsoleLogin: Failure`, so the denied-call bursts
// never see it; and AWS writes the user name of a user that does not exist as
// HIDDEN_DUE_TO_SECURITY_REASONS, so spraying shows as one hidden name over and over. Failures are
// counted per source address in hourly windows, runs of windows merged as bursts.ts does; a run of
// SIGN_IN_FAILURES or more is a finding, high when the same address then signed in.
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

/** Failures from one address (or against one user: sign-in-failures-per-user.ts) within a run of hourly windows that make a finding. */
export const SIGN_IN_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 3_600_000;
/** How long after the last failure a success from the same address (from the first failure on) counts as the guess that worked. */
export const SUCCESS_WITHIN_MS = 3_600_000;
/** Targeted users (or addresses) named in the words; the rest are counted. */
export const NAMED_IN_WORDS = 5;
/** Characters of an address, a user name, an ARN or an eventID in the words. */
export const TEXT_CHARS = 100;
/** The name AWS writes for a user that does not exist in the account (or a name typed into the user field by mistake, a password). */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export const CONSOLE_LOGIN = `(SELECT id FROM strings WHERE value = 'ConsoleLogin')`;
/** A failed console sign-in, over an `event_rows` row named `e`: an errorMessage and no errorCode. */
export const FAILED_SIGN_IN = `e.event_name = ${CONSOLE_LOGIN} AND e.error_message IS NOT NULL`;

/** Runs of failures from one address; what was left out over the analyzers' bound goes to `notes`. */
export function signInFailureFindings(db: CaseDb, actors: Map<number, ResolvedActor>, notes: string[]): Finding[] {
  // Over the name index: a case's console sign-ins are few next to its calls. Only addresses with enough
  // failures in all to make a run are windowed: a case of a million failures, one from each address, holds none.
  const windows = stmt(db, `SELECT e.source_ip AS key, e.event_time / ${SIGN_IN_WINDOW_MS} AS w, count(*) AS n, 0 AS kinds, max(e.event_time) AS last
    FROM event_rows e WHERE ${FAILED_SIGN_IN} AND e.source_ip IN (
      SELECT e.source_ip FROM event_rows e WHERE ${FAILED_SIGN_IN} AND e.source_ip IS NOT NULL
      GROUP BY e.source_ip HAVING count(*) >= ${SIGN_IN_FAILURES})
    GROUP BY 1, 2`).all() as Win[];
  const failures = stmt(db, `SELECT e.id FROM event_rows e WHERE ${FAILED_SIGN_IN} AND e.source_ip = ?
    AND e.event_time >= ? AND e.event_time < ? ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck();
  const users = stmt(db, `SELECT coalesce(u.value, a.value) AS who, count(*) AS n FROM event_rows e
      LEFT JOIN strings u ON u.id = e.user_name LEFT JOIN strings a ON a.id = e.identity_arn
    WHERE ${FAILED_SIGN_IN} AND e.source_ip = ? AND e.event_time >= ? AND e.event_time < ?
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1000`);
  const successAfter = stmt(db, `SELECT e.id FROM event_rows e WHERE e.event_name = ${CONSOLE_LOGIN} AND e.error_message IS NULL AND e.source_ip = ?
    AND e.event_time >= ? AND e.event_time <= ? ORDER BY ${EVENT_ORDER} LIMIT 1`).pluck();
  const address = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
  const out: Finding[] = [];
  for (const run of largestRuns(merge(windows, () => true).filter((r) => r.n >= SIGN_IN_FAILURES), 'console-sign-in-failures', notes)) {
    const from = run.from * SIGN_IN_WINDOW_MS;
    const to = (run.to + 1) * SIGN_IN_WINDOW_MS;
    const events = eventFactsMany(db, failures.all(run.key, from, to) as number[]);
    if (!events.length) continue;
    // Record data: a crafted address or user name of megabytes stays a line.
    const ip = clipStrings(address.get(run.key) as string, TEXT_CHARS);
    const targeted = users.all(run.key, from, to) as { who: string | null; n: number }[];
    // The hidden name is a placeholder the case stores as no name at all (normalize/placeholders.ts).
    const hidden = targeted.filter((u) => u.who === null || u.who === HIDDEN).reduce((sum, u) => sum + u.n, 0);
    const named = targeted.filter((u) => u.who !== null && u.who !== HIDDEN);
    const who = [
      ...named.slice(0, NAMED_IN_WORDS).map((u) => `${clipStrings(u.who, TEXT_CHARS)} (${u.n})`),
      ...(named.length > NAMED_IN_WORDS ? [`${named.length - NAMED_IN_WORDS} more users`] : []),
      ...(hidden ? [`${hidden} against user names that do not exist (AWS hides them)`] : []),
    ].join(', ');
    const success = successAfter.get(run.key, from, run.last + SUCCESS_WITHIN_MS) as number | undefined;
    const signedIn = success !== undefined ? eventFactsMany(db, [success])[0] : undefined;
    const signedInAs = signedIn ? clipStrings(signedIn.arn ?? 'an unnamed identity', TEXT_CHARS) : '';
    const finding = findingOf(db, actors, {
      kind: 'console-sign-in-failures', category: 'credential-access', severity: signedIn ? 'high' : 'medium', value: ip, count: run.n, lastTime: run.last,
      title: `${run.n} failed console sign-ins from ${ip}${signedIn ? `, then a sign-in as ${clipStrings(recordedName(db, signedIn.arn), TEXT_CHARS)}` : ''}`,
      detail: `Console passwords tried from ${ip}: ${who}.${signedIn
        ? ` The same address then signed in as ${signedInAs} (${clipStrings(signedIn.eventId, TEXT_CHARS)}): a guessed or stolen password.`
        : ' No sign-in from it succeeded within the hour after.'}`,
    }, signedIn ? [...events, signedIn] : events);
    // The identity that signed in is whose incident this is; without one, the first targeted.
    out.push(signedIn ? { ...finding, actor: actorOfEvent(db, signedIn.id, actors) } : finding);
  }
  return out;
}
