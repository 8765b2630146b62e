// Records of several megabytes (a padded user agent, a huge policy document) are records still: read
// whole in every layout they come in, as far as MAX_RECORD, and handed on in batches bounded by their
// size as well as their count, so a reader never holds many of them at once.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BATCH_BYTES } from './item-batches.ts';
import { readInput } from '../../../../test-support/read-input.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-large-records-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const AGENT = 6 * 1024 * 1024;
/** Seven records of 6 MB between small ones: 42 MB, more than two batches' worth. */
const records = Array.from({ length: 14 }, (_, i) => ({
  eventVersion: '1.08', eventID: `large-${i}`, eventTime: `2026-11-02T10:00:${String(i).padStart(2, '0')}Z`, eventSource: 'ec2.amazonaws.com',
  eventName: 'DescribeInstances', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.66', recipientAccountId: '111122223333',
  userAgent: i % 2 === 1 ? `padded-${i} ${'x'.repeat(AGENT)}` : `aws-cli/2.15.0 small-${i}`,
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333' },
}));
const lines = records.map((r) => JSON.stringify(r));
const layouts: Record<string, { name: string; content: () => string; records: typeof records }> = {
  'a Records array': { name: 'trail.json', content: () => JSON.stringify({ Records: records }), records },
  'JSON Lines opening with a large record': { name: 'export-large-first.jsonl', content: () => [...lines.slice(1), lines[0]].join('\n') + '\n', records: [...records.slice(1), records[0]] },
  'JSON Lines with large records after small ones': { name: 'export.jsonl', content: () => lines.join('\n') + '\n', records },
  'a CloudWatch Logs export': { name: 'cloudwatch.txt', content: () => lines.map((l, i) => `2026-11-02T10:00:${String(i).padStart(2, '0')}.000Z ${l}`).join('\n') + '\n', records },
};

for (const [layout, { name, content, records: expected }] of Object.entries(layouts)) {
  test(`${layout}: every record of several megabytes is read whole, and no batch holds more than ${BATCH_BYTES / 1024 / 1024} MB before its last record`, async () => {
    const path = join(dir, name);
    await writeFile(path, content());
    const { kind, batches } = await readInput(path);
    assert.equal(kind, 'cloudtrail');
    const read = batches.flatMap((b) => (b.type === 'cloudtrail' ? b.records : [])) as { eventID: string; userAgent: string }[];
    assert.deepEqual(read.map((r) => r.eventID), expected.map((r) => r.eventID));
    assert.deepEqual(read.map((r) => r.userAgent.length), expected.map((r) => r.userAgent.length));
    assert.deepEqual(batches.flatMap((b) => (b.type === 'cloudtrail' ? b.rejected : [])), []);
    for (const b of batches) {
      if (b.type !== 'cloudtrail') continue;
      const sizes = (b.records as unknown[]).map((r) => JSON.stringify(r).length);
      const beforeLast = sizes.slice(0, -1).reduce((n, s) => n + s, 0);
      assert.ok(beforeLast < BATCH_BYTES, `a batch of ${sizes.length} records held ${beforeLast} bytes before its last`);
    }
  });
}

test('a file of one record of several megabytes is that record, not an unrecognized document', async () => {
  const path = join(dir, 'one-event.json');
  await writeFile(path, JSON.stringify(records[1], null, 2));
  const { kind, batches } = await readInput(path);
  assert.equal(kind, 'cloudtrail');
  const read = batches.flatMap((b) => (b.type === 'cloudtrail' ? b.records : [])) as { eventID: string; userAgent: string }[];
  assert.deepEqual(read.map((r) => [r.eventID, r.userAgent.length]), [['large-1', records[1].userAgent.length]]);
});
