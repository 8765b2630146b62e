// A local fake of the AWS services a pull talks to, on 127.0.0.1 and a random port, speaking the
// wire protocols the SDK uses: awsJson1_1 (CloudTrail with ListPublicKeys, CloudWatch Logs, Athena), ec2Query and
// awsQuery with XML (EC2, IAM, STS) and S3 REST path-style. The service and region of a request come
// from its SigV4 credential scope, exactly as AWS routes it. Test support only: never used by the product.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FakeAccount } from './account.ts';
import { FaultPlan, maxInWindow, type FaultRule, type RequestRecord } from './faults.ts';
import { JSON_HANDLERS, clientError, type JsonReply, type JsonState } from './json-services.ts';
import { QUERY_HANDLERS, queryError, queryResponse, type XmlReply } from './query-services.ts';
import { escapeXml } from './xml.ts';

export type FakeAwsOptions = {
  /** Throttle LookupEvents beyond 2 requests per second per region, as CloudTrail does (default on). */
  enforceLookupLimit?: boolean;
  lookupPageSize?: number;
  logsPageSize?: number;
  athenaPageSize?: number;
  s3PageSize?: number;
  /** Operations answered with AccessDenied, as "service:Operation" (e.g. "ec2:DescribeInstances"). */
  denied?: string[];
};

export type FakeAws = {
  url: string;
  account: FakeAccount;
  faults: FaultPlan;
  requests: RequestRecord[];
  denied: Set<string>;
  addFault(rule: FaultRule): void;
  /** Arrival times of LookupEvents requests per region. */
  lookupTimes(): Map<string, number[]>;
  /** The most LookupEvents requests any region saw in any one-second window. */
  maxLookupsPerSecond(): number;
  close(): Promise<void>;
};

const now = () => performance.timeOrigin + performance.now();

function scopeOf(req: IncomingMessage): { service: string; region: string } {
  const auth = String(req.headers.authorization ?? '');
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  return m ? { region: m[1], service: m[2] } : { region: 'us-east-1', service: 'unknown' };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeAws(account: FakeAccount, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const faults = new FaultPlan();
  const requests: RequestRecord[] = [];
  const denied = new Set(options.denied ?? []);
  const enforce = options.enforceLookupLimit ?? true;
  const recentLookups = new Map<string, number[]>();
  const jsonState: JsonState = {
    queries: new Map(),
    lookupPageSize: options.lookupPageSize ?? 50,
    logsPageSize: options.logsPageSize ?? 100,
    athenaPageSize: options.athenaPageSize ?? 100,
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = now();
    const { service, region } = scopeOf(req);
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    let operation = 'unknown';
    let params = new URLSearchParams();
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') operation = target.split('.').pop() ?? 'unknown';
    else if (service === 's3') operation = req.method === 'GET' && url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : req.method === 'GET' ? 'GetObject' : req.method ?? 'unknown';
    else {
      params = new URLSearchParams(body.toString('utf8'));
      operation = params.get('Action') ?? 'unknown';
    }
    const record: RequestRecord = { service, operation, region, at, status: 200 };
    requests.push(record);

    // S3: the object's path, or the listed prefix, so a fault can stand for a policy on one prefix.
    const path = service === 's3' ? `${decodeURIComponent(url.pathname)} ${url.searchParams.get('prefix') ?? ''}` : undefined;
    const fault = faults.pick({ service, operation, region, path });
    if (fault?.kind === 'drop') {
      record.fault = 'drop';
      record.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') {
      record.fault = 'slow';
      // Held until the delay passes or the client gives up (a cancelled pull, a request timeout).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.delayMs ?? 2000);
        req.socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (req.socket.destroyed) return;
    }
    const rateLimited = service === 'cloudtrail' && operation === 'LookupEvents' && enforce && overLimit(region, at);
    const deniedHere = denied.has(`${service}:${operation}`) || fault?.kind === 'deny';
    const failure = rateLimited ? 'throttle' : deniedHere ? 'deny' : fault && fault.kind !== 'slow' ? fault.kind : undefined;
    if (failure) record.fault = rateLimited ? 'rate-limited' : fault?.kind ?? 'deny';

    if (typeof target === 'string') return sendJson(res, record, failure ? jsonFailure(failure) : runJson(service, operation, region, body));
    if (service === 's3') return sendS3(res, record, failure, operation, url);
    return sendXml(res, record, failure ? queryFailure(service, failure) : runQuery(service, operation, region, params));
  }

  function overLimit(region: string, at: number): boolean {
    const list = recentLookups.get(region) ?? [];
    const recent = list.filter((t) => at - t < 1000);
    recent.push(at);
    recentLookups.set(region, recent);
    return recent.length > 2;
  }

  function runJson(service: string, operation: string, region: string, body: Buffer): JsonReply {
    const handler = JSON_HANDLERS[service]?.[operation];
    if (!handler) return clientError('UnknownOperationException', `${service}:${operation} is not faked`);
    const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    return handler(account, region, input, jsonState);
  }

  function runQuery(service: string, operation: string, region: string, params: URLSearchParams): XmlReply {
    const handler = QUERY_HANDLERS[service]?.[operation];
    if (!handler) return queryError(service, 'InvalidAction', `${service}:${operation} is not faked`, 400);
    const out = handler(account, region, params);
    return 'xml' in out && 'status' in out ? (out as XmlReply) : queryResponse(service, operation, out);
  }

  function sendS3(res: ServerResponse, record: RequestRecord, failure: string | undefined, operation: string, url: URL): void {
    const s3Error = (status: number, code: string, message: string) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`);
    };
    if (failure === 'deny') return s3Error(403, 'AccessDenied', 'Access Denied');
    if (failure === 'throttle' || failure === 'request-limit') return s3Error(503, 'SlowDown', 'Please reduce your request rate.');
    if (failure === 'server-error') return s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
    const [, bucketName, ...keyParts] = url.pathname.split('/');
    const bucket = account.buckets.get(decodeURIComponent(bucketName ?? ''));
    if (!bucket) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (operation === 'ListObjectsV2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const max = Math.min(Number(url.searchParams.get('max-keys') ?? 1000), options.s3PageSize ?? 1000);
      const after = url.searchParams.get('continuation-token') ?? url.searchParams.get('start-after') ?? '';
      const keys = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, max);
      const truncated = keys.length > max;
      const contents = page
        .map((k) => {
          const o = bucket.get(k)!;
          const etag = createHash('md5').update(o.body).digest('hex');
          return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${etag}&quot;</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join('');
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucketName)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${escapeXml(page[page.length - 1])}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
      );
      return;
    }
    const key = keyParts.map(decodeURIComponent).join('/');
    const object = bucket.get(key);
    if (!object) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': object.body.length,
      etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
      'last-modified': object.lastModified.toUTCString(),
      ...Object.fromEntries(Object.entries(object.metadata ?? {}).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    });
    res.end(object.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeAws = {
    url: `http://127.0.0.1:${port}`,
    account,
    faults,
    requests,
    denied,
    addFault: (rule) => faults.add(rule),
    lookupTimes() {
      const byRegion = new Map<string, number[]>();
      for (const r of requests) {
        if (r.operation !== 'LookupEvents') continue;
        (byRegion.get(r.region) ?? byRegion.set(r.region, []).get(r.region)!).push(r.at);
      }
      return byRegion;
    },
    maxLookupsPerSecond() {
      let worst = 0;
      for (const times of fake.lookupTimes().values()) worst = Math.max(worst, maxInWindow(times, 1000));
      return worst;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function jsonFailure(kind: string): JsonReply {
  if (kind === 'deny') return clientError('AccessDeniedException', 'User is not authorized to perform this operation', 400);
  if (kind === 'server-error') return clientError('InternalFailure', 'An internal error occurred', 500);
  return clientError('ThrottlingException', 'Rate exceeded');
}

function queryFailure(service: string, kind: string): XmlReply {
  if (kind === 'deny') return service === 'ec2' ? queryError(service, 'UnauthorizedOperation', 'You are not authorized to perform this operation.', 403) : queryError(service, 'AccessDenied', 'User is not authorized to perform this action', 403);
  if (kind === 'server-error') return queryError(service, service === 'ec2' ? 'InternalError' : 'ServiceUnavailable', 'An internal error occurred', service === 'ec2' ? 500 : 503);
  if (kind === 'request-limit' || service === 'ec2') return queryError(service, 'RequestLimitExceeded', 'Request limit exceeded.', 503);
  return queryError(service, 'Throttling', 'Rate exceeded', 400);
}

function sendJson(res: ServerResponse, record: RequestRecord, reply: JsonReply): void {
  record.status = reply.status;
  res.writeHead(reply.status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': `fake-${Math.random().toString(16).slice(2)}`,
    ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
  });
  res.end(JSON.stringify(reply.body));
}

function sendXml(res: ServerResponse, record: RequestRecord, reply: XmlReply): void {
  record.status = reply.status;
  res.writeHead(reply.status, { 'content-type': 'text/xml' });
  res.end(reply.xml);
}
