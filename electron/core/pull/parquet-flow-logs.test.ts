// A live pull of a flow log that VPC Flow Logs delivers to S3 as Parquet under Hive-compatible, hourly
// prefixes: the same records as the same flow log delivered as text under the default prefixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildFakeAccount, type FakeAccount } from '../../../test-support/fake-aws/account.ts';
import { startFakeAws } from '../../../test-support/fake-aws/server.ts';
import { flowTextAsAwsParquet, writeParquet } from '../../../test-support/parquet-files.ts';
import { flowCount, flowRecordsAsText, tempCase } from '../../../test-support/temp-case.ts';
import { pullAccount } from './index.ts';
import type { PullOptions } from './types.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 86_400_000);
const REGIONS = ['us-east-1', 'eu-west-1'];
const FLOWS = 80;

const account = () => buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: 10, flowsPerRegion: FLOWS, regions: REGIONS });
const options = (endpoint: string): PullOptions => ({
  regions: REGIONS,
  since: SINCE,
  until: UNTIL,
  what: ['flows'],
  endpoint,
  credentials: async () => ({ accessKeyId: 'ASIATESTCREDENTIAL01', secretAccessKey: 'trailscopeTestSecretKey0000000000000000000', sessionToken: 'token' }),
  retry: { baseMs: 20, capMs: 200 },
});

/** The account's S3 flow log files rewritten as VPC Flow Logs writes Parquet with Hive-compatible, hourly prefixes. */
async function deliverAsHiveParquet(fake: FakeAccount, scratch: string): Promise<number> {
  let rewritten = 0;
  for (const bucket of fake.buckets.values()) {
    for (const [key, object] of [...bucket]) {
      const m = /^AWSLogs\/(\d{12})\/vpcflowlogs\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(.+_\d{8}T(\d{2})\d{2}Z_.+)\.log\.gz$/.exec(key);
      if (!m) continue;
      const [, accountId, region, year, month, day, name, hour] = m;
      const text = join(scratch, `${rewritten}.log`);
      const lines = gunzipSync(object.body).toString('utf8');
      writeFileSync(text, lines);
      const parquet = join(scratch, `${rewritten}.parquet`);
      await writeParquet(parquet, flowTextAsAwsParquet([text], lines.slice(0, lines.indexOf('\n'))));
      bucket.delete(key);
      const folder = `AWSLogs/aws-account-id=${accountId}/aws-service=vpcflowlogs/aws-region=${region}/year=${year}/month=${month}/day=${day}/hour=${hour}`;
      bucket.set(`${folder}/${name}.log.parquet`, { body: readFileSync(parquet), lastModified: object.lastModified });
      rewritten++;
    }
  }
  for (const documents of fake.ec2.values()) {
    for (const log of documents.FlowLogs as Record<string, unknown>[]) {
      if (log.LogDestinationType === 's3') log.DestinationOptions = { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true };
    }
  }
  return rewritten;
}

test('flow logs delivered as Parquet under Hive-compatible hourly prefixes are pulled, the same records as text', async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'trailscope-parquet-pull-'));
  const asText = tempCase('pull-text');
  const asParquet = tempCase('pull-parquet');
  t.after(() => {
    asText.cleanup();
    asParquet.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });
  const textAws = await startFakeAws(account());
  try {
    await pullAccount(asText.db, options(textAws.url));
  } finally {
    await textAws.close();
  }
  const fake = account();
  assert.ok((await deliverAsHiveParquet(fake, scratch)) > 0, 'the fake account delivers flow logs to S3');
  const parquetAws = await startFakeAws(fake);
  try {
    const report = await pullAccount(asParquet.db, options(parquetAws.url));
    assert.deepEqual(report.collectors.filter((c) => c.status !== 'done'), []);
  } finally {
    await parquetAws.close();
  }
  assert.equal(flowCount(asParquet.db), FLOWS * REGIONS.length);
  assert.deepEqual(flowRecordsAsText(asParquet.db), flowRecordsAsText(asText.db));
  const kinds = asParquet.db.prepare(`SELECT path FROM sources WHERE path LIKE 's3://%' ORDER BY path`).pluck().all() as string[];
  assert.ok(kinds.length > 0 && kinds.every((p) => p.includes('/aws-service=vpcflowlogs/') && p.endsWith('.log.parquet')), kinds.join('\n'));
});
