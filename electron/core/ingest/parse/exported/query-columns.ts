// A row of a query over CloudTrail (Athena's CloudTrail table, a CloudTrail Lake event data store)
// back to a CloudTrail record. Both lower-case every name (eventtime, useridentity.principalid); CSV
// and JSON results print structs and maps as text ({type=IAMUser, …}) or, cast to JSON, as JSON
// strings; requestparameters and responseelements are JSON text (Athena) or maps (Lake).
import { cloudTrailName, DOCUMENT_FIELDS, restoreNames } from './field-names.ts';
import { setOwn } from './own-field.ts';
import { parseStructText } from './struct-text.ts';

const BOOLEAN_FIELDS = new Set(['readOnly', 'managementEvent', 'sessionCredentialFromConsole']);
/** Columns holding a struct or an array of structs; any other text (a user agent in brackets…) stays text. */
const STRUCT_FIELDS = new Set(['userIdentity', 'resources', 'tlsDetails', 'addendum', 'edgeDeviceDetails', 'insightDetails']);

/** True when a row's columns are CloudTrail fields in lower case (eventname, eventsource, eventtime…). */
export function isLowerCaseRecord(o: Record<string, unknown>): boolean {
  return ('eventname' in o || 'eventsource' in o) && 'eventtime' in o && !('eventName' in o);
}

/** The CloudTrail record of one result row, keyed by column name. Empty and null cells are left out. */
export function recordFromColumns(row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === undefined || value === null || value === '') continue;
    const name = cloudTrailName(column) ?? column;
    setOwn(record, name, fieldValue(name, value));
  }
  return record;
}

function fieldValue(name: string, value: unknown): unknown {
  if (BOOLEAN_FIELDS.has(name)) return value === 'true' ? true : value === 'false' ? false : value;
  if (DOCUMENT_FIELDS.has(name)) return typeof value === 'string' ? documentValue(value) : value;
  if (typeof value === 'string') {
    if (!STRUCT_FIELDS.has(name)) return value;
    const parsed = parseStructText(value);
    return parsed === undefined ? value : restoreNames(parsed, name === 'resources');
  }
  return typeof value === 'object' ? restoreNames(value, name === 'resources') : value;
}

/** requestParameters and friends: JSON text (Athena), or a map printed as {key=value} whose values may be JSON (Lake). */
function documentValue(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      const map = parseStructText(t);
      if (map !== undefined && map !== null && typeof map === 'object' && !Array.isArray(map)) {
        return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? jsonOrText(v) : v]));
      }
      return map ?? text;
    }
  }
  return text;
}

function jsonOrText(v: string): unknown {
  const t = v.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}
