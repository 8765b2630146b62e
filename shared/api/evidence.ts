// What evidence verification answers (electron/core/evidence/verify-evidence.ts): shared by the core,
// the CLI (`trailscope verify --json`) and the workbench's Evidence panel.

export type FileStatus = 'verified' | 'contradicted' | 'unverified';

/**
 * A digest's own signature: checked with CloudTrail's public key when the digest came from S3 with
 * its metadata (a live pull); a copied folder carries no signature ('unsigned copy').
 */
export type SignatureStatus = 'signature verified' | 'signature invalid' | 'unsigned copy' | 'no public key';

export type SourceEntry = {
  path: string; sha256: string; size: number; kind: string; status: string; ingestedAt: string | null;
  /** CloudTrail log files: what the digests say about this file. */
  integrity: FileStatus | 'unlisted' | null;
  /** CloudTrail digest files: what their signature says. */
  signature: SignatureStatus | null;
  contentSha256: string | null;
};

export type DigestProblem =
  | { kind: 'contradicted'; file: string; digest: string; expected: string; actual: string }
  | { kind: 'missing'; file: string; digest: string }
  | { kind: 'unlisted'; file: string }
  | { kind: 'gap'; region: string; from: string; to: string }
  | { kind: 'chain-broken'; digest: string; previous: string; reason: string }
  | { kind: 'unreadable-digest'; digest: string; reason: string }
  | { kind: 'signature-invalid'; digest: string; reason: string };

export type VerifyReport = {
  sources: SourceEntry[];
  digests: { file: string; path: string; region: string; start: string; end: string; files: number; signature: SignatureStatus; signatureReason?: string }[];
  counts: {
    verified: number; contradicted: number; missing: number; unlisted: number; unverified: number; gaps: number; chainBroken: number;
    /** Digests by signature status. */
    signaturesVerified: number; signaturesInvalid: number; unsignedCopies: number; noPublicKey: number;
  };
  problems: DigestProblem[];
  /**
   * The digests' signatures in one phrase: 'no digests', one status when every digest has it (e.g.
   * 'unsigned copy' for a folder, whose signatures live in S3 metadata it does not carry), else 'mixed'.
   */
  signatures: SignatureStatus | 'no digests' | 'mixed';
  /** True when nothing is contradicted, missing, unlisted, broken, gapped or signed wrongly. */
  ok: boolean;
  /** The SHA-256 of the evidence manifest: the sha256sum lines `trailscope verify --manifest` prints, one per source. */
  manifestSha256: string;
};

/** The file one event was stored from and what the digests say about it. */
export type EventEvidence = { source: string; sha256: string; kind: string; integrity: FileStatus };
