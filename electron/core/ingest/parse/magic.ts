// Formats told apart by their first bytes, never by file names (S3 exports and zips rename freely).

/** The first bytes an input's owner looks at: a zip's magic, a tar's header, a gzipped tar's first header deflated. */
export const HEAD_BYTES = 4096;

/** A stream's first chunk, empty when it has none: leaving the loop destroys the stream, so nothing more is read. */
export async function firstChunk(stream: AsyncIterable<unknown>): Promise<Buffer> {
  for await (const chunk of stream) return chunk as Buffer;
  return Buffer.alloc(0);
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** PK\3\4 (a member), PK\5\6 (an empty archive) or PK\7\8 (a spanned archive). */
export function isZip(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6) || (head[2] === 7 && head[3] === 8))
  );
}

/** Apache Parquet ("PAR1" at both ends): flow logs delivered as Parquet, Security Lake's OCSF, Athena's tables. */
export function isParquet(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}
