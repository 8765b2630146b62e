// A CloudTrail record held as JSON text inside an exported field (Splunk's _raw, Elastic's
// event.original, a query column). Syslog-style forwarders put a header before the JSON, so the text
// is read from its first '{'.
import { looksLikeCloudTrailRecord } from '../classify.ts';

export function jsonRecordIn(text: string): Record<string, unknown> | null {
  const start = text.indexOf('{');
  if (start < 0 || start > 1024) return null;
  try {
    const v = JSON.parse(text.slice(start)) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && looksLikeCloudTrailRecord(v as Record<string, unknown>)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
