// The distinct values of an indexed column, by seeking the next one each time (a loose index scan):
// as many seeks as values, where DISTINCT or GROUP BY reads every entry of the index (a million for
// the event names or regions of a million-event case, which hold a few dozen values).

/** An index whose leading column (after the fixed `prefix` of the `where`, if any) is `column`. */
type Indexed =
  | { table: 'event_rows'; column: 'account_id' | 'aws_region' | 'event_name' } // event_rows_account_time, event_rows_region, event_rows_name_time
  | { table: 'actor_facet_rows'; column: 'value'; where: "facet = 'region'" }; // actor_facets_value (facet, value)

/**
 * SQL answering one column `x`: the distinct values, ascending, NULL left out; at most `limit` of them,
 * the first, when given (the recursion stops there: a hostile case's million regions cost `limit` seeks).
 */
export function distinctOnIndex(on: Indexed, limit?: number): string {
  const where = 'where' in on ? `${on.where} AND ` : '';
  const first = 'where' in on ? ` WHERE ${on.where}` : '';
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) throw new Error(`a limit of distinct values is a positive integer, not ${limit}`);
  return `WITH RECURSIVE v(x) AS (SELECT (SELECT min(${on.column}) FROM ${on.table}${first})
    UNION ALL SELECT (SELECT min(${on.column}) FROM ${on.table} WHERE ${where}${on.column} > v.x) FROM v WHERE v.x IS NOT NULL${limit === undefined ? '' : ` LIMIT ${limit}`})
    SELECT x FROM v WHERE x IS NOT NULL`;
}
