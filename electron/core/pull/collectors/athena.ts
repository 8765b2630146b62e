// The Athena slice: for organisations whose trails are too large to copy, a scoped query runs where
// the data lives (AWS's CloudTrail table with partition projection) and only its rows come into the
// case, rebuilt as CloudTrail records and stored like any other events.
import { StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import type { PullContext } from '../context.ts';
import { sha256 } from '../case-sink.ts';
import { abortableSleep } from '../sleep.ts';
import type { AthenaOptions } from '../types.ts';
import type { RecordRejection } from '../../ingest/types.ts';
import { recordFromColumns } from '../../ingest/parse/exported/query-columns.ts';

const COLUMNS = [
  'eventversion', 'eventid', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent',
  'errorcode', 'errormessage', 'requestid', 'eventtype', 'readonly', 'recipientaccountid', 'sharedeventid',
  'requestparameters', 'responseelements', 'additionaleventdata',
];
const STRUCTS = ['useridentity', 'resources'];

/** Values go into SQL string literals: quotes doubled, and anything but plain identifier characters refused. */
function literal(value: string): string {
  if (!/^[\w:/.@+=,*-]{1,256}$/.test(value)) throw new Error(`refusing Athena filter value ${JSON.stringify(value.slice(0, 40))}`);
  return `'${value.replace(/'/g, "''")}'`;
}
const ident = (name: string) => {
  if (!/^[A-Za-z_][\w]*$/.test(name)) throw new Error(`not an Athena identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
};

export function buildAthenaQuery(options: AthenaOptions, since: Date, until: Date): string {
  const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '/');
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const where = [
    // Partition projection: the timestamp partition limits what Athena scans (and what it costs).
    `"timestamp" BETWEEN ${literal(day(since))} AND ${literal(day(until))}`,
    `eventtime >= ${literal(iso(since))}`,
    `eventtime < ${literal(iso(until))}`,
  ];
  const any: string[] = [];
  if (options.principals?.length) {
    const list = options.principals.map(literal).join(', ');
    any.push(`useridentity.arn IN (${list}) OR useridentity.username IN (${list}) OR useridentity.sessioncontext.sessionissuer.arn IN (${list})`);
  }
  if (options.resources?.length) {
    for (const r of options.resources) {
      any.push(`strpos(coalesce(requestparameters, ''), ${literal(r)}) > 0 OR strpos(coalesce(responseelements, ''), ${literal(r)}) > 0`);
    }
  }
  if (any.length) where.push(`(${any.join(' OR ')})`);
  if (options.eventNames?.length) where.push(`eventname IN (${options.eventNames.map(literal).join(', ')})`);
  const select = [...COLUMNS, ...STRUCTS.map((s) => `json_format(CAST(${s} AS JSON)) AS ${s}`)].join(', ');
  return `SELECT ${select} FROM ${ident(options.database)}.${ident(options.table)} WHERE ${where.join(' AND ')}`;
}

export async function pullAthenaSlice(ctx: PullContext, region: string) {
  const options = ctx.options.athena!;
  const tracker = ctx.track('cloudtrail:athena', region);
  return tracker.run(async () => {
    const athena = ctx.clients.athena(region);
    const query = buildAthenaQuery(options, ctx.since, ctx.until);
    const key = `pull:${ctx.account}:athena:${sha256(query)}`;
    const path = `aws://${ctx.account}/${region}/athena/${options.database}.${options.table}#${sha256(query).slice(0, 12)}`;
    const sourceId = ctx.sink.startSource({ path, sha256: sha256(query), size: 0, kind: 'cloudtrail' });
    // A resumed pull reuses the finished query's results (kept by Athena) instead of scanning again.
    const saved = JSON.parse(ctx.sink.getCheckpoint(key) ?? 'null') as { id: string; token: string | null } | null;
    if (saved && saved.token === null) return ctx.sink.finishSource(sourceId, 'done');
    let id = saved?.id;
    let token = saved?.token ?? undefined;
    if (!id) {
      const started = await tracker.call('athena:StartQueryExecution', (signal) =>
        athena.send(
          new StartQueryExecutionCommand({
            QueryString: query,
            WorkGroup: options.workgroup,
            QueryExecutionContext: { Database: options.database },
            ...(options.outputLocation ? { ResultConfiguration: { OutputLocation: options.outputLocation } } : {}),
          }),
          { abortSignal: signal },
        ),
      );
      id = started.QueryExecutionId!;
      for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
        const state = await tracker.call('athena:GetQueryExecution', (signal) => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal }));
        const s = state.QueryExecution?.Status;
        if (s?.State === 'SUCCEEDED') break;
        if (s?.State === 'FAILED' || s?.State === 'CANCELLED') throw new Error(`Athena query ${s.State.toLowerCase()}: ${s.StateChangeReason ?? ''}`);
        tracker.progress.message = `query ${s?.State?.toLowerCase() ?? 'queued'}`;
        tracker.emit();
        await abortableSleep(wait, ctx.signal);
      }
    }
    let columns: string[] | null = null;
    let first = !token;
    do {
      const page = await tracker.call('athena:GetQueryResults', (signal) =>
        athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }), { abortSignal: signal }),
      );
      columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => (c.Name ?? '').toLowerCase());
      const rows = page.ResultSet?.Rows ?? [];
      // The first page's first row repeats the column names.
      if (first) rows.shift();
      first = false;
      const records: unknown[] = [];
      const rejected: RecordRejection[] = [];
      for (const row of rows) {
        const values = Object.fromEntries(columns.map((c, i) => [c, row.Data?.[i]?.VarCharValue]));
        records.push(recordFromColumns(values)); // the same mapping as an imported Athena result
      }
      token = page.NextToken;
      tracker.added(ctx.sink.writeCloudTrail(sourceId, records, rejected, { key, value: JSON.stringify({ id, token: token ?? null }) }));
    } while (token);
    ctx.sink.finishSource(sourceId, 'done');
  });
}
