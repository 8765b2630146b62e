// The graph counts events and flows in buckets of this many milliseconds (graph-counts.ts), and the
// flow edges are stored rolled up per bucket (migration 0129): both must use the same width.
export const BUCKET_MS = 900_000;
