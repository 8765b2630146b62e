// A live pull: who we are (GetCallerIdentity) first, then every collector — per region in parallel,
// IAM once — each ending on its own (done, denied with the permission it needs, failed), so one
// missing permission never stops the rest. An AbortSignal stops it between pages; what was stored
// stays, with checkpoints, and the next pull resumes.
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { CaseDb } from '../db/open-case.ts';
import { Clients } from './clients.ts';
import { Tracker, type PullContext } from './context.ts';
import { callerOf, identityChain } from './identity.ts';
import { caseSink } from './case-sink.ts';
import { withRetry } from './retry.ts';
import { LOOKUP_MAX_DAYS } from './window.ts';
import { pullLookupEvents } from './collectors/cloudtrail-lookup.ts';
import { pullTrailBucket } from './collectors/cloudtrail-s3.ts';
import { pullFlowLogs } from './collectors/flow-logs.ts';
import { pullRegionConfig } from './collectors/config-region.ts';
import { pullIamConfig } from './collectors/config-iam.ts';
import { pullAthenaSlice } from './collectors/athena.ts';
import type { PullHooks, PullOptions, PullProgress, PullReport, PullSink } from './types.ts';
import { refreshAfterIngest } from '../ingest/refresh-after-ingest.ts';

export async function pullAccount(db: CaseDb, options: PullOptions, hooks: PullHooks = {}): Promise<PullReport> {
  const report = await pullInto(caseSink(db), options, hooks);
  if (!report.cancelled) refreshAfterIngest(db);
  return report;
}

/** The pull against any sink (the case writer in the product). */
export async function pullInto(sink: PullSink, options: PullOptions, hooks: PullHooks = {}): Promise<PullReport> {
  const { signal, onEvent } = hooks;
  // One provider for the identity check and every collector: the SDK memoizes it.
  const credentials = options.credentials ?? identityChain(options.profile);
  const clients = new Clients({
    credentials,
    endpoint: options.endpoint,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    lookupRate: options.lookupRate ?? 2,
    signal,
  });
  try {
    const firstRegion = options.regions.find((r) => r !== 'all') ?? 'us-east-1';
    const identity = await callerOf(credentials, options.profile, { region: firstRegion, endpoint: options.endpoint, requestTimeoutMs: options.requestTimeoutMs, signal });
    clients.account = identity.account;
    onEvent?.({ kind: 'account', account: identity.account, arn: identity.arn });
    const regions = options.regions.includes('all') ? await enabledRegions(clients, firstRegion, signal) : options.regions;

    const ctx: PullContext = {
      clients,
      sink,
      account: identity.account,
      since: options.since,
      until: options.until,
      options,
      signal,
      track: (collector, region) => new Tracker(collector, region, (progress) => onEvent?.({ kind: 'collector', progress }), { ...options, regions }, signal),
    };
    const what = new Set(options.what);
    const jobs: Promise<PullProgress | PullProgress[]>[] = [];
    if (what.has('cloudtrail')) {
      const oldest = Date.now() - LOOKUP_MAX_DAYS * 86_400_000;
      const lookupCtx = options.since.getTime() < oldest ? { ...ctx, since: new Date(oldest) } : ctx;
      if (lookupCtx !== ctx) onEvent?.({ kind: 'note', text: `LookupEvents reaches back ${LOOKUP_MAX_DAYS} days: older events need --trail-bucket or Athena` });
      // A trail bucket holds everything LookupEvents would return (and more, beyond 90 days): read one, not both.
      if (!options.trailBucket) for (const r of regions) jobs.push(pullLookupEvents(lookupCtx, r));
      if (options.trailBucket) jobs.push(pullTrailBucket(ctx, regions));
    }
    if (options.athena) jobs.push(pullAthenaSlice(ctx, firstRegion));
    if (what.has('flows')) for (const r of regions) jobs.push(pullFlowLogs(ctx, r));
    if (what.has('config')) {
      for (const r of regions) jobs.push(pullRegionConfig(ctx, r));
      jobs.push(pullIamConfig(ctx));
    }
    const collectors = (await Promise.all(jobs)).flat();
    return { account: identity.account, arn: identity.arn, regions, collectors, cancelled: Boolean(signal?.aborted) };
  } finally {
    clients.destroy();
  }
}

async function enabledRegions(clients: Clients, region: string, signal?: AbortSignal): Promise<string[]> {
  const out = await withRetry((s) => clients.ec2(region).send(new DescribeRegionsCommand({}), { abortSignal: s }), { signal, permission: 'ec2:DescribeRegions' });
  return (out.Regions ?? []).map((r) => r.RegionName!).filter(Boolean).sort();
}
