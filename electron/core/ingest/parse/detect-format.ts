// What the first bytes of an input say it is. Names and extensions are never consulted: S3 exports,
// zips and analysts rename files freely.
import { isGzip, isParquet, isZip } from './magic.ts';

export type Sniffed =
  | { format: 'empty' }
  | { format: 'gzip' }
  | { format: 'zip' }
  | { format: 'parquet' }
  | { format: 'binary'; reason: string }
  | { format: 'json'; skip: number }
  | { format: 'text'; skip: number };

/** How many leading bytes sniff() looks at. */
export const SNIFF_BYTES = 4096;

/** `head` is the first bytes (up to SNIFF_BYTES); `ended` says the input has no more. */
export function sniff(head: Buffer, ended: boolean): Sniffed {
  if (head.length === 0) return { format: 'empty' };
  if (isGzip(head)) return { format: 'gzip' };
  if (isZip(head)) return { format: 'zip' };
  if (isParquet(head)) return { format: 'parquet' };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return { format: 'binary', reason: 'UTF-16 text is not supported: save the file as UTF-8' };
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let control = 0;
  for (let i = bom; i < head.length; i++) {
    const c = head[i];
    if (c === 0) return { format: 'binary', reason: 'binary data, not a log or config format' };
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  if (control > (head.length - bom) / 100) return { format: 'binary', reason: 'binary data, not a log or config format' };
  let i = bom;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i === head.length) return ended ? { format: 'empty' } : { format: 'text', skip: bom };
  const c = head[i];
  return c === 0x7b || c === 0x5b ? { format: 'json', skip: bom } : { format: 'text', skip: bom };
}
