// event:get tells the analyst where an event's identity came from: an id derived from the record's
// content (the record had no eventID) and how an exported source was read. Through the gate the
// transports use, on a real case file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EventDetail } from '../../../shared/api/types.ts';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openWorkbench } from './open-workbench.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-event-origin-'));
const record = {
  eventVersion: '1.08', eventTime: '2024-06-01T09:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'eu-west-1',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/lab', accountId: '111122223333', userName: 'lab' }, sourceIPAddress: '192.0.2.10',
};
writeFileSync(join(dir, 'lab.json'), JSON.stringify({ Records: [record] }));
const { eventTime: _time, ...rest } = record;
writeFileSync(join(dir, 'logstash.ndjson'), `${JSON.stringify({ '@timestamp': '2024-06-01T10:00:00.000Z', '@version': '1', ...rest, eventID: '7d2b9f00-3c1e-4a5b-9d8e-0f1a2b3c4d5e' })}\n`);
const casePath = join(dir, 'api.case');
const db = openCase(casePath);
await ingestPaths(db, [join(dir, 'lab.json'), join(dir, 'logstash.ndjson')]);
const ids = db.prepare('SELECT id FROM events ORDER BY event_time').pluck().all() as number[];
db.close();
const wb = openWorkbench(casePath);
after(async () => {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function detail(id: number): Promise<EventDetail> {
  const r = await wb.dispatch('event:get', { id });
  assert.ok(r.ok, JSON.stringify(r));
  return r.value as EventDetail;
}

test('a record without eventID: a derived id, marked as such; a plain file has no read-as note', async () => {
  const d = await detail(ids[0]);
  assert.match(d.row.eventId, /^derived-[0-9a-f]{32}$/);
  assert.equal(d.eventIdDerived, true);
  assert.equal(d.readAs, null);
});

test('a Logstash export: its own eventID, and the note that the time came from @timestamp', async () => {
  const d = await detail(ids[1]);
  assert.equal(d.row.eventId, '7d2b9f00-3c1e-4a5b-9d8e-0f1a2b3c4d5e');
  assert.equal(d.row.eventTime, '2024-06-01T10:00:00.000Z');
  assert.equal(d.eventIdDerived, false);
  assert.equal(d.readAs, 'Logstash export: time from @timestamp');
});
