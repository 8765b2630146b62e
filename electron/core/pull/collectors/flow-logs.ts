// VPC flow logs for one region: DescribeFlowLogs says where each log goes; S3 objects under the
// window's date prefixes are read by the file readers, and CloudWatch Logs events (FilterLogEvents)
// are read with the flow log's own LogFormat, turned into a header line so the same reader parses them.
import { DescribeFlowLogsCommand, type FlowLog } from '@aws-sdk/client-ec2';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { PullContext, Tracker } from '../context.ts';
import { sha256 } from '../case-sink.ts';
import { dayPrefixes } from '../window.ts';
import { fetchObject, listObjects, objectCheckpointKey, pool, readObject } from './s3-objects.ts';
import type { FlowRow, RecordRejection } from '../../ingest/types.ts';

const DEFAULT_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** "${version} ${vpc-id} …" → "version vpc-id …": the header line a flow log file would carry. */
export function headerFromLogFormat(format: string | undefined): string {
  return (format || DEFAULT_FORMAT).replace(/\$\{([^}]+)\}/g, '$1').trim().split(/\s+/).join(' ');
}

/** What a flow log is called in messages: its id, or (AWS always sends one; a proxy or a fake may not) where it writes. */
function flowLogName(log: FlowLog): string {
  return log.FlowLogId ?? log.LogDestination ?? log.LogGroupName ?? 'a flow log without an id';
}

async function flowLogsOf(ctx: PullContext, tracker: Tracker, region: string): Promise<FlowLog[]> {
  const all: FlowLog[] = [];
  let token: string | undefined;
  do {
    const page = await tracker.call('ec2:DescribeFlowLogs', (signal) =>
      ctx.clients.ec2(region).send(new DescribeFlowLogsCommand({ NextToken: token, MaxResults: 1000 }), { abortSignal: signal }),
    );
    all.push(...(page.FlowLogs ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

async function fromS3(ctx: PullContext, tracker: Tracker, region: string, log: FlowLog): Promise<void> {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)\/?(.*)$/.exec(log.LogDestination ?? '');
  if (!m) throw new Error(`flow log ${flowLogName(log)}: unreadable S3 destination`);
  const [, bucket, rawPrefix] = m;
  const prefix = rawPrefix ? `${rawPrefix.replace(/\/$/, '')}/` : '';
  const keys = async function* () {
    for (const day of dayPrefixes(ctx.since, ctx.until, 1)) {
      for await (const o of listObjects(ctx, tracker, region, bucket, `${prefix}${deliveryFolder(log, ctx.account, region, day)}`)) {
        if (!o.key.includes(`_${log.FlowLogId}_`)) continue;
        if (ctx.sink.getCheckpoint(objectCheckpointKey(o))) continue;
        yield o;
      }
    }
  };
  await pool(
    keys(),
    ctx.options.s3Concurrency ?? 8,
    async (o) => {
      const bytes = await fetchObject(ctx, tracker, region, o);
      const path = `s3://${o.bucket}/${o.key}`;
      const read = await readObject(path, bytes);
      const sourceId = ctx.sink.startSource({ path, sha256: read.sha256, size: bytes.length, kind: 'flowlog' });
      for await (const batch of read.batches) {
        if (batch.type === 'flows') tracker.added(ctx.sink.writeFlows(sourceId, inWindow(ctx, batch.records.rows()), batch.rejected));
      }
      ctx.sink.writeFlows(sourceId, [], [], { key: objectCheckpointKey(o), value: o.etag || 'done' });
      ctx.sink.finishSource(sourceId, 'done');
    },
    ctx.signal,
  );
}

/**
 * The folder of one day's files under the destination's prefix, as the flow log's delivery options lay
 * it out: `AWSLogs/<account>/vpcflowlogs/<region>/2025/03/10/`, or with Hive-compatible prefixes
 * `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=2025/month=03/day=10/`.
 * Hourly partitions are folders beneath the day's, listed with it. Plain text and Parquet files lie alike.
 */
function deliveryFolder(log: FlowLog, account: string, region: string, day: string): string {
  if (!log.DestinationOptions?.HiveCompatiblePartitions) return `AWSLogs/${account}/vpcflowlogs/${region}/${day}/`;
  const [year, month, date] = day.split('/');
  return `AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=${year}/month=${month}/day=${date}/`;
}

function inWindow(ctx: PullContext, rows: FlowRow[]): FlowRow[] {
  const since = ctx.since.getTime();
  const until = ctx.until.getTime();
  return rows.filter((r) => r.startTime === null || (r.startTime <= until && (r.endTime ?? r.startTime) >= since));
}

async function fromCloudWatch(ctx: PullContext, tracker: Tracker, region: string, log: FlowLog): Promise<void> {
  const group = log.LogGroupName;
  if (!group) throw new Error(`flow log ${flowLogName(log)}: no log group`);
  const header = headerFromLogFormat(log.LogFormat);
  const key = `pull:${ctx.account}:${region}:flows:logs:${group}`;
  const path = `aws://${ctx.account}/${region}/logs/${group}`;
  const sourceId = ctx.sink.startSource({ path, sha256: sha256(path), size: 0, kind: 'flowlog' });
  const start = ctx.since.getTime();
  const end = ctx.until.getTime();
  const saved = JSON.parse(ctx.sink.getCheckpoint(key) ?? 'null') as { start: number; end: number; token: string | null } | null;
  // A saved token belongs to its own window; it is reused only for the same window.
  let token = saved && saved.start === start && saved.end === end && saved.token ? saved.token : undefined;
  if (saved && saved.start === start && saved.end === end && saved.token === null) return ctx.sink.finishSource(sourceId, 'done');
  let page = 0;
  do {
    const out = await tracker.call('logs:FilterLogEvents', (signal) =>
      ctx.clients.logs(region).send(new FilterLogEventsCommand({ logGroupName: group, startTime: start, endTime: end, nextToken: token }), { abortSignal: signal }),
    );
    token = out.nextToken;
    const lines = (out.events ?? []).map((e) => e.message ?? '').filter((l) => l.trim() !== '');
    const rows: FlowRow[] = [];
    const rejected: RecordRejection[] = [];
    if (lines.length) {
      const read = await readObject(`${path}#page-${page}`, Buffer.from([header, ...lines].join('\n') + '\n'));
      for await (const batch of read.batches) {
        if (batch.type !== 'flows') continue;
        rows.push(...batch.records.rows());
        rejected.push(...batch.rejected.map((r) => ({ ...r, position: `page ${page} ${r.position}` })));
      }
    }
    tracker.added(ctx.sink.writeFlows(sourceId, rows, rejected, { key, value: JSON.stringify({ start, end, token: token ?? null }) }));
    page++;
  } while (token);
  ctx.sink.finishSource(sourceId, 'done');
}

export async function pullFlowLogs(ctx: PullContext, region: string) {
  const discover = ctx.track('flows:describe-flow-logs', region);
  let logs: FlowLog[] = [];
  const found = await discover.run(async () => {
    logs = await flowLogsOf(ctx, discover, region);
    discover.added({ stored: logs.length, duplicates: 0 });
  });
  if (found.status !== 'done') return [found];
  const results = await Promise.all(
    logs.map((log) => {
      const type = log.LogDestinationType ?? 'cloud-watch-logs';
      const tracker = ctx.track(`flows:${type}:${flowLogName(log)}`, region);
      return tracker.run(async () => {
        if (type === 's3') await fromS3(ctx, tracker, region, log);
        else if (type === 'cloud-watch-logs') await fromCloudWatch(ctx, tracker, region, log);
        else tracker.progress.message = `${type} destination: not readable from here`;
      });
    }),
  );
  return [found, ...results];
}
