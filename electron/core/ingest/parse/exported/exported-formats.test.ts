// One fixture per export format (fixtures/README.md says what each tool writes and where that is
// documented), all holding the same two events as fixtures/s3-original.json. Each is detected from
// its content, says how it was read, and normalizes to the rows the S3 delivery file gives.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalizeCloudTrailRecord } from '../../normalize/index.ts';
import type { NormalizedEvent, ReaderBatch } from '../../types.ts';
import { enumerateInputs, openSource } from '../index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

async function read(name: string) {
  for await (const input of enumerateInputs([join(FIXTURES, name)])) {
    const source = await openSource(input);
    const batches: ReaderBatch[] = [];
    for await (const b of source.batches) batches.push(b);
    const records = batches.flatMap((b) => (b.type === 'cloudtrail' ? b.records : []));
    return {
      kind: source.kind,
      records,
      rejected: batches.flatMap((b) => (b.type === 'config' ? [] : b.rejected)),
      readAs: [...new Set(batches.flatMap((b) => (b.type === 'cloudtrail' ? (b.readAs ?? []) : [])))],
      events: records.map((r) => {
        const n = normalizeCloudTrailRecord(r);
        assert.ok(n.ok, `${name}: ${n.ok ? '' : n.reason}`);
        return n.value;
      }),
    };
  }
  throw new Error(`no fixture ${name}`);
}

/** What an analyst sees of an event: every column the case stores, and what it touched and issued. */
function columns(e: NormalizedEvent) {
  const { searchText: _s, ...rest } = e;
  return { ...rest, resources: e.resources.map((r) => `${r.id} ${r.touch}`) };
}

describe('exported CloudTrail formats', async () => {
  const original = await read('s3-original.json');
  const expected = original.events.map(columns);

  it('the original S3 file has two events and no note', () => {
    assert.equal(original.events.length, 2);
    assert.deepEqual(original.readAs, []);
    assert.equal(expected[1].sessionIssuerArn, 'arn:aws:iam::111122223333:role/ops');
    assert.deepEqual(expected[1].resources, ['sg-0a1b2c3d4e5f60718 modified', 'ip/0.0.0.0/0 attached']);
  });

  const cases: [file: string, readAs: string[]][] = [
    ['logstash.ndjson', ['Logstash export: time from @timestamp']],
    ['elastic-search-response.json', [
      'Elastic (ECS) document: record from event.original',
      'Elastic (ECS) document: record rebuilt from ECS fields (aws.cloudtrail.*, event.*), without what ECS does not map',
    ]],
    ['kibana-ecs.csv', ['Elastic (ECS) document: record from event.original']],
    ['elasticdump.ndjson', ['Elastic (ECS) document: record rebuilt from ECS fields (aws.cloudtrail.*, event.*), without what ECS does not map']],
    ['splunk-results.json', ['Splunk export: record rebuilt from extracted fields (no _raw column), time from _time']],
    ['splunk-export.json', ['Splunk export: record from _raw']],
    ['splunk-export.csv', ['Splunk export: record from _raw']],
    ['athena-results.csv', ['query result (Athena or CloudTrail Lake): lower-case columns mapped to CloudTrail fields']],
    ['athena-get-query-results.json', ['Athena query result: columns mapped to CloudTrail fields, struct text parsed']],
    ['lake-get-query-results.json', ['CloudTrail Lake query result: columns mapped to CloudTrail fields, struct text parsed']],
    ['lake-results.csv', ['query result (Athena or CloudTrail Lake): lower-case columns mapped to CloudTrail fields']],
    ['cloudwatch-export.txt.gz', ['CloudWatch Logs export: records from "<timestamp> <message>" lines']],
    ['cloudwatch-subscription.json.gz', ['CloudWatch Logs events: records from message']],
    ['security-lake-ocsf.ndjson', ['Security Lake (OCSF) CloudTrail event: record rebuilt from OCSF fields, without what OCSF does not map']],
    ['security-lake-ocsf-1.0.json', ['Security Lake (OCSF) CloudTrail event: record rebuilt from OCSF fields, without what OCSF does not map']],
  ];
  for (const [file, readAs] of cases) {
    it(`${file}: detected from content, noted, and the same rows as the S3 file`, async () => {
      const got = await read(file);
      assert.equal(got.kind, 'cloudtrail');
      assert.deepEqual(got.rejected, []);
      assert.deepEqual(got.readAs, readAs);
      assert.deepEqual(got.events.map(columns), expected);
    });
  }
});
