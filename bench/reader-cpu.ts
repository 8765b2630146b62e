// The reader workers' CPU per event, on one thread and without the writer: what a reader worker does
// for the CloudTrail files of a generated workload (hash, gunzip, parse, normalize, stringify and
// compress the raw records, and the structured clone of each batch the worker posts), or with --flows
// for its VPC flow logs (hash, gunzip, read into columns, build and clone each block). Run alone (or
// under --cpu-prof) to see where a reader's time goes.
// Prints, per round, the reader's CPU per event and (apart) what receiving the batches costs the writer.
// node --import tsx bench/reader-cpu.ts --data DIR [--rounds 3] [--flows]
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { enumerateInputs, openSource, type InputFile } from '../electron/core/ingest/parse/index.ts';
import { flowBlockOf } from '../electron/core/db/flow-block.ts';
import { prepareCloudTrailBatch } from '../electron/core/ingest/prepare-batch.ts';
import { forPosting, postedBatch, type PostedEventBatch } from '../electron/core/ingest/event-batch-codec.ts';
import { EVENTS_PER_MESSAGE } from '../electron/core/ingest/read-protocol.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, rounds: { type: 'string', default: '3' }, flows: { type: 'boolean', default: false } } });
const root = join(values.data!, 'AWSLogs');

let writerSide = 0;

async function readAll(): Promise<number> {
  let events = 0;
  for await (const input of enumerateInputs([root])) {
    if (values.flows) {
      if (input.path.includes('/vpcflowlogs/')) events += await readFlows(input);
      continue;
    }
    if (!input.path.includes('/CloudTrail/')) continue;
    const hash = createHash('sha256');
    for await (const chunk of await input.open()) hash.update(chunk as Buffer);
    hash.digest('hex');
    const opened = await openSource(input);
    let records: unknown[] = [];
    const flush = () => {
      if (records.length === 0) return;
      const batch = prepareCloudTrailBatch(records, [], 0);
      // postMessage's structured clone, as the worker pays it.
      const message = serialize({ t: 'events', batch: forPosting(batch), bytesRead: 0 });
      // The writer thread's side of the message, timed apart: not the reader's CPU.
      const before = process.cpuUsage();
      postedBatch((deserialize(message) as { batch: PostedEventBatch }).batch);
      const spent = process.cpuUsage(before);
      writerSide += spent.user + spent.system;
      events += batch.events.length;
      records = [];
    };
    for await (const batch of opened.batches) {
      if (batch.type !== 'cloudtrail') continue;
      for (const r of batch.records) records.push(r);
      if (records.length >= EVENTS_PER_MESSAGE) flush();
    }
    flush();
  }
  return events;
}

/** A flow log as a reader worker reads it: hashed, read into columns, each block built and cloned. */
async function readFlows(input: InputFile): Promise<number> {
  const hash = createHash('sha256');
  for await (const chunk of await input.open()) hash.update(chunk as Buffer);
  hash.digest('hex');
  let records = 0;
  for await (const batch of (await openSource(input)).batches) {
    if (batch.type !== 'flows') continue;
    records += batch.records.length;
    serialize({ t: 'flows', block: flowBlockOf(batch.records), rejected: batch.rejected, bytesRead: 0 });
  }
  return records;
}

for (let round = 0; round < Number(values.rounds); round++) {
  writerSide = 0;
  const start = process.cpuUsage();
  const events = await readAll();
  const cpu = process.cpuUsage(start);
  const micros = cpu.user + cpu.system - writerSide;
  console.log(JSON.stringify({ round, events, readerMicrosPerEvent: +(micros / events).toFixed(1), writerDecodeMicrosPerEvent: +(writerSide / events).toFixed(1) }));
}
