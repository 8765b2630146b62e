// Logstash output of CloudTrail: its cloudtrail codec moves eventTime into @timestamp (and the json
// output adds @version), so a record arrives whole but for its time. Only a record without eventTime
// takes @timestamp: a Logstash pipeline that kept eventTime stamps @timestamp with the ingest time.

export const VIA_TIMESTAMP = 'Logstash export: time from @timestamp';

export function isLogstashRecord(o: Record<string, unknown>): boolean {
  return o.eventTime === undefined && (typeof o['@timestamp'] === 'string' || typeof o['@timestamp'] === 'number');
}

/** Fills eventTime from @timestamp (epoch milliseconds when numeric); the record keeps both. */
export function timeFromTimestamp(record: Record<string, unknown>): void {
  const t = record['@timestamp'];
  record.eventTime = typeof t === 'number' ? new Date(t).toISOString() : t;
}
