// The shape of a rule. Built-in rules (../builtin/) and Sigma rules (../sigma/) become the same
// EventRule, run by one engine (run-rules.ts); built-in analyzers over roll-ups (new values, bursts,
// unknown regions, sequences) carry the same metadata so every finding names its rule.
import type { FindingCategory, FindingKind, FindingRule, FindingSeverity } from '../../../../../shared/engine-types.ts';
import type { CompiledDetection } from './detection.ts';

export type Rec = Record<string, unknown>;

/** What a rule's check makes of a matching record: null drops it. */
export type CheckResult = {
  /** The target (group, user, trail, snapshot…) or new value; hits of one actor with the same value merge. */
  value: string | null;
  /** Says what happened, for the title: "sg-0abc tcp/22 from 0.0.0.0/0". */
  summary: string;
  severity?: FindingSeverity;
  /** Replaces the rule's explanation as the finding's detail when set. */
  detail?: string;
} | null;

export type Check = (record: Rec) => CheckResult;

/** A built-in rule as data: metadata, a Sigma-style selection, and optionally a named check. */
export type BuiltinRuleDef = {
  id: string;
  kind: FindingKind;
  category: FindingCategory;
  severity: FindingSeverity;
  techniques: string[];
  title: string;
  explanation: string;
  proof: string[];
  falsePositives: string[];
  /** A Sigma detection selection (fields ANDed, value lists and lists of maps ORed, `field|modifier` keys). Absent for analyzers. */
  match?: Record<string, unknown> | Record<string, unknown>[];
  /** A check from ../builtin/checks.ts that reads the record further (and may drop it). */
  check?: string;
  /** Paths whose first present value is the finding's value when there is no check. */
  value?: string[];
  /**
   * Calls this origin (or instance role) already makes routinely — before the learning window ended, or
   * more than an hour earlier — are dropped ('drop') or reported as low ('demote').
   */
  routine?: 'drop' | 'demote';
  /** How hits of one actor merge into one finding: same value (default), or all of them ('actor'). */
  group?: 'value' | 'actor';
  /** The analyzer that raises it, for rules that are not a per-event match. */
  analyzer?: string;
};

export type EventRule = {
  meta: FindingRule;
  kind: FindingKind;
  category: FindingCategory;
  detection: CompiledDetection;
  check?: Check;
  value?: string[];
  routine?: 'drop' | 'demote';
  group: 'value' | 'actor';
  /** Calls made by AWS services for the account (invokedBy, AWSService identities) are skipped. */
  skipAutomation: boolean;
};
