// Console sessions: a ConsoleLogin opens a session whose calls carry a temporary key that no recorded
// call issued (the console's own). The sign-in of the same identity shortly before the first such call
// is the event that opened it: its time, address and MFA are what an investigator checks next. Tied by
// identity and time only, so it annotates the chain (issuedBy) and proves nothing.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { IssuedBy } from './resolve-chain.ts';
import { isoInstant } from '../../../../shared/iso-time.ts';

/** A console session lasts at most 12 hours (the longest role session the console grants). */
const CONSOLE_SESSION_MS = 12 * 3600 * 1000;

// (event_name, event_time) index range, then the identity on the interned id. A failed sign-in carries
// an error message (and responseElements.ConsoleLogin "Failure"): it opened nothing.
const SIGN_IN = `SELECT r.event_id AS eventId, r.event_time AS time FROM event_rows r
  WHERE r.event_name = (SELECT id FROM strings WHERE value = 'ConsoleLogin') AND r.event_time BETWEEN ? AND ?
    AND r.identity_arn = (SELECT id FROM strings WHERE value = ?) AND r.error_code IS NULL AND r.error_message IS NULL
  ORDER BY r.event_time DESC, r.event_id DESC LIMIT 1`;

export function consoleSignInBefore(db: CaseDb, identityArn: string, at: number | null): IssuedBy | undefined {
  if (at === null) return undefined;
  const row = stmt(db, SIGN_IN).get(at - CONSOLE_SESSION_MS, at, identityArn) as { eventId: string; time: number } | undefined;
  return row && { eventId: row.eventId, eventName: 'ConsoleLogin', eventTime: isoInstant(row.time) };
}
