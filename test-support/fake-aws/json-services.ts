// CloudTrail, CloudWatch Logs and Athena as awsJson1_1 handlers over a FakeAccount. Test support only.
import type { FakeAccount, CloudTrailRecord } from './account.ts';

export type JsonReply = { status: number; body: unknown; errorType?: string };
type Handler = (account: FakeAccount, region: string, input: Record<string, unknown>, state: JsonState) => JsonReply;

export type JsonState = {
  queries: Map<string, { query: string; database: string; workgroup: string; polls: number }>;
  lookupPageSize: number;
  logsPageSize: number;
  athenaPageSize: number;
};

export const clientError = (type: string, message: string, status = 400): JsonReply => ({
  status,
  errorType: type,
  body: { __type: type, message },
});

const toSeconds = (v: unknown): number | undefined => (typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : undefined);
const encodeToken = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64');
const decodeToken = (t: unknown): Record<string, unknown> | null => {
  if (typeof t !== 'string') return null;
  try {
    return JSON.parse(Buffer.from(t, 'base64').toString('utf8'));
  } catch {
    return null;
  }
};

const lookupEvents: Handler = (account, region, input, state) => {
  const start = toSeconds(input.StartTime) ?? 0;
  const end = toSeconds(input.EndTime) ?? Number.MAX_SAFE_INTEGER;
  const max = Math.min(Number(input.MaxResults ?? 50), 50, state.lookupPageSize);
  let offset = 0;
  if (input.NextToken !== undefined) {
    const token = decodeToken(input.NextToken);
    // The real service refuses a token reused with other parameters.
    if (!token || token.s !== start || token.e !== end) return clientError('InvalidNextTokenException', 'Invalid NextToken');
    offset = Number(token.o);
  }
  // LookupEvents returns the newest events first.
  const all = (account.events.get(region) ?? []).filter((r) => {
    const t = Date.parse(r.eventTime);
    return t >= start && t <= end;
  });
  all.reverse();
  const page = all.slice(offset, offset + max);
  const next = offset + max < all.length ? encodeToken({ o: offset + max, s: start, e: end }) : undefined;
  return {
    status: 200,
    body: {
      Events: page.map((r: CloudTrailRecord) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        ReadOnly: String(r.readOnly),
        AccessKeyId: (r.userIdentity as { accessKeyId?: string })?.accessKeyId,
        EventTime: Date.parse(r.eventTime) / 1000,
        EventSource: r.eventSource,
        Username: (r.userIdentity as { userName?: string })?.userName,
        Resources: [],
        CloudTrailEvent: JSON.stringify(r),
      })),
      ...(next ? { NextToken: next } : {}),
    },
  };
};

const describeTrails: Handler = (account) => ({ status: 200, body: { trailList: account.trails } });

/** The keys valid at some time in [StartTime, EndTime]; blobs are base64 and times epoch seconds in awsJson1_1. */
const listPublicKeys: Handler = (account, _region, input) => {
  const start = toSeconds(input.StartTime) ?? 0;
  const end = toSeconds(input.EndTime) ?? Date.now();
  const keys = account.publicKeys.filter((k) => k.validFrom.getTime() <= end && k.validUntil.getTime() >= start);
  return {
    status: 200,
    body: {
      PublicKeyList: keys.map((k) => ({ Value: k.der.toString('base64'), ValidityStartTime: k.validFrom.getTime() / 1000, ValidityEndTime: k.validUntil.getTime() / 1000, Fingerprint: k.fingerprint })),
    },
  };
};

const filterLogEvents: Handler = (account, region, input, state) => {
  const group = account.logGroups.get(region)?.get(String(input.logGroupName));
  if (!group) return clientError('ResourceNotFoundException', 'The specified log group does not exist.');
  const start = Number(input.startTime ?? 0);
  const end = Number(input.endTime ?? Number.MAX_SAFE_INTEGER);
  const matching = group.filter((e) => e.timestamp >= start && e.timestamp <= end);
  const offset = Number(decodeToken(input.nextToken)?.o ?? 0);
  const max = Math.min(Number(input.limit ?? 10_000), state.logsPageSize);
  const page = matching.slice(offset, offset + max);
  const next = offset + max < matching.length ? encodeToken({ o: offset + max }) : undefined;
  return {
    status: 200,
    body: {
      events: page.map((e) => ({ ...e, ingestionTime: e.timestamp + 60_000 })),
      searchedLogStreams: [],
      ...(next ? { nextToken: next } : {}),
    },
  };
};

let queryCounter = 0;
const startQueryExecution: Handler = (_account, _region, input, state) => {
  const id = `q-${++queryCounter}-${Date.now().toString(36)}`;
  const context = (input.QueryExecutionContext ?? {}) as { Database?: string };
  state.queries.set(id, { query: String(input.QueryString ?? ''), database: context.Database ?? '', workgroup: String(input.WorkGroup ?? 'primary'), polls: 0 });
  return { status: 200, body: { QueryExecutionId: id } };
};

const getQueryExecution: Handler = (_account, _region, input, state) => {
  const q = state.queries.get(String(input.QueryExecutionId));
  if (!q) return clientError('InvalidRequestException', 'QueryExecution not found');
  q.polls++;
  // Running on the first poll, as a real query would be.
  const done = q.polls > 1;
  return {
    status: 200,
    body: {
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        Query: q.query,
        WorkGroup: q.workgroup,
        Status: { State: done ? 'SUCCEEDED' : 'RUNNING', SubmissionDateTime: Date.now() / 1000 },
        Statistics: { DataScannedInBytes: 1024 },
      },
    },
  };
};

/** Emulates the columns of AWS's CloudTrail table: lower-case struct fields, JSON strings for parameters. */
function athenaValue(column: string, r: CloudTrailRecord): string | undefined {
  const lower = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(lower) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lower(x)])) : v;
  const key = Object.keys(r).find((k) => k.toLowerCase() === column);
  if (!key) return undefined;
  const v = r[key];
  if (v === null || v === undefined) return undefined;
  if (column === 'useridentity' || column === 'resources') return JSON.stringify(lower(v));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const getQueryResults: Handler = (account, _region, input, state) => {
  const q = state.queries.get(String(input.QueryExecutionId));
  if (!q) return clientError('InvalidRequestException', 'QueryExecution not found');
  const select = /select\s+([\s\S]+?)\s+from\s/i.exec(q.query)?.[1] ?? '';
  const columns = select.split(/,(?![^()]*\))/).map((c) => {
    const alias = /\bas\s+(\w+)\s*$/i.exec(c.trim())?.[1];
    return (alias ?? c.trim()).toLowerCase();
  });
  const after = /eventtime\s*>=\s*'([^']+)'/i.exec(q.query)?.[1];
  const before = /eventtime\s*<\s*'([^']+)'/i.exec(q.query)?.[1];
  const names = /eventname\s+in\s*\(([^)]*)\)/i.exec(q.query)?.[1]?.match(/'([^']*)'/g)?.map((s) => s.slice(1, -1));
  const rows = [...account.events.values()].flat().filter((r) => {
    if (after && r.eventTime < after) return false;
    if (before && r.eventTime >= before) return false;
    if (names && !names.includes(r.eventName)) return false;
    return true;
  });
  const offset = Number(decodeToken(input.NextToken)?.o ?? 0);
  const max = Math.min(Number(input.MaxResults ?? 1000), state.athenaPageSize);
  const page = rows.slice(offset, offset + max).map((r) => ({ Data: columns.map((c) => ({ VarCharValue: athenaValue(c, r) })) }));
  // The first page starts with the header row, as Athena's does.
  if (offset === 0) page.unshift({ Data: columns.map((c) => ({ VarCharValue: c })) });
  const next = offset + max < rows.length ? encodeToken({ o: offset + max }) : undefined;
  return {
    status: 200,
    body: {
      ResultSet: { Rows: page, ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) } },
      UpdateCount: 0,
      ...(next ? { NextToken: next } : {}),
    },
  };
};

export const JSON_HANDLERS: Record<string, Record<string, Handler>> = {
  cloudtrail: { LookupEvents: lookupEvents, DescribeTrails: describeTrails, ListPublicKeys: listPublicKeys },
  logs: { FilterLogEvents: filterLogEvents },
  athena: { StartQueryExecution: startQueryExecution, GetQueryExecution: getQueryExecution, GetQueryResults: getQueryResults },
};
