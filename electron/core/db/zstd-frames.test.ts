// A kept zstd context gives each block the frame zstdCompressSync gives it, whatever came before:
// cases written before it and after it hold the same bytes, and each block still reads back alone.
// Read back through a kept context, every block, good or damaged (a case is hostile input), gives
// what zstdDecompressSync gives: the same bytes or the same error, and a damaged one spoils no other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { constants, createZstdCompress, createZstdDecompress, zstdCompressSync, zstdDecompressSync, type ZstdOptions } from 'node:zlib';
import { frameContentSize, zstdFrameCompressor, zstdFrameDecompressor } from './zstd-frames.ts';
import { DICTIONARY_HELPS_BELOW, RAW_BLOCK_RECORDS, packRawBlock, unpackRawBlock, RAW_CODEC } from './raw-events.ts';

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

test('a raw block of 256 KB or more is compressed without the dictionary and reads back as any block does', () => {
  // CloudTrail records are about 1.4 KB: 512 of them pass 256 KB.
  const records = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ ...JSON.parse(record(from + i)), userAgent: `aws-cli/2.${i % 30} ${'Python/3.11 '.repeat(40)}` }));
  const large = records(RAW_BLOCK_RECORDS);
  const largeText = Buffer.from(large.join('\n'));
  assert.ok(largeText.length >= DICTIONARY_HELPS_BELOW, `${largeText.length} bytes`);
  const packed = packRawBlock(large);
  // A frame that refers to no dictionary decodes alone: what a reader without one gets.
  assert.deepEqual(zstdDecompressSync(packed), largeText);
  assert.deepEqual(unpackRawBlock(RAW_CODEC, packed), large);

  const small = records(20, 7);
  const smallPacked = packRawBlock(small);
  assert.throws(() => zstdDecompressSync(smallPacked), 'a small block leans on the dictionary');
  assert.deepEqual(unpackRawBlock(RAW_CODEC, smallPacked), small);
});

/** What a call gives: its bytes, or its error's code and message. */
function outcome(f: () => Buffer): { bytes: Buffer } | { code: unknown; message: string } {
  try {
    return { bytes: f() };
  } catch (err) {
    return { code: (err as { code?: unknown }).code, message: (err as Error).message };
  }
}

/** The frame's header with an 8-byte declared size instead of its own (its blocks as they were). */
function declaring(frame: Buffer, size: number): Buffer {
  const descriptor = frame[4];
  const singleSegment = (descriptor >> 5) & 1;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3];
  const width = (descriptor >> 6) === 0 ? singleSegment : [0, 2, 4, 8][descriptor >> 6];
  const header = Buffer.from(frame.subarray(0, at));
  header[4] = (descriptor & 0x3f) | 0xc0;
  const declared = Buffer.alloc(8);
  declared.writeBigUInt64LE(BigInt(size));
  const out = Buffer.concat([header, declared, frame.subarray(at + width)]);
  assert.equal(frameContentSize(out), size >= 2 ** 32 ? Infinity : size);
  return out;
}

/** A frame without a declared size: written by a stream in two parts. */
async function streamedFrame(input: Buffer, options: ZstdOptions): Promise<Buffer> {
  const stream = createZstdCompress(options);
  const parts: Buffer[] = [];
  stream.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => stream.on('end', resolve));
  stream.write(input.subarray(0, 10));
  stream.end(input.subarray(10));
  await done;
  return Buffer.concat(parts);
}

test('read back through a kept context: good and damaged frames give what zstdDecompressSync gives, and damage spoils no later frame', async () => {
  const dictionary = Buffer.from('{"eventID":"id-","eventName":"DescribeInstances"');
  const options: ZstdOptions = { dictionary, params: { [constants.ZSTD_c_compressionLevel]: 1 } };
  const good = inputs.map((input) => ({ input, frame: zstdCompressSync(input, options) }));
  const frame = good[0].frame;
  // The same frame declaring one byte less than it holds (a size of two bytes, stored less 256).
  const lying = Buffer.from(frame);
  assert.equal(lying[4] >> 6, 1, 'a frame of this size declares it in two bytes');
  const sizeAt = 5 + [0, 1, 2, 4][lying[4] & 3] + ((lying[4] >> 5) & 1 ? 0 : 1);
  lying.writeUInt16LE(lying.readUInt16LE(sizeAt) - 1, sizeAt);
  assert.equal(frameContentSize(lying), good[0].input.length - 1);
  const damaged = [
    frame.subarray(0, frame.length - 5), // truncated
    frame.subarray(0, 12), // cut inside the first block
    Buffer.concat([frame, Buffer.from('trailing')]),
    Buffer.concat([frame, frame]),
    lying,
    zstdCompressSync(good[0].input, { params: options.params }), // no dictionary where one is expected: still decodes
    zstdCompressSync(good[0].input, { dictionary: Buffer.from('another dictionary entirely'), params: options.params }),
    Buffer.from('not zstd at all'),
    declaring(frame, 2 ** 31), // a small frame that claims 2 GB: nothing of that size is allocated
    declaring(frame, 2 ** 40),
    Buffer.alloc(0),
    await streamedFrame(good[0].input, options), // no declared size
  ];
  assert.equal(frameContentSize(damaged.at(-1)!), null);
  const decompress = zstdFrameDecompressor({ dictionary });
  const max = 1 << 20;
  for (const bad of damaged) {
    assert.deepEqual(outcome(() => decompress(bad, max)), outcome(() => zstdDecompressSync(bad, { dictionary, maxOutputLength: max })));
    for (const { input, frame: f } of good) assert.deepEqual(decompress(f, max), input, 'a good frame after a damaged one');
  }
  // Over the bound: refused as zstdDecompressSync refuses it.
  const large = good[4];
  assert.ok(large.input.length > 1000);
  const bounded = outcome(() => decompress(large.frame, 1000));
  assert.ok('code' in bounded);
  assert.deepEqual(bounded, outcome(() => zstdDecompressSync(large.frame, { dictionary, maxOutputLength: 1000 })));
});

test('a frame header\'s declared size is read in each of its widths', () => {
  for (const n of [0, 1, 255, 256, 300, 65_791, 65_792, 1_000_000]) {
    const frame = zstdCompressSync(Buffer.alloc(n, 7));
    assert.equal(frameContentSize(frame), n, `${n} bytes`);
  }
  assert.equal(frameContentSize(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), null, 'too short');
});

test('a runtime whose undocumented handle behaves otherwise is not trusted: every block goes through zstdCompressSync', () => {
  const options: ZstdOptions = { params: { [constants.ZSTD_c_compressionLevel]: 1 } };
  // Its progress read from the wrong place: never updated (would loop), or the two counts swapped.
  const misreporting = (state: (real: Uint32Array) => Uint32Array) => (o?: ZstdOptions) => {
    const stream = createZstdCompress(o);
    const internals = stream as unknown as { _writeState: Uint32Array };
    internals._writeState = state(internals._writeState);
    return stream;
  };
  const stuck = misreporting(() => new Uint32Array(2));
  const swapped = misreporting((real) => new Proxy(real, { get: (t, k) => (k === '0' ? t[1] : k === '1' ? t[0] : Reflect.get(t, k)) }) as Uint32Array);
  for (const open of [stuck, swapped]) {
    const compress = zstdFrameCompressor(options, open);
    for (const input of inputs) assert.deepEqual(compress(input), zstdCompressSync(input, options));
  }
});

test('a decompressing handle that reports the right counts but writes other bytes is not trusted: every frame goes through zstdDecompressSync', () => {
  const dictionary = Buffer.from('{"eventID":"id-","eventName":"DescribeInstances"');
  const options: ZstdOptions = { dictionary, params: { [constants.ZSTD_c_compressionLevel]: 1 } };
  // Its native call does the real work, then overwrites the output with zeros: every count adds up.
  const zeroing = (o?: ZstdOptions) => {
    const stream = createZstdDecompress(o);
    const handle = (stream as unknown as { _handle: { writeSync: (...a: unknown[]) => void } })._handle;
    const real = handle.writeSync.bind(handle);
    handle.writeSync = (flush, input, inOff, inLen, out, outOff, outLen) => {
      real(flush, input, inOff, inLen, out, outOff, outLen);
      (out as Buffer).fill(0, outOff as number, (outOff as number) + (outLen as number));
    };
    return stream;
  };
  const decompress = zstdFrameDecompressor({ dictionary }, zeroing);
  for (const input of inputs) assert.deepEqual(decompress(zstdCompressSync(input, options), 1 << 20), input);
});
