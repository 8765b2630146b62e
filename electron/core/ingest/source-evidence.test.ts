// The evidence `trailscope verify` checks: the SHA-256 of a CloudTrail file's content after its one
// gzip layer, read from one opening of the input, whether it came gzipped or plain, in one chunk or many.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { InputFile } from './parse/types.ts';
import { readSourceEvidence } from './source-evidence.ts';

const log = Buffer.from(JSON.stringify({ Records: [{ eventID: 'e1', eventName: 'ListBuckets' }] }));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An input that serves `bytes` in chunks of `chunk` bytes and counts its openings. */
function input(bytes: Buffer, chunk = 64 * 1024): InputFile & { opened: number } {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) parts.push(bytes.subarray(at, at + chunk));
  const file = { path: 'AWSLogs/x.json.gz', size: bytes.length, opened: 0, open: async () => {
    file.opened++;
    return Readable.from(parts);
  } };
  return file;
}

test('a gzipped log and a plain one are hashed by their content, each opened once, in one chunk or many', async () => {
  for (const [bytes, chunk] of [[gzipSync(log), 64 * 1024], [gzipSync(log), 7], [log, 64 * 1024], [log, 5]] as const) {
    const file = input(bytes, chunk);
    const evidence = await readSourceEvidence(file, 'cloudtrail');
    assert.equal(evidence?.contentSha256, sha256(log));
    assert.equal(file.opened, 1);
  }
});

test('a digest keeps its JSON; an empty file is hashed as empty; a gzip cut short is an error, not a hash', async () => {
  const digest = Buffer.from(JSON.stringify({ digestStartTime: '2024-06-01T00:00:00Z', logFiles: [] }));
  assert.equal((await readSourceEvidence(input(gzipSync(digest)), 'cloudtrail-digest'))?.digest, digest.toString());
  assert.equal((await readSourceEvidence(input(Buffer.alloc(0)), 'cloudtrail'))?.contentSha256, sha256(Buffer.alloc(0)));
  const cut = gzipSync(Buffer.from('x'.repeat(100_000) + Math.random().toString(36).repeat(5_000)));
  await assert.rejects(readSourceEvidence(input(cut.subarray(0, cut.length - 40)), 'cloudtrail'), /unexpected end of file/);
  assert.equal(await readSourceEvidence(input(log), 'flowlog'), null);
});
