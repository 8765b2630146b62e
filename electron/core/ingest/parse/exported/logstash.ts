// Logstash output of CloudTrail: its cloudtrail codec moves eventTime into @timestamp (and the json
// output adds @version), so a record arrives whole but for its time. Only a record without eventTime
// takes @timestamp: a Logstash pipeline that kept eventTime stamps @timestamp with the ingest time.
import { parseAwsTime } from '../../normalize/time.ts';

export const VIA_TIMESTAMP = 'Logstash export: time from @timestamp';

export function isLogstashRecord(o: Record<string, unknown>): boolean {
  return o.eventTime === undefined && (typeof o['@timestamp'] === 'string' || typeof o['@timestamp'] === 'number');
}

/**
 * Fills eventTime from @timestamp (an epoch number when numeric, read as every time is); the record
 * keeps both. A number that is no time stays as it is, and the record is rejected for it alone.
 */
export function timeFromTimestamp(record: Record<string, unknown>): void {
  const t = record['@timestamp'];
  const ms = typeof t === 'number' ? parseAwsTime(t) : null;
  record.eventTime = ms === null ? t : new Date(ms).toISOString();
}
