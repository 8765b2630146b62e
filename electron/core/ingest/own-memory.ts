// Whether a buffer's memory is its own, so that it can be freed (detached) or moved to another
// thread (transferred) without touching anything else. Node cuts small buffers (allocUnsafe, from,
// concat under 4 KB) from shared 8 KB pools: such memory holds other buffers too, and is left alone.
// Memory larger than a pool, or a view of all of its memory (no pooled buffer covers its pool), is
// taken as the view's own: the views this is asked about (a decoded file, a compressed raw block, an
// encoded batch) were each made by one allocation that nothing else was cut from.

type Detachable = ArrayBuffer & { detached?: boolean; transfer?: (length: number) => ArrayBuffer };

/** The view's ArrayBuffer when it is not a pool's (nor shared, nor already detached), else null. */
export function ownMemory(view: ArrayBufferView): ArrayBuffer | null {
  const memory = view.buffer as Detachable;
  if (!(memory instanceof ArrayBuffer) || memory.detached === true) return null;
  const whole = view.byteOffset === 0 && view.byteLength === memory.byteLength;
  return memory.byteLength > Buffer.poolSize || whole ? memory : null;
}

/**
 * Frees the view's memory now rather than at its thread's next full collection; every view of it reads
 * as empty afterwards. ArrayBuffer.prototype.transfer is ES2024 (Node 21 and later, Electron's V8 too).
 */
export function freeNow(view: ArrayBufferView): void {
  const memory = ownMemory(view) as Detachable | null;
  memory?.transfer?.(0);
}
