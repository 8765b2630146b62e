// zstd compression of many small blocks, each its own frame, with one context kept for the thread.
// zstdCompressSync makes a context for every call and frees it after: its buffers (over a megabyte at
// level 1, past glibc's mmap threshold) are mapped afresh each time, and the page faults on first use
// cost about 0.5 ms a call, five times the compression of a 64-record raw block (10 µs a record
// instead of 2: docs/benchmarks.md, "Raw blocks with a kept zstd context"). The parameters and the
// dictionary of a zstd context hold from one frame to the next, so a kept context gives the bytes
// zstdCompressSync gives; zstd-frames.test.ts checks that.
//
// Node offers no synchronous call that keeps a context, so this drives the stream's native handle as
// zlib's own synchronous path does (processChunkSync in Node's lib/zlib.js). Where that handle is not
// there (another runtime), every block goes through zstdCompressSync: slower, the same bytes.
import { constants, createZstdCompress, zstdCompressSync, type ZstdCompress, type ZstdOptions } from 'node:zlib';

/** What Node's zlib streams keep for their synchronous path (not part of its documented API). */
type SyncHandle = {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
};
type Internals = { _handle?: SyncHandle; _writeState?: Uint32Array };

/** The output window of one native call: a frame larger than this is taken in several. */
const SCRATCH_BYTES = 256 * 1024;

/** Compresses each input as one zstd frame with these options, the same bytes as zstdCompressSync(input, options). */
export function zstdFrameCompressor(options: ZstdOptions): (input: Uint8Array) => Buffer {
  let engine: ZstdCompress | null = null;
  let scratch: Buffer | null = null;
  return (input) => {
    if (!engine) {
      engine = createZstdCompress(options);
      // A failure is thrown from the call below; the stream's own 'error' event, emitted later, must not
      // end the process as an unhandled one.
      engine.on('error', () => {});
    }
    const { _handle: handle, _writeState: state } = engine as unknown as Internals;
    if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array)) return zstdCompressSync(input, options);
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
      const produced = scratch.length - availOut;
      // A copy of exactly the frame's bytes, in memory of its own (not one of Buffer's shared pools): the
      // block is moved to the writer thread (ingest/own-memory.ts); the scratch stays here for the next.
      const part = Buffer.allocUnsafeSlow(produced);
      scratch.copy(part, 0, 0, produced);
      parts.push(part);
      size += produced;
      inOff += inLen - availIn;
      inLen = availIn;
      // Room left in the output means the frame is finished (as in Node's own synchronous loop).
      if (availOut !== 0) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
  };
}
