// The investigator's decisions about findings as the contract carries them (core, CLI and renderer
// share the scopes and bounds): suppressions, and the Sigma rule folders loaded into the case.

/** A rule everywhere, a rule for one origin (person, role, instance), or one finding marked as expected. */
export const SUPPRESSION_SCOPES = ['rule', 'rule-actor', 'finding'] as const;
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];
/** Characters of a suppression's reason. */
export const REASON_CHARS = 1000;
/** Suppressions one case holds. */
export const MAX_SUPPRESSIONS = 10_000;

export type FindingSuppression = {
  id: number;
  scope: SuppressionScope;
  /** The rule (for a finding: the rule that raised it). */
  ruleId: string;
  /** The origin id (rule-actor) or the finding id (finding); null for a rule. */
  target: string | null;
  reason: string;
  author: string;
  /** ISO 8601 UTC. */
  at: string;
};

/** One rule folder loaded into the case: what loaded, and each file that did not with its reason. */
export type SigmaFolder = {
  folder: string;
  loadedAt: string;
  rules: { file: string; id: string; title: string; level: string }[];
  rejected: { file: string; reason: string }[];
};
