// A CloudTrail digest's own signature, checked as AWS documents it ("Custom implementations of
// CloudTrail log file integrity validation"): CloudTrail signs, with SHA256withRSA and its region's
// private key, the data signing string
//   digestEndTime + "\n" + "<bucket>/<key>" + "\n" + hex SHA-256 of the uncompressed digest + "\n" + previousDigestSignature
// (previousDigestSignature is "null" for the first digest of a chain) and puts the hex signature in
// the S3 object's metadata. The path is where the digest was fetched from, so a digest moved or
// copied to another key does not verify. A folder copy carries no metadata: an 'unsigned copy'.
import { createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { member, text } from '../json-values.ts';
import type { SignatureStatus } from '../../../shared/api/evidence.ts';

/** RSA keys CloudTrail uses are 2048 bits (512 hex digits); a 16384-bit one would be 4096. */
export const MAX_SIGNATURE_HEX = 4096;
export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

export type PublicKeyRow = { fingerprint: string; public_key: Buffer; valid_from: number | null; valid_until: number | null };
type KeyEntry = { key: KeyObject | 'unreadable'; validFrom: number | null; validUntil: number | null };
export type SignatureCheck = { status: SignatureStatus; reason?: string };

/** `s3://bucket/key` → `bucket/key`; null for a file on disk. */
export function s3PathOf(sourcePath: string): string | null {
  return sourcePath.startsWith('s3://') && sourcePath.length > 5 ? sourcePath.slice(5) : null;
}

export function dataSigningString(digest: unknown, s3Path: string, contentSha256: string): string {
  const previous = member(digest, 'previousDigestSignature');
  return `${text(digest, 'digestEndTime') ?? ''}\n${s3Path}\n${contentSha256}\n${typeof previous === 'string' ? previous : 'null'}`;
}

/** Parses each key once per verify run; an unreadable key is remembered as such. */
export function keyReader(rows: PublicKeyRow[]): (fingerprint: string) => KeyEntry | null {
  const raw = new Map(rows.map((r) => [r.fingerprint.toLowerCase(), r]));
  const parsed = new Map<string, KeyEntry>();
  return (fingerprint) => {
    const f = fingerprint.toLowerCase();
    const row = raw.get(f);
    if (!row) return null;
    let entry = parsed.get(f);
    if (!entry) {
      let key: KeyObject | 'unreadable';
      try {
        key = createPublicKey({ key: Buffer.from(row.public_key), format: 'der', type: 'pkcs1' });
      } catch {
        key = 'unreadable';
      }
      entry = { key, validFrom: row.valid_from, validUntil: row.valid_until };
      parsed.set(f, entry);
    }
    return entry;
  };
}

export function checkDigestSignature(input: {
  sourcePath: string;
  digest: unknown;
  contentSha256: string;
  signature: string | null;
  algorithm: string | null;
  key: (fingerprint: string) => KeyEntry | null;
}): SignatureCheck {
  const s3Path = s3PathOf(input.sourcePath);
  if (input.signature === null || s3Path === null) return { status: 'unsigned copy' };
  const sig = input.signature.trim();
  if (sig.length > MAX_SIGNATURE_HEX) return { status: 'signature invalid', reason: `the signature metadata is longer than ${MAX_SIGNATURE_HEX} characters` };
  if (sig.length === 0 || sig.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(sig)) return { status: 'signature invalid', reason: 'the signature metadata is not hexadecimal' };
  const algorithm = input.algorithm ?? text(input.digest, 'digestSignatureAlgorithm');
  if (algorithm !== SIGNATURE_ALGORITHM) return { status: 'signature invalid', reason: `unknown signature algorithm ${JSON.stringify(String(algorithm ?? '(none)').slice(0, 64))} (CloudTrail signs with ${SIGNATURE_ALGORITHM})` };
  const fingerprint = text(input.digest, 'digestPublicKeyFingerprint');
  if (!fingerprint) return { status: 'no public key', reason: 'the digest names no public key fingerprint' };
  const entry = input.key(fingerprint);
  if (entry === null) return { status: 'no public key', reason: `no CloudTrail public key with fingerprint ${fingerprint.slice(0, 64)} in the case` };
  const key = entry.key;
  if (key === 'unreadable') return { status: 'no public key', reason: `the public key with fingerprint ${fingerprint.slice(0, 64)} is not a DER RSA public key` };
  // As validate-logs asks CloudTrail only for the keys of the digest's time: a key outside its validity is not the digest's.
  const end = Date.parse(text(input.digest, 'digestEndTime') ?? '');
  if (Number.isFinite(end) && ((entry.validFrom !== null && end < entry.validFrom) || (entry.validUntil !== null && end > entry.validUntil))) {
    return { status: 'no public key', reason: `the public key with fingerprint ${fingerprint.slice(0, 64)} was not valid at the digest's end time` };
  }
  const signed = Buffer.from(dataSigningString(input.digest, s3Path, input.contentSha256), 'utf8');
  let good = false;
  try {
    good = verify('sha256', signed, { key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(sig, 'hex'));
  } catch {
    good = false;
  }
  return good ? { status: 'signature verified' } : { status: 'signature invalid', reason: 'the signature does not match the digest (edited, moved, or signed by another key)' };
}
