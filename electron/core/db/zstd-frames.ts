// zstd compression and decompression of many small blocks, each its own frame, with one context kept
// for the thread.
// zstdCompressSync makes a context for every call and frees it after: its buffers (over a megabyte at
// level 1, past glibc's mmap threshold) are mapped afresh each time, and the page faults on first use
// cost about 0.5 ms a call, five times the compression of a 64-record raw block (10 µs a record
// instead of 2: docs/benchmark-history.md, "Raw blocks with a kept zstd context"). The parameters and the
// dictionary of a zstd context hold from one frame to the next, so a kept context gives the bytes
// zstdCompressSync gives; zstd-frames.test.ts checks that.
//
// Reading a block back has the same cost (0.52 → 0.12 ms a raw block; an 11 MB flow block 4.7 → 3.1 ms,
// decoded straight into a buffer of the size its frame declares instead of 16 KB pieces joined after).
// A kept decompression context is only trusted after a whole frame: Node's reset() drops the
// dictionary, so a damaged block (a case is hostile input) must not leave it halfway through one.
//
// Node offers no synchronous call that keeps a context, so this drives the stream's native handle as
// zlib's own synchronous path does (processChunkSync in Node's lib/zlib.js). Where that handle is not
// there (another runtime), every block goes through zstdCompressSync or zstdDecompressSync: slower,
// the same bytes.
import {
  constants, createZstdCompress, createZstdDecompress, zstdCompressSync, zstdDecompressSync,
  type ZstdCompress, type ZstdDecompress, type ZstdOptions,
} from 'node:zlib';

/** What Node's zlib streams keep for their synchronous path (not part of its documented API). */
type SyncHandle = {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
};
type Internals = { _handle?: SyncHandle; _writeState?: Uint32Array };

/** The output window of one native call: a frame larger than this is taken in several. */
const SCRATCH_BYTES = 256 * 1024;
/**
 * The largest declared size decoded straight into a buffer of that size: a flow block of 65,536 records
 * is about 16 MB. A frame declaring more (a crafted case can declare anything) goes to zstdDecompressSync,
 * which allocates only as it decodes.
 */
const DECLARED_BYTES = 32 * 1024 * 1024;

/** A zlib stream's synchronous path, or null where this runtime does not have it. */
function syncPath(engine: ZstdCompress | ZstdDecompress): { handle: SyncHandle; state: Uint32Array } | null {
  const { _handle: handle, _writeState: state } = engine as unknown as Internals;
  return typeof handle?.writeSync === 'function' && state instanceof Uint32Array ? { handle, state } : null;
}

/** A new stream whose failures are thrown by the calls that meet them, never emitted unhandled later. */
function opened<T extends ZstdCompress | ZstdDecompress>(engine: T): T {
  engine.on('error', () => {});
  return engine;
}

/**
 * A block compressed both ways when a thread first compresses, and decoded from zstdCompressSync's
 * frame when it first decompresses: the kept context is used only if it gives the public calls' bytes,
 * so a runtime whose undocumented handle means something else falls back to them rather than storing
 * records it cannot read back, or reading back records that were never stored.
 */
const PROBE = Buffer.from('{"eventName":"DescribeInstances","awsRegion":"eu-west-1"}\n'.repeat(8));

/** Whether the kept context passes `probe`, asked the first time it is needed and remembered; a probe that throws fails. */
function askedOnce(probe: () => boolean | undefined): () => boolean {
  let answer: boolean | null = null;
  return () => {
    if (answer === null) {
      try {
        answer = probe() ?? false;
      } catch {
        answer = false;
      }
    }
    return answer;
  };
}

/**
 * Compresses each input as one zstd frame with these options, the same bytes as zstdCompressSync(input,
 * options). `open` makes the kept stream (tests give one whose handle misbehaves).
 */
export function zstdFrameCompressor(options: ZstdOptions, open = createZstdCompress): (input: Uint8Array) => Buffer {
  let engine: ZstdCompress | null = null;
  let scratch: Buffer | null = null;
  /** The frame through the kept context; null where this runtime has no synchronous path. */
  const kept = (input: Uint8Array): Buffer | null => {
    engine ??= opened(open(options));
    const path = syncPath(engine);
    if (!path) return null;
    // zstd's own bound on a frame (ZSTD_COMPRESSBOUND) and room for its header: a handle that keeps
    // asking for more output than that is not doing what this expects, and must not loop for ever.
    const bound = input.byteLength + (input.byteLength >> 8) + 128 * 1024 + 64;
    const { handle, state } = path;
    scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
    const parts: Buffer[] = [];
    let size = 0;
    let inOff = 0;
    let inLen = input.byteLength;
    for (;;) {
      handle.writeSync(constants.ZSTD_e_end, input, inOff, inLen, scratch, 0, scratch.length);
      if (engine.destroyed) {
        // A failed call leaves the context unusable: the next block gets a new one.
        const reason = engine.errored ?? new Error('zstd compression failed');
        engine = null;
        throw reason;
      }
      const availOut = state[0];
      const availIn = state[1];
      // Offsets out of range would fail Node's native bounds check, which ends the process.
      if (availOut > scratch.length || availIn > inLen) {
        engine = null;
        throw new Error('zstd reported more room or input left than it was given');
      }
      const produced = scratch.length - availOut;
      // A copy of exactly the frame's bytes, in memory of its own (not one of Buffer's shared pools): the
      // block is moved to the writer thread (ingest/own-memory.ts); the scratch stays here for the next.
      const part = Buffer.allocUnsafeSlow(produced);
      scratch.copy(part, 0, 0, produced);
      parts.push(part);
      size += produced;
      if (size > bound) {
        engine = null;
        throw new Error('zstd gave more output than a frame of this input can hold');
      }
      inOff += inLen - availIn;
      inLen = availIn;
      // Room left in the output means the frame is finished (as in Node's own synchronous loop).
      if (availOut !== 0) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
  };
  const trusted = askedOnce(() => kept(PROBE)?.equals(zstdCompressSync(PROBE, options)));
  return (input) => (trusted() ? kept(input) : null) ?? zstdCompressSync(input, options);
}

/**
 * Decompresses one zstd frame with these options, with what zstdDecompressSync(input, { ...options,
 * maxOutputLength }) gives: the same bytes, or the same error. The kept context takes only a frame that
 * declares its size (up to DECLARED_BYTES) and decodes to exactly that, using all of the input;
 * anything else (no declared size, truncated, trailing bytes, corrupt) is left to zstdDecompressSync,
 * and the context that saw it is dropped. As with compression, the kept context is used only if it
 * gives PROBE back from zstdCompressSync's frame of it when the thread first decompresses: counts that
 * add up are not bytes that match. `open` makes the kept stream (tests give one whose handle misbehaves).
 */
export function zstdFrameDecompressor(options: ZstdOptions, open = createZstdDecompress): (input: Uint8Array, maxOutputLength: number) => Buffer {
  let engine: ZstdDecompress | null = null;
  const alone = (input: Uint8Array, maxOutputLength: number) => zstdDecompressSync(input, { ...options, maxOutputLength });
  /** The frame decoded through the kept context, when it decodes to exactly `size` bytes from all of its input; else null. */
  const kept = (input: Uint8Array, size: number): Buffer | null => {
    engine ??= opened(open(options));
    const path = syncPath(engine);
    if (!path) return null;
    // One byte more than declared: a frame that decodes to more leaves no room unused and is caught.
    const out = Buffer.allocUnsafeSlow(size + 1);
    path.handle.writeSync(constants.ZSTD_e_continue, input, 0, input.byteLength, out, 0, out.length);
    if (!engine.destroyed && path.state[1] === 0 && out.length - path.state[0] === size) return out.subarray(0, size);
    engine = null;
    return null;
  };
  const trusted = askedOnce(() => kept(zstdCompressSync(PROBE, { dictionary: options.dictionary }), PROBE.byteLength)?.equals(PROBE));
  return (input, maxOutputLength) => {
    const size = frameContentSize(input);
    if (size === null || size > maxOutputLength || size > DECLARED_BYTES) return alone(input, maxOutputLength);
    return (trusted() ? kept(input, size) : null) ?? alone(input, maxOutputLength);
  };
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * The content size a zstd frame's header declares (RFC 8878, 3.1.1), or null when it declares none or
 * the bytes do not start with a frame header. Past 2^32 bytes it is Infinity: more than any block holds.
 */
export function frameContentSize(frame: Uint8Array): number | null {
  if (frame.byteLength < 6) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) return null;
  const descriptor = frame[4];
  if (descriptor & 0x08) return null; // the reserved bit
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3];
  const width = sizeFlag === 0 ? singleSegment : [0, 2, 4, 8][sizeFlag];
  if (width === 0 || at + width > frame.byteLength) return null;
  if (width === 1) return view.getUint8(at);
  if (width === 2) return view.getUint16(at, true) + 256;
  if (width === 4) return view.getUint32(at, true);
  return view.getUint32(at + 4, true) === 0 ? view.getUint32(at, true) : Number.POSITIVE_INFINITY;
}
