// Which exported shape a JSON value (or a CSV row made into an object) is, and the CloudTrail record
// inside it. Detected from content only. Each reshaped record carries a note of how it was read; the
// source keeps its notes (sources.read_as) so an analyst can judge what was mapped.
import { looksLikeCloudTrailRecord, type Item } from '../classify.ts';
import { ecsRecord, hitsOf, isEcsCloudTrail, sourceOfHit } from './elastic.ts';
import { isFlattenedRecord, unflatten } from './flat-fields.ts';
import { jsonRecordIn } from './json-record.ts';
import { isOcsfCloudTrail, ocsfRecord } from './ocsf-cloudtrail.ts';
import { ocsfColumnsItem } from './ocsf-columns.ts';
import { isLogstashRecord, timeFromTimestamp, VIA_TIMESTAMP } from './logstash.ts';
import { isLowerCaseRecord, recordFromColumns } from './query-columns.ts';
import { athenaRows, lakeRows, VIA_ATHENA, VIA_LAKE } from './query-results.ts';
import { isSplunkResult, resultOfExportLine, resultsOfDocument, splunkRecord } from './splunk.ts';

type Reshaped = { record: Record<string, unknown>; via: string };

export const VIA_HIT = 'Elasticsearch hit: record from _source';
export const VIA_LOWER_CASE = 'query result (Athena or CloudTrail Lake): lower-case columns mapped to CloudTrail fields';
export const VIA_FLAT = 'flattened export: dotted field names rebuilt into the record';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when an object is an exported document holding one CloudTrail record (for array detection). */
export function isExportedRecord(o: Record<string, unknown>): boolean {
  return (
    isOcsfCloudTrail(o) ||
    sourceOfHit(o) !== null || resultOfExportLine(o) !== null || isSplunkResult(o) || isEcsCloudTrail(o) ||
    (isLogstashRecord(o) && looksLikeCloudTrailRecord(o)) || isLowerCaseRecord(o) || isFlattenedRecord(o)
  );
}

/** The CloudTrail record an exported document holds, or null when it is no export Trailscope knows. */
export function reshapeExported(o: Record<string, unknown>, depth = 0): Reshaped | null {
  // First: Security Lake's exports are told apart by two keys, where the others walk the document.
  if (isOcsfCloudTrail(o)) return ocsfRecord(o);
  const source = sourceOfHit(o);
  if (source) {
    const inner = depth < 2 ? reshapeExported(source, depth + 1) : null;
    if (inner) return inner;
    return looksLikeCloudTrailRecord(source) ? { record: source, via: VIA_HIT } : null;
  }
  const line = resultOfExportLine(o);
  if (line) return splunkRecord(line);
  if (isSplunkResult(o)) return splunkRecord(o);
  if (isEcsCloudTrail(o)) return ecsRecord(o);
  if (isLogstashRecord(o) && looksLikeCloudTrailRecord(o)) {
    timeFromTimestamp(o);
    return { record: o, via: VIA_TIMESTAMP };
  }
  if (isLowerCaseRecord(o)) return { record: recordFromColumns(o), via: VIA_LOWER_CASE };
  if (isFlattenedRecord(o)) return { record: unflatten(o), via: VIA_FLAT };
  return null;
}

/** The record of one exported document as an item, or null when it is not an exported document. */
export function exportedItem(o: Record<string, unknown>): Item | null {
  const r = reshapeExported(o);
  return r ? { t: 'rec', v: r.record, via: r.via } : null;
}

/**
 * Containers of exported records: an Elasticsearch search response, Splunk's results document,
 * Athena's and CloudTrail Lake's GetQueryResults output. Null when `o` is none of them.
 */
export function exportedContainerItems(o: Record<string, unknown>, prefix: string): Item[] | null {
  const at = (i: number) => (prefix ? `${prefix}, record ${i + 1}` : `record ${i + 1}`);
  const hits = hitsOf(o);
  if (hits) return [{ t: 'kind', kind: 'cloudtrail' }, ...hits.map((h, i) => elementItem(h, at(i), 'Elasticsearch hit'))];
  const results = resultsOfDocument(o);
  if (results) return [{ t: 'kind', kind: 'cloudtrail' }, ...results.map((r, i) => elementItem(r, at(i), 'Splunk result'))];
  const athena = athenaRows(o);
  const lake = athena ? null : lakeRows(o);
  const rows = athena ?? lake;
  if (rows) {
    const via = athena ? VIA_ATHENA : VIA_LAKE;
    const items = rows.map((row, i): Item => {
      if ('error' in row) return { t: 'rej', r: { position: at(i), reason: row.error } };
      if ('columns' in row) return ocsfColumnsItem(row.columns, at(i));
      return { t: 'rec', v: recordOrColumn(row.record), via };
    });
    // A query over Security Lake's flow log or findings table gives flow records or findings.
    const first = items[0]?.t;
    return [{ t: 'kind', kind: first === 'flow' ? 'flowlog' : first === 'finding' ? 'findings:ocsf' : 'cloudtrail' }, ...items];
  }
  return null;
}

function elementItem(v: unknown, pos: string, what: string): Item {
  if (isObject(v)) {
    const item = exportedItem(v);
    if (item) return item;
    if (looksLikeCloudTrailRecord(v)) return { t: 'rec', v };
  }
  return { t: 'rej', r: { position: pos, reason: `${what} that holds no CloudTrail record` } };
}

/** A query that selected the whole record as one JSON column (Lake's eventjson, a _raw column) gives that record. */
function recordOrColumn(row: Record<string, unknown>): Record<string, unknown> {
  if ('eventName' in row || 'eventSource' in row) return row;
  for (const v of Object.values(row)) {
    const record = typeof v === 'string' ? jsonRecordIn(v) : null;
    if (record) return record;
  }
  return row;
}
