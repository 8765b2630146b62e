// Console sessions: a ConsoleLogin opens a session whose calls carry a temporary key that no recorded
// call issued (the console's own). The sign-in of the same identity shortly before the first such call
// is the event that opened it: its time, address and MFA are what an investigator checks next. Tied by
// identity and time only, so it annotates the chain (issuedBy) and proves nothing.
//
// Every key no recorded call issued asks for it, and on an account whose issues are not in the case (a
// day cut from a longer trail, roles assumed from another account's trail) that is every key. Asked of
// the events, each ask read the identity's calls of the 12 hours before: an instance's role session with
// a new key for every call made each ask read hundreds of its calls (51,601 such events, 48,527 keys: 2.9 s
// of a 5.6 s analysis). Successful sign-ins are few, so they are read once, grouped by identity, and
// each ask is a search in memory; an identity that never signed in costs a map lookup.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { IssuedBy } from './resolve-chain.ts';
import { isoInstant } from '../../../../shared/iso-time.ts';
import { countBelow } from '../count-below.ts';

/** A console session lasts at most 12 hours (the longest role session the console grants). */
const CONSOLE_SESSION_MS = 12 * 3600 * 1000;
/**
 * Sign-ins held in memory at most, as numbers only (the identity's interned id, the time, the event's
 * row: no text of a case, which may be megabytes a value, is held); a case with more asks the events
 * per key.
 */
const HELD_SIGN_INS = 100_000;

// A failed sign-in carries an error message (and responseElements.ConsoleLogin "Failure"): it opened nothing.
const SIGN_INS = `SELECT r.identity_arn, r.event_time, r.id FROM event_rows r
  WHERE r.event_name = (SELECT id FROM strings WHERE value = 'ConsoleLogin') AND r.identity_arn IS NOT NULL
    AND r.error_code IS NULL AND r.error_message IS NULL
  ORDER BY r.event_time, r.event_id LIMIT ?`;
const IDENTITY_ID = 'SELECT id FROM strings WHERE value = ?';
const EVENT_ID = 'SELECT event_id FROM event_rows WHERE id = ?';

// The identity's latest sign-in in the window: (event_name, event_time) index range, then the identity.
const SIGN_IN = `SELECT r.event_id AS eventId, r.event_time AS time FROM event_rows r
  WHERE r.event_name = (SELECT id FROM strings WHERE value = 'ConsoleLogin') AND r.event_time BETWEEN ? AND ?
    AND +r.identity_arn = (SELECT id FROM strings WHERE value = ?) AND r.error_code IS NULL AND r.error_message IS NULL
  ORDER BY r.event_time DESC, r.event_id DESC LIMIT 1`;

/** One identity's successful sign-ins, oldest first (ties by eventID, as the events are ordered): times and event rows. */
type SignIns = { times: number[]; rows: number[] };

/**
 * The sign-in that opened an identity's console session: its latest successful ConsoleLogin at most 12
 * hours before `at`. Sign-ins are read at the first ask; events stored after it are not seen, so a
 * lookup lives as long as one resolution of the case.
 */
export function consoleSignIns(db: CaseDb, heldAtMost = HELD_SIGN_INS): (identityArn: string, at: number | null) => IssuedBy | undefined {
  let held: Map<number, SignIns> | null | undefined;
  return (identityArn, at) => {
    if (at === null) return undefined;
    held ??= heldSignIns(db, heldAtMost);
    if (held === null) {
      const row = stmt(db, SIGN_IN).get(at - CONSOLE_SESSION_MS, at, identityArn) as { eventId: string; time: number } | undefined;
      return row && issuedBy(row.eventId, row.time);
    }
    if (held.size === 0) return undefined;
    const identity = stmt(db, IDENTITY_ID).pluck().get(identityArn) as number | undefined;
    const own = identity === undefined ? undefined : held.get(identity);
    if (!own) return undefined;
    // Times are whole milliseconds: those below at + 1 are those at or before it.
    const i = countBelow(own.times, at + 1) - 1;
    if (i < 0 || own.times[i] < at - CONSOLE_SESSION_MS) return undefined;
    return issuedBy(stmt(db, EVENT_ID).pluck().get(own.rows[i]) as string, own.times[i]);
  };
}

/** Every successful sign-in by identity, or null when there are more than are held. */
function heldSignIns(db: CaseDb, heldAtMost: number): Map<number, SignIns> | null {
  const rows = stmt(db, SIGN_INS).raw().all(heldAtMost + 1) as [number, number, number][];
  if (rows.length > heldAtMost) return null;
  const byIdentity = new Map<number, SignIns>();
  for (const [identity, time, row] of rows) {
    let own = byIdentity.get(identity);
    if (!own) byIdentity.set(identity, own = { times: [], rows: [] });
    own.times.push(time);
    own.rows.push(row);
  }
  return byIdentity;
}

function issuedBy(eventId: string, time: number): IssuedBy {
  return { eventId, eventName: 'ConsoleLogin', eventTime: isoInstant(time) };
}
