// AWS value shapes that normalizing needs beyond plain JSON reading (electron/core/json-values.ts):
// account ids that lost their leading zeros, prefixed resource ids, ARN partitions.
import { str } from '../../json-values.ts';

/** Account ids as 12-digit strings: some pipelines (streamalert) store them as integers, dropping leading zeros. */
export function accountId(v: unknown): string | null {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 0 && v < 1e12 ? String(v).padStart(12, '0') : null;
  }
  if (typeof v !== 'string' || v.length === 0) return null;
  if (v.length < 12 && isDigits(v)) return v.padStart(12, '0');
  return v;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** An EC2-style id with the expected prefix ("sg-", "i-"...), so placeholders like "..." are not taken for ids. */
export function awsId(v: unknown, prefix: string): string | null {
  const s = str(v);
  return s !== null && s.length > prefix.length && s.startsWith(prefix) ? s : null;
}

/** The partition of an ARN ("aws", "aws-cn", "aws-us-gov"), defaulting to "aws". */
export function partitionOf(arn: string | null): string {
  if (arn === null || !arn.startsWith('arn:')) return 'aws';
  const end = arn.indexOf(':', 4);
  return end > 4 ? arn.slice(4, end) : 'aws';
}
