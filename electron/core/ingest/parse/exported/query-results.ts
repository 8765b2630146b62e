// Query results over CloudTrail as the AWS CLI prints them. Athena GetQueryResults:
// {"ResultSet":{"Rows":[{"Data":[{"VarCharValue":…}]}],"ResultSetMetadata":{"ColumnInfo":[{"Name":…}]}}},
// whose first row repeats the column names. CloudTrail Lake GetQueryResults:
// {"QueryStatus":…, "QueryResultRows":[[{"eventid":…},{"useridentity":…}], …]}, one single-key
// object per column. Each row becomes the record its columns describe (query-columns.ts).
import { recordFromColumns } from './query-columns.ts';
import { setOwn } from './own-field.ts';
import { isOcsfColumns } from './ocsf-columns.ts';

export const VIA_ATHENA = 'Athena query result: columns mapped to CloudTrail fields, struct text parsed';
export const VIA_LAKE = 'CloudTrail Lake query result: columns mapped to CloudTrail fields, struct text parsed';

/** A row's record; or its columns when they are a Security Lake table's (ocsf-columns.ts); or why it is none. */
type Row = { record: Record<string, unknown> } | { columns: Record<string, unknown> } | { error: string };

/** The rows of an Athena GetQueryResults document, or null when it is not one. */
export function athenaRows(o: Record<string, unknown>): Row[] | null {
  const set = o.ResultSet;
  if (typeof set !== 'object' || set === null || Array.isArray(set)) return null;
  const rows = (set as Record<string, unknown>).Rows;
  if (!Array.isArray(rows)) return null;
  const info = (set as { ResultSetMetadata?: { ColumnInfo?: unknown } }).ResultSetMetadata?.ColumnInfo;
  const cells = (row: unknown): (string | undefined)[] => {
    const data = (row as { Data?: unknown } | null)?.Data;
    return Array.isArray(data) ? data.map((d) => (typeof d?.VarCharValue === 'string' ? d.VarCharValue : undefined)) : [];
  };
  let names = Array.isArray(info) ? info.map((c) => String((c as { Name?: unknown })?.Name ?? '')) : null;
  let body = rows;
  // Without metadata the first row is the header; with it, the first row of the first page repeats it.
  if (names === null) {
    names = cells(rows[0]).map((c) => c ?? '');
    body = rows.slice(1);
  } else if (rows.length > 0 && cells(rows[0]).every((c, i) => c === names![i])) body = rows.slice(1);
  return body.map((row) => {
    const values = cells(row);
    const obj: Record<string, unknown> = {};
    names!.forEach((n, i) => setOwn(obj, n.toLowerCase(), values[i]));
    return isOcsfColumns(obj) ? { columns: obj } : { record: recordFromColumns(obj) };
  });
}

/** The rows of a CloudTrail Lake GetQueryResults document, or null when it is not one. */
export function lakeRows(o: Record<string, unknown>): Row[] | null {
  if (!Array.isArray(o.QueryResultRows)) return null;
  return o.QueryResultRows.map((row): Row => {
    if (!Array.isArray(row)) return { error: 'query result row is not a list of columns' };
    const obj: Record<string, unknown> = {};
    for (const cell of row) {
      if (typeof cell === 'object' && cell !== null && !Array.isArray(cell)) {
        for (const [k, v] of Object.entries(cell)) setOwn(obj, k, v);
      }
    }
    return { record: recordFromColumns(obj) };
  });
}
