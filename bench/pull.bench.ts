// npm run bench:pull — a live pull against the local fake AWS (which throttles LookupEvents beyond
// 2 requests/second/region, as CloudTrail does): events per second per region reached by
// LookupEvents (the limit allows 100; target ≥ 95 with zero throttling), S3 trail-file throughput
// (log files and the signed digests beside them), and the CPU time `trailscope verify` then takes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../electron/core/db/open-case.ts';
import { buildFakeAccount } from '../test-support/fake-aws/account.ts';
import { startFakeAws } from '../test-support/fake-aws/server.ts';
import { pullAccount } from '../electron/core/pull/index.ts';
import { verifyEvidence } from '../electron/core/evidence/verify-evidence.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const perRegion = Number(process.env.BENCH_PULL_EVENTS ?? 1500);
const until = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const since = new Date(until.getTime() - 2 * 86_400_000);
const credentials = async () => ({ accessKeyId: 'AKIABENCHBENCHBENCH1', secretAccessKey: 'bench' });
const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-pull-'));

const account = buildFakeAccount({ start: since, end: until, eventsPerRegion: perRegion, regions });
const aws = await startFakeAws(account);
try {
  // 1. LookupEvents, all regions in parallel.
  let db = openCase(join(dir, 'lookup.trailscope'));
  let t0 = performance.now();
  let report = await pullAccount(db, { regions, since, until, what: ['cloudtrail'], endpoint: aws.url, credentials });
  let seconds = (performance.now() - t0) / 1000;
  db.close();
  const throttled = aws.requests.filter((r) => r.operation === 'LookupEvents' && r.fault === 'rate-limited').length;
  console.log(`LookupEvents: ${regions.length} regions × ${perRegion} events in ${seconds.toFixed(1)} s`);
  for (const c of report.collectors) {
    console.log(`  ${c.region}: ${(c.stored / seconds).toFixed(1)} events/s per region, ${c.requests} requests, ${c.throttled} throttled`);
  }
  // Steady state, without the first window's burst of two: requests after the first two, over the time they took.
  for (const [region, times] of aws.lookupTimes()) {
    const t = [...times].sort((a, b) => a - b);
    console.log(`  ${region} steady state: ${(((t.length - 2) * 50) / ((t[t.length - 1] - t[1]) / 1000)).toFixed(1)} events/s`);
  }
  console.log(`  max LookupEvents requests in any 1 s window of one region: ${aws.maxLookupsPerSecond()}; throttling errors: ${throttled}`);

  // 2. S3 trail files (the same events, delivered hourly as gzipped files).
  db = openCase(join(dir, 's3.trailscope'));
  const bucket = account.buckets.get('trailscope-fake-trail')!;
  const files = [...bucket.keys()].filter((k) => k.includes('/CloudTrail/')).length;
  const digests = [...bucket.keys()].filter((k) => k.includes('/CloudTrail-Digest/')).length;
  const bytes = [...bucket.values()].reduce((n, o) => n + o.body.length, 0);
  t0 = performance.now();
  const pullCpu0 = process.cpuUsage();
  report = await pullAccount(db, { regions, since, until, what: ['cloudtrail'], trailBucket: 'trailscope-fake-trail', endpoint: aws.url, credentials, s3Concurrency: 8 });
  const pullCpu = process.cpuUsage(pullCpu0);
  seconds = (performance.now() - t0) / 1000;
  const stored = report.collectors.filter((c) => c.collector === 'cloudtrail:s3').reduce((n, c) => n + c.stored, 0);
  const events = (db.prepare('SELECT count(*) n FROM events').get() as { n: number }).n;
  const cpu0 = process.cpuUsage();
  const verified = verifyEvidence(db);
  const cpu = process.cpuUsage(cpu0);
  db.close();
  console.log(`S3 trail files: ${files} log files and ${digests} digests (${(bytes / 1e6).toFixed(2)} MB gz) in ${seconds.toFixed(2)} s: ${((files + digests) / seconds).toFixed(0)} files/s, ${(stored / seconds).toFixed(0)} events/s (${events} events in case); ${((pullCpu.user + pullCpu.system) / 1000).toFixed(0)} ms CPU (this process: client and fake server)`);
  console.log(`  verify: ${verified.digests.length} digests (${verified.signatures}), ${verified.counts.verified} log files verified, in ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
} finally {
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
}
