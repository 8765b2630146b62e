// A record whose eventID the case already holds is a copy: CloudTrail delivers some events twice, an
// organisation trail and an account's own trail both hold them, a LookupEvents pull and the S3 files of
// the same days overlap. A copy is not stored again. But a copy that says something else (another
// caller, address, call, time or outcome under the same eventID) is not a copy: evidence edited on its
// way (a SIEM, a bucket someone else could write to) or forged. The case keeps the first read, which
// depends on the order the files were read in, so the other is reported on its own source as a
// rejected record naming the fields that differ (never their values: reasons never quote the input),
// and the investigator compares both.
//
// Only what both copies give is compared: an export that drops a field (a rebuild from a SIEM's
// extracted fields without the user agent) differs by losing it, not by saying something else. The
// error is the exception: a call without one succeeded, so an error added or taken away changes what
// happened. A record given an id from its content (derived-event-id.ts) is a copy only of an equal record.
import type { NormalizedEvent } from './types.ts';

/** The stored event's columns compared, as ids into strings (its time as milliseconds). */
export const STORED_COLUMNS = `event_time, event_source, event_name, aws_region, account_id, identity_arn, access_key_id,
  source_ip, user_agent, error_code`;

export type StoredColumns = [time: number, ...ids: (number | null)[]];

/**
 * Each compared text of a normalized event, in STORED_COLUMNS' order after the time, the name a reason
 * gives it, and whether its absence says something (compared when one copy lacks it).
 */
const TEXTS: [field: keyof NormalizedEvent, name: string, absenceSays: boolean][] = [
  ['eventSource', 'event source', false], ['eventName', 'event name', false], ['awsRegion', 'region', false], ['accountId', 'account', false],
  ['identityArn', 'identity', false], ['accessKeyId', 'access key', false], ['sourceIp', 'source address', false],
  ['userAgent', 'user agent', false], ['errorCode', 'error', true],
];

/**
 * The fields in which `e` says something else than the stored event of its eventID (`stored`, a row of
 * STORED_COLUMNS), named; empty for a copy. `find` gives a text's id, or null when no event holds it.
 */
export function differingFields(e: NormalizedEvent, stored: StoredColumns, find: (text: string) => number | null): string[] {
  if (e.eventIdDerived) return [];
  const differ: string[] = [];
  if (e.eventTime !== stored[0]) differ.push('time');
  TEXTS.forEach(([field, name, absenceSays], i) => {
    const text = e[field] as string | null;
    const storedId = stored[i + 1] ?? null;
    const bothGive = text !== null && storedId !== null;
    if (bothGive ? find(text) !== storedId : absenceSays && (text === null) !== (storedId === null)) differ.push(name);
  });
  return differ;
}

/** The rejection's reason for a record that differs from the stored event of its eventID in these fields. */
export function conflictReason(fields: readonly string[]): string {
  return `its eventID is already stored from a record that differs in ${fields.join(', ')}: the first read is kept, this one is not stored (compare both)`;
}
