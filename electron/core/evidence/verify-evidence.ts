// Evidence integrity (`trailscope verify`, the evidence panel, the report's manifest): every source's
// SHA-256 as ingested, and CloudTrail's digest files checked the way `aws cloudtrail validate-logs`
// checks them: a listed log file's hashValue is the SHA-256 of its decompressed content, and each
// digest names the previous one by object and hash. Files are matched by their S3 object's file name
// (CloudTrail names are unique per trail), since a folder copy keeps names but not buckets.
// Signatures live in S3 object metadata, which a copied folder does not carry: a copy is reported
// as an 'unsigned copy', never as signed. A digest pulled live is checked against CloudTrail's public
// key (digest-signature.ts); one whose signature fails vouches for nothing: its listed files are not
// counted as verified by it, nor reported missing, and its window covers nothing.
import { basename } from 'node:path';
import type { CaseDb } from '../db/open-case.ts';
import { iso } from '../analysis/prepared.ts';
import { checkDigestSignature, keyReader, type PublicKeyRow } from './digest-signature.ts';

export type { FileStatus, SourceEntry, DigestProblem, VerifyReport } from '../../../shared/api/evidence.ts';
import type { FileStatus, SourceEntry, DigestProblem, VerifyReport, SignatureStatus } from '../../../shared/api/evidence.ts';
import { evidenceManifest } from './evidence-manifest.ts';

type DigestJson = {
  awsAccountId?: string; digestStartTime?: string; digestEndTime?: string; digestS3Object?: string;
  previousDigestS3Object?: string | null; previousDigestHashValue?: string | null; previousDigestSignature?: string | null;
  logFiles?: { s3Object?: string; hashValue?: string }[];
};

type Row = {
  id: number; path: string; sha256: string; size: number; kind: string; status: string; started_at: number;
  content_sha256: string | null; digest: string | null; signature: string | null; signature_algorithm: string | null;
};

const hasTable = (db: CaseDb, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;
const hasColumn = (db: CaseDb, table: string, column: string) => db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').pluck().get(table, column) === 1;

/** Reads what a case at any schema version holds (older cases have no evidence or no signatures). */
function readRows(db: CaseDb): { rows: Row[]; keys: PublicKeyRow[] } {
  const base = 'SELECT s.id, s.path, s.sha256, s.size, s.kind, s.status, s.started_at';
  let sql = `${base}, NULL AS content_sha256, NULL AS digest, NULL AS signature, NULL AS signature_algorithm FROM sources s ORDER BY s.path, s.id`;
  if (hasTable(db, 'source_evidence')) {
    const signed = hasColumn(db, 'source_evidence', 'signature') ? 'v.signature, v.signature_algorithm' : 'NULL AS signature, NULL AS signature_algorithm';
    // As hex, however the case keeps it (its bytes since migration 0140).
    const content = hasColumn(db, 'source_evidence', 'content_hash') ? 'lower(hex(v.content_hash))' : 'v.content_sha256';
    sql = `${base}, ${content} AS content_sha256, v.digest, ${signed} FROM sources s LEFT JOIN source_evidence v ON v.source_id = s.id ORDER BY s.path, s.id`;
  }
  const keys = hasTable(db, 'cloudtrail_public_keys') ? (db.prepare('SELECT fingerprint, public_key, valid_from, valid_until FROM cloudtrail_public_keys').all() as PublicKeyRow[]) : [];
  return { rows: db.prepare(sql).all() as Row[], keys };
}

/** A region from a CloudTrail object key or file name: <account>_CloudTrail(-Digest)_<region>_… */
function regionOf(name: string): string {
  return /_CloudTrail(?:-Digest)?_([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(basename(name))?.[1] ?? 'unknown';
}

/** The delivery time in a CloudTrail log file's name (…_CloudTrail_<region>_20250310T0310Z_…), in ms. */
function deliveredAt(name: string): number | null {
  const m = /_CloudTrail_[a-z0-9-]+_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)Z_/.exec(basename(name));
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`) : null;
}

export function verifyEvidence(db: CaseDb): VerifyReport {
  const { rows, keys } = readRows(db);
  const key = keyReader(keys);
  const problems: DigestProblem[] = [];
  const logs = new Map<string, Row>();
  for (const r of rows) if (r.kind === 'cloudtrail' && r.content_sha256) logs.set(basename(r.path), r);
  const digestRows = rows.filter((r) => r.kind === 'cloudtrail-digest');
  const digestHash = new Map(digestRows.filter((r) => r.content_sha256).map((r) => [basename(r.path), r.content_sha256!]));
  const digestSignature = new Map(digestRows.filter((r) => r.signature !== null && r.content_sha256).map((r) => [basename(r.path), r.signature!.trim().toLowerCase()]));
  const signatureOf = new Map<string, SignatureStatus>();

  const integrity = new Map<string, FileStatus>();
  const listed = new Set<string>();
  const digests: VerifyReport['digests'] = [];
  const byRegion = new Map<string, { start: number; end: number; file: string }[]>();
  let missing = 0;
  for (const d of digestRows) {
    const file = basename(d.path);
    let json: DigestJson;
    try {
      if (d.digest === null) throw new Error('its content was not recorded (too large, or ingested by an older Trailscope)');
      json = JSON.parse(d.digest) as DigestJson;
      if (!json || typeof json !== 'object' || !Array.isArray(json.logFiles)) throw new Error('not a CloudTrail digest (no logFiles)');
    } catch (err) {
      problems.push({ kind: 'unreadable-digest', digest: file, reason: (err as Error).message });
      continue;
    }
    const region = regionOf(typeof json.digestS3Object === 'string' ? json.digestS3Object : file);
    const start = Date.parse(String(json.digestStartTime ?? ''));
    const end = Date.parse(String(json.digestEndTime ?? ''));
    const signed = checkDigestSignature({ sourcePath: d.path, digest: json, contentSha256: d.content_sha256!, signature: d.signature, algorithm: d.signature_algorithm, key });
    signatureOf.set(d.path, signed.status);
    // A digest without its times (hostile, or not CloudTrail's) shows empty ones rather than stopping verify.
    digests.push({ file, path: d.path, region, start: Number.isFinite(start) ? iso(start)! : '', end: Number.isFinite(end) ? iso(end)! : '', files: json.logFiles.length, signature: signed.status, ...(signed.reason ? { signatureReason: signed.reason } : {}) });
    if (signed.status === 'signature invalid') {
      problems.push({ kind: 'signature-invalid', digest: file, reason: signed.reason ?? 'the signature does not match' });
      continue;
    }
    if (Number.isFinite(start) && Number.isFinite(end)) byRegion.set(region, [...(byRegion.get(region) ?? []), { start, end, file }]);
    for (const entry of json.logFiles) {
      const name = basename(String(entry?.s3Object ?? ''));
      if (!name) continue;
      listed.add(name);
      const log = logs.get(name);
      if (!log) {
        missing++;
        problems.push({ kind: 'missing', file: name, digest: file });
        continue;
      }
      const expected = String(entry.hashValue ?? '').toLowerCase();
      if (expected === log.content_sha256) {
        if (integrity.get(name) !== 'contradicted') integrity.set(name, 'verified');
      } else {
        integrity.set(name, 'contradicted');
        problems.push({ kind: 'contradicted', file: name, digest: file, expected, actual: log.content_sha256! });
      }
    }
    // The chain: the previous digest named here must hash to what this digest says.
    if (json.previousDigestS3Object) {
      const previous = basename(json.previousDigestS3Object);
      const actual = digestHash.get(previous);
      if (actual === undefined) problems.push({ kind: 'chain-broken', digest: file, previous, reason: 'the previous digest is not in the case' });
      else if (actual !== String(json.previousDigestHashValue ?? '').toLowerCase()) problems.push({ kind: 'chain-broken', digest: file, previous, reason: 'the previous digest was changed after delivery (its hash differs)' });
      // Both pulled with their signatures: this digest must name the signature the previous one carries.
      const previousSignature = digestSignature.get(previous);
      if (actual !== undefined && previousSignature !== undefined && d.signature !== null && previousSignature !== String(json.previousDigestSignature ?? '').toLowerCase()) {
        problems.push({ kind: 'chain-broken', digest: file, previous, reason: "the previous digest's signature is not the one this digest names" });
      }
    }
  }
  // Gaps: consecutive digests of a region must tile time (each hour's digest starts where the last ended).
  for (const [region, list] of byRegion) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      if (list[i].start > list[i - 1].end) problems.push({ kind: 'gap', region, from: iso(list[i - 1].end)!, to: iso(list[i].start)! });
    }
  }
  // A log file no digest lists is 'unlisted' only when a digest of its region covers its delivery
  // time (the time in its name); one delivered outside every digest's window is just unverified.
  const covered = (name: string): boolean => {
    const t = deliveredAt(name);
    return t !== null && (byRegion.get(regionOf(name)) ?? []).some((d) => t > d.start && t <= d.end);
  };
  let unlisted = 0;
  const sources: SourceEntry[] = rows.map((r) => {
    let state: SourceEntry['integrity'] = null;
    if (r.kind === 'cloudtrail') {
      const name = basename(r.path);
      state = integrity.get(name) ?? (!listed.has(name) && covered(name) ? 'unlisted' : 'unverified');
      if (state === 'unlisted') {
        unlisted++;
        problems.push({ kind: 'unlisted', file: name });
      }
    }
    return { path: r.path, sha256: r.sha256, size: r.size, kind: r.kind, status: r.status, ingestedAt: iso(r.started_at), integrity: state, signature: signatureOf.get(r.path) ?? null, contentSha256: r.content_sha256 };
  });
  const count = (s: string) => sources.filter((x) => x.integrity === s).length;
  const signed = (s: SignatureStatus) => digests.filter((x) => x.signature === s).length;
  const counts = {
    verified: count('verified'), contradicted: count('contradicted'), missing, unlisted, unverified: count('unverified'),
    gaps: problems.filter((p) => p.kind === 'gap').length, chainBroken: problems.filter((p) => p.kind === 'chain-broken').length,
    signaturesVerified: signed('signature verified'), signaturesInvalid: signed('signature invalid'), unsignedCopies: signed('unsigned copy'), noPublicKey: signed('no public key'),
  };
  const statuses = new Set(digests.map((x) => x.signature));
  return {
    sources, digests, counts, problems,
    signatures: digests.length === 0 ? 'no digests' : statuses.size === 1 ? digests[0].signature : 'mixed',
    ok: counts.contradicted + counts.missing + counts.unlisted + counts.gaps + counts.chainBroken + counts.signaturesInvalid === 0 && !problems.some((p) => p.kind === 'unreadable-digest'),
    manifestSha256: evidenceManifest(sources).sha256,
  };
}

/** Per source path: whether its file is verified, unverified or contradicted (for each event's source). */
export function integrityBySource(report: VerifyReport): Map<string, FileStatus> {
  return new Map(report.sources.filter((s) => s.kind === 'cloudtrail').map((s) => [s.path, s.integrity === 'contradicted' ? 'contradicted' : s.integrity === 'verified' ? 'verified' : 'unverified']));
}
