// What evidence verification answers (electron/core/evidence/verify-evidence.ts): shared by the core,
// the CLI (`trailscope verify --json`) and the workbench's Evidence panel.

export type FileStatus = 'verified' | 'contradicted' | 'unverified';

export type SourceEntry = {
  path: string; sha256: string; size: number; kind: string; status: string; ingestedAt: string | null;
  /** CloudTrail log files: what the digests say about this file. */
  integrity: FileStatus | 'unlisted' | null;
  contentSha256: string | null;
};

export type DigestProblem =
  | { kind: 'contradicted'; file: string; digest: string; expected: string; actual: string }
  | { kind: 'missing'; file: string; digest: string }
  | { kind: 'unlisted'; file: string }
  | { kind: 'gap'; region: string; from: string; to: string }
  | { kind: 'chain-broken'; digest: string; previous: string; reason: string }
  | { kind: 'unreadable-digest'; digest: string; reason: string };

export type VerifyReport = {
  sources: SourceEntry[];
  digests: { file: string; region: string; start: string; end: string; files: number }[];
  counts: { verified: number; contradicted: number; missing: number; unlisted: number; unverified: number; gaps: number; chainBroken: number };
  problems: DigestProblem[];
  /** 'unsigned copy': digests came from files, whose signatures (S3 object metadata) were not pulled. */
  signatures: 'unsigned copy' | 'no digests';
  /** True when nothing is contradicted, missing, unlisted, broken or gapped. */
  ok: boolean;
};

/** The file one event was stored from and what the digests say about it. */
export type EventEvidence = { source: string; sha256: string; kind: string; integrity: FileStatus };
