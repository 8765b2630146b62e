// V8 lets a heap's old generation grow to several times what survived its last full collection before
// it collects again (a factor it picks, up to 4 for a heap that collects quickly). An ingest's threads
// make garbage fast and keep little of it: at the reading peak of a million events the writer thread
// held 130 MB of heap of which 25–40 MB lived, and each reader likewise. With growth held to 30% a
// million events with a new key for every call peaked at 512–524 MB instead of 585–630, the typical
// million at 494 instead of 563, for the same CPU (docs/benchmark-history.md, "Heap growth held to 30%").
// The setting is the process's, for every thread's heap; the entry points make it once at start,
// before any worker exists.
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 30;

/** Holds every heap of this process to growing by HEAP_GROWING_PERCENT between full collections. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
