// Evidence integrity (`trailscope verify`, the evidence panel, the report's manifest): every source's
// SHA-256 as ingested, and CloudTrail's digest files checked the way `aws cloudtrail validate-logs`
// checks them: a listed log file's hashValue is the SHA-256 of its decompressed content, and each
// digest names the previous one by object and hash. Files are matched by their S3 object's file name
// (CloudTrail names are unique per trail), since a folder copy keeps names but not buckets.
// Signatures live in S3 object metadata, which a copied folder does not carry: a copy is reported
// as an 'unsigned copy', never as signed.
import { basename } from 'node:path';
import type { CaseDb } from '../db/open-case.ts';
import { iso } from '../analysis/prepared.ts';

export type { FileStatus, SourceEntry, DigestProblem, VerifyReport } from '../../../shared/api/evidence.ts';
import type { FileStatus, SourceEntry, DigestProblem, VerifyReport } from '../../../shared/api/evidence.ts';

type DigestJson = {
  awsAccountId?: string; digestStartTime?: string; digestEndTime?: string; digestS3Object?: string;
  previousDigestS3Object?: string | null; previousDigestHashValue?: string | null;
  logFiles?: { s3Object?: string; hashValue?: string }[];
};

type Row = { id: number; path: string; sha256: string; size: number; kind: string; status: string; started_at: number; content_sha256: string | null; digest: string | null };

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
  const hasEvidence = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'source_evidence'").pluck().get() === 1;
  const rows = db
    .prepare(hasEvidence
      ? 'SELECT s.id, s.path, s.sha256, s.size, s.kind, s.status, s.started_at, v.content_sha256, v.digest FROM sources s LEFT JOIN source_evidence v ON v.source_id = s.id ORDER BY s.path, s.id'
      : 'SELECT id, path, sha256, size, kind, status, started_at, NULL AS content_sha256, NULL AS digest FROM sources ORDER BY path, id')
    .all() as Row[];
  const problems: DigestProblem[] = [];
  const logs = new Map<string, Row>();
  for (const r of rows) if (r.kind === 'cloudtrail' && r.content_sha256) logs.set(basename(r.path), r);
  const digestRows = rows.filter((r) => r.kind === 'cloudtrail-digest');
  const digestHash = new Map(digestRows.filter((r) => r.content_sha256).map((r) => [basename(r.path), r.content_sha256!]));

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
    const region = regionOf(json.digestS3Object ?? file);
    const start = Date.parse(json.digestStartTime ?? '');
    const end = Date.parse(json.digestEndTime ?? '');
    digests.push({ file, region, start: iso(start) ?? '', end: iso(end) ?? '', files: json.logFiles.length });
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
    return { path: r.path, sha256: r.sha256, size: r.size, kind: r.kind, status: r.status, ingestedAt: iso(r.started_at), integrity: state, contentSha256: r.content_sha256 };
  });
  const count = (s: string) => sources.filter((x) => x.integrity === s).length;
  const counts = {
    verified: count('verified'), contradicted: count('contradicted'), missing, unlisted, unverified: count('unverified'),
    gaps: problems.filter((p) => p.kind === 'gap').length, chainBroken: problems.filter((p) => p.kind === 'chain-broken').length,
  };
  return {
    sources, digests, counts, problems,
    signatures: digests.length ? 'unsigned copy' : 'no digests',
    ok: counts.contradicted + counts.missing + counts.unlisted + counts.gaps + counts.chainBroken === 0 && !problems.some((p) => p.kind === 'unreadable-digest'),
  };
}

/** Per source path: whether its file is verified, unverified or contradicted (for each event's source). */
export function integrityBySource(report: VerifyReport): Map<string, FileStatus> {
  return new Map(report.sources.filter((s) => s.kind === 'cloudtrail').map((s) => [s.path, s.integrity === 'contradicted' ? 'contradicted' : s.integrity === 'verified' ? 'verified' : 'unverified']));
}
