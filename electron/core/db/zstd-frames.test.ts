// A kept zstd context gives each block the frame zstdCompressSync gives it, whatever came before:
// cases written before it and after it hold the same bytes, and each block still reads back alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { constants, zstdCompressSync, zstdDecompressSync, type ZstdOptions } from 'node:zlib';
import { zstdFrameCompressor } from './zstd-frames.ts';
import { packRawBlock, unpackRawBlock, RAW_CODEC } from './raw-events.ts';

const record = (i: number) => JSON.stringify({ eventID: `id-${i}`, eventName: i % 3 ? 'DescribeInstances' : 'AssumeRole', note: 'x'.repeat(i % 97) });

// Small and large, compressible and not: random bytes compress to more than the 256 KB a call takes
// out at once, so that block's frame comes in several pieces.
const inputs = [
  Buffer.from(Array.from({ length: 64 }, (_, i) => record(i)).join('\n')),
  Buffer.alloc(0),
  Buffer.from('a'),
  randomBytes(700 * 1024),
  Buffer.from(Array.from({ length: 5000 }, (_, i) => record(i)).join('\n')),
  Buffer.from(record(7)),
];

for (const [name, options] of [
  ['without a dictionary', { params: { [constants.ZSTD_c_compressionLevel]: 1 } }],
  ['with a dictionary', { dictionary: Buffer.from('{"eventID":"id-","eventName":"DescribeInstances"'), params: { [constants.ZSTD_c_compressionLevel]: 1 } }],
] as [string, ZstdOptions][]) {
  test(`each block is the frame zstdCompressSync makes, ${name}, in any order`, () => {
    const compress = zstdFrameCompressor(options);
    for (const input of [...inputs, ...inputs.slice().reverse()]) {
      const frame = compress(input);
      assert.deepEqual(frame, zstdCompressSync(input, options), `a block of ${input.length} bytes`);
      assert.deepEqual(zstdDecompressSync(frame, { dictionary: options.dictionary }), input);
    }
  });
}

test('a frame owns its memory: the next block does not overwrite it', () => {
  const compress = zstdFrameCompressor({});
  const first = compress(inputs[0]);
  const copy = Buffer.from(first);
  compress(inputs[4]);
  assert.deepEqual(first, copy);
});

test('raw blocks read back record by record after many blocks through one context', () => {
  for (let b = 0; b < 20; b++) {
    const records = Array.from({ length: 64 }, (_, i) => record(b * 64 + i));
    assert.deepEqual(unpackRawBlock(RAW_CODEC, packRawBlock(records)), records);
  }
});
