// A small gzip input is decoded in one call into one buffer; whatever that call cannot do (inputs
// past its bounds, a trailer that lies, corrupt data) it hands back to the stream, so what a user
// reads from any gzip file is the same either way.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { enumerateInputs, openSource, SourceError } from './index.ts';
import { gunzipWhole, WHOLE_GZIP_OUTPUT } from './whole-gunzip.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-whole-gunzip-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const rec = (i: number) => ({ eventVersion: '1.08', eventID: `id-${i}`, eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' });
const records = (from: number, n: number) => Array.from({ length: n }, (_, i) => rec(from + i));

/** The event ids a user would find read from the file. */
async function idsRead(name: string, content: Buffer): Promise<string[]> {
  const path = join(dir, name);
  await writeFile(path, content);
  for await (const input of enumerateInputs([path])) {
    const ids: string[] = [];
    for await (const b of (await openSource(input)).batches) if (b.type === 'cloudtrail') for (const r of b.records) ids.push((r as { eventID: string }).eventID);
    return ids;
  }
  throw new Error('no input');
}

test('a CloudTrail object decodes whole, into one buffer of its exact size', async () => {
  const json = Buffer.from(JSON.stringify({ Records: records(0, 1000) }));
  const decoded = gunzipWhole(gzipSync(json));
  assert.ok(decoded);
  assert.ok(decoded.equals(json));
  assert.equal(decoded.buffer.byteLength, json.length + 1, 'one allocation, sized by the trailer');
  assert.equal((await idsRead('one.json.gz', gzipSync(json))).length, 1000);
});

test('several gzip members, and a trailer that understates the size, still give every record', async () => {
  // Two members: the whole decode reads both (the trailer names the second's size only).
  const text = JSON.stringify({ Records: records(0, 500) });
  const members = Buffer.concat([gzipSync(text.slice(0, 1000)), gzipSync(text.slice(1000))]);
  assert.equal(gunzipWhole(members)?.toString(), text);
  assert.equal((await idsRead('members.json.gz', members)).length, 500);
  const lying = gzipSync(text);
  lying.writeUInt32LE(10, lying.length - 4);
  // zlib checks ISIZE against what it decoded: the whole decode gives up, and the stream says why.
  assert.equal(gunzipWhole(lying), null);
  const refused = await idsRead('lying.json.gz', lying).catch((err: unknown) => (err instanceof SourceError ? err.message : err));
  assert.equal(refused, 'corrupt gzip: incorrect length check');
});

test('past its bounds, truncated or corrupt, the input is left to the stream', async () => {
  // Decodes past WHOLE_GZIP_OUTPUT though the trailer says less: stopped at the bound, then streamed whole.
  const big = gzipSync(JSON.stringify({ Records: records(0, 60_000) }));
  assert.ok(big.length < WHOLE_GZIP_OUTPUT);
  const stated = Buffer.from(big);
  stated.writeUInt32LE(1000, stated.length - 4);
  assert.equal(gunzipWhole(stated), null);
  assert.equal(gunzipWhole(big), null, 'a trailer past the bound is not decoded here');
  assert.equal((await idsRead('big.json.gz', big)).length, 60_000);
  const whole = gzipSync(JSON.stringify({ Records: records(0, 10) }));
  assert.equal(gunzipWhole(whole.subarray(0, whole.length - 12)), null);
  const cut = await idsRead('cut.json.gz', whole.subarray(0, whole.length - 12)).catch((err: unknown) => (err as Error).message);
  assert.equal(cut, 'truncated gzip: unexpected end of file');
});
