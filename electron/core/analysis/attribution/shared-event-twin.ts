// A cross-account AssumeRole is recorded twice: in the role owner's trail, where the caller is only
// "AWSAccount <id>", and in the caller's own trail, with the full identity (user or role session and its
// key). CloudTrail gives both copies one sharedEventID. The credentials table keeps the copy ingested
// first, so when that is the owner's copy, the caller's copy is found here and names who asked: the
// same call, so the link stays proven.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import type { IssuedCredentialRow } from './resolve-chain.ts';

type TwinCaller = Pick<IssuedCredentialRow, 'callerArn' | 'callerType' | 'callerKey' | 'callerIp'>;

// Both copies carry the same call name and time; the (event_name, event_time) index finds the few
// candidates, then sharedEventID picks the twin. The caller's copy is the one naming an ARN. Its four
// texts are joined here rather than through the events view, and the values compared for equality are
// written `+?`: asked once per cross-account key of a churned account, a join compared with bare values
// is prepared again by SQLite at every ask (prepared.ts), 65 µs a call here against 12.
const TWIN = `SELECT arn.value AS callerArn, type.value AS callerType, k.value AS callerKey, ip.value AS callerIp
  FROM event_rows r JOIN strings arn ON arn.id = r.identity_arn LEFT JOIN strings type ON type.id = r.identity_type
    LEFT JOIN strings k ON k.id = r.access_key_id LEFT JOIN strings ip ON ip.id = r.source_ip
  WHERE r.event_name = (SELECT id FROM strings WHERE value = ?) AND r.event_time = +?
    AND r.shared_event_id = +? AND r.event_id <> ? AND r.identity_arn IS NOT NULL
  ORDER BY r.event_id LIMIT 1`;
const SHARED_ID = `SELECT shared_event_id FROM event_rows WHERE event_id = ?`;

/** Only the owner's copy, naming no caller but an account, has a twin to look for. */
export function mayHaveTwin(row: IssuedCredentialRow): boolean {
  return row.callerArn === null && row.callerType === 'AWSAccount' && !!row.eventId && !!row.eventName && row.eventTime !== null;
}

/** The caller named by the other account's copy of a credential's issuing call, or the row unchanged. */
export function withTwinCaller(db: CaseDb, row: IssuedCredentialRow): IssuedCredentialRow {
  if (!mayHaveTwin(row)) return row;
  const shared = stmt(db, SHARED_ID).pluck().get(row.eventId) as string | null | undefined;
  if (!shared) return row;
  const twin = stmt(db, TWIN).get(row.eventName, row.eventTime, shared, row.eventId) as TwinCaller | undefined;
  if (!twin || !twin.callerArn) return row;
  return { ...row, ...twin, sharedEventId: shared };
}
