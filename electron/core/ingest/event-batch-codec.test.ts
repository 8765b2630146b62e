// The reader posts its events encoded (event-batch-codec.ts): what the writer decodes must be the
// events the reader normalized, field for field, optional fields absent where they were absent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEvents, encodeEvents, forPosting, movableMemory, postedBatch } from './event-batch-codec.ts';
import { RAW_BLOCK_RECORDS, RAW_CODEC, unpackRawBlock } from '../db/raw-events.ts';
import { normalizeCloudTrailRecord } from './normalize/index.ts';
import { prepareCloudTrailBatch } from './prepare-batch.ts';
import type { NormalizedEvent } from './types.ts';
import { allStratusRecords, awsdocsRecords, pantherEvents, streamalertEvents } from '../../../test-support/real-samples.ts';

function realEvents(): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  for (const { record } of [...allStratusRecords(), ...awsdocsRecords(), ...pantherEvents(), ...streamalertEvents()]) {
    const r = normalizeCloudTrailRecord(record);
    if (r.ok) events.push(r.value);
  }
  return events;
}

describe('encoded event batches', () => {
  it('decode to the events the real samples normalize to, lists and optional fields included', () => {
    const events = realEvents();
    assert.ok(events.length > 400);
    // The samples must exercise every part of the encoding, or this test proves little.
    assert.ok(events.some((e) => e.issuedCredentials.length > 0));
    assert.ok(events.some((e) => e.resources.some((r) => 'arn' in r) && e.resources.some((r) => !('arn' in r))));
    assert.ok(events.some((e) => e.errorCode !== null && e.readOnly === null) || events.some((e) => e.readOnly === false));
    const encoded = encodeEvents(events);
    assert.ok(encoded !== null);
    assert.deepStrictEqual(decodeEvents(structuredClone(encoded)), events);
    // Each text once: the table is smaller than the texts the events hold.
    assert.ok(encoded.texts.length < events.length * 10);
  });

  it('keep an absent optional field absent and a null one null, and posts as objects what it cannot encode', () => {
    const base = normalizeCloudTrailRecord({ eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', eventID: 'e1' });
    assert.ok(base.ok);
    const event: NormalizedEvent = { ...base.value, resources: [{ id: 'i-1', type: 'instance', touch: 'created', name: null }, { id: 'i-2', type: 'instance', touch: 'read', region: 'eu-west-1' }] };
    const [back] = decodeEvents(encodeEvents([event])!);
    assert.deepStrictEqual(back, event);
    assert.ok(!('arn' in back.resources[0]) && back.resources[0].name === null && !('name' in back.resources[1]));
    const odd = { ...event, eventTime: Number.NaN };
    assert.equal(encodeEvents([odd]), null);
    const batch = prepareCloudTrailBatch([], [], 0);
    assert.deepStrictEqual(postedBatch(structuredClone(forPosting({ ...batch, events: [odd] }))).events, [odd]);
  });

  it('hand their slots and raw blocks over when posted: the writer gets the same events and records, the reader keeps no copy', () => {
    const samples = [...allStratusRecords(), ...awsdocsRecords()].map(({ record }) => record);
    // Enough records for several raw blocks.
    const records = Array.from({ length: Math.ceil((3 * RAW_BLOCK_RECORDS) / samples.length) }, () => samples).flat();
    const prepared = prepareCloudTrailBatch(records, [], 0);
    const expected = { events: structuredClone(prepared.events), records: prepared.blocks.map((b) => unpackRawBlock(RAW_CODEC, Buffer.from(b))) };
    const posted = forPosting(prepared);
    assert.ok(prepared.blocks.length >= 3);
    const moved = movableMemory(posted);
    assert.ok(moved.length >= prepared.blocks.length, 'every raw block and the slots are their own memory');
    const received = postedBatch(structuredClone(posted, { transfer: moved }));
    assert.deepStrictEqual(received.events, expected.events);
    assert.deepStrictEqual(received.blocks.map((b) => unpackRawBlock(RAW_CODEC, Buffer.from(b))), expected.records);
    assert.ok(prepared.blocks.every((b) => b.length === 0), 'the reader\'s blocks were moved, not copied');
  });
});
