// Splunk exports of CloudTrail (the AWS add-on's aws:cloudtrail events): the JSON export writes one
// {"preview":false,"offset":N,"result":{…}} per line, the REST results endpoint one document
// {"results":[…]}, the CSV export one row per event. A result carries the record as text in _raw and
// the event time in _time; a `table` export has only the extracted fields (userIdentity.arn,
// resources{}.ARN), from which the record is rebuilt.
import { isFlattenedRecord, unflatten } from './flat-fields.ts';
import { jsonRecordIn } from './json-record.ts';

export const VIA_RAW = 'Splunk export: record from _raw';
export const VIA_FIELDS = 'Splunk export: record rebuilt from extracted fields (no _raw column)';
const AND_TIME = ', time from _time';

/** A line of the JSON export, or null. */
export function resultOfExportLine(o: Record<string, unknown>): Record<string, unknown> | null {
  const result = o.result;
  return 'preview' in o && typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : null;
}

/** The results of a REST results document ({preview, init_offset, fields, results}), or null. */
export function resultsOfDocument(o: Record<string, unknown>): unknown[] | null {
  return Array.isArray(o.results) && ('preview' in o || 'init_offset' in o || 'fields' in o) ? o.results : null;
}

/** A Splunk result: _raw, or _time with Splunk's own fields or CloudTrail's (a `table` of them). */
export function isSplunkResult(o: Record<string, unknown>): boolean {
  return (
    typeof o._raw === 'string' ||
    ('_time' in o && ('sourcetype' in o || '_cd' in o || 'splunk_server' in o || '_serial' in o || 'eventName' in o || 'eventSource' in o))
  );
}

/** The record of a result, and how it was read; null when neither _raw nor the fields hold one. */
export function splunkRecord(result: Record<string, unknown>): { record: Record<string, unknown>; via: string } | null {
  let via = VIA_RAW;
  let record = typeof result._raw === 'string' ? jsonRecordIn(result._raw) : null;
  if (!record && (isFlattenedRecord(result) || 'eventName' in result)) {
    // Splunk's own fields (_time, host, source, tag::…) are not part of the record.
    record = unflatten(result, (key) => key.startsWith('_') || key.includes('::') || SPLUNK_FIELDS.has(key));
    via = VIA_FIELDS;
  }
  if (!record) return null;
  if (record.eventTime === undefined && typeof result._time === 'string') {
    record.eventTime = result._time;
    via += AND_TIME;
  }
  return { record, via };
}

const SPLUNK_FIELDS = new Set(['host', 'source', 'sourcetype', 'index', 'linecount', 'splunk_server', 'punct', 'eventtype', 'tag', 'timestartpos', 'timeendpos', 'date_hour', 'date_mday', 'date_minute', 'date_month', 'date_second', 'date_wday', 'date_year', 'date_zone']);
