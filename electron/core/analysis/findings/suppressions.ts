// The investigator's suppressions (table `finding_suppressions`, migration 0085): a rule everywhere, a
// rule for one origin, or one finding marked as expected, each with a reason. The one place their SQL
// lives. findings() applies them, so the app, `trailscope findings` and the report agree on what is
// hidden. A case may come from anyone: what is read back is bounded like what is written.
import type { Finding } from '../../../../shared/engine-types.ts';
import { MAX_SUPPRESSIONS, REASON_CHARS, SUPPRESSION_SCOPES, type FindingSuppression, type SuppressionScope } from '../../../../shared/api/finding-decisions.ts';
import { AUTHOR_CHARS } from '../../../../shared/api/annotations.ts';
import { defaultAuthor } from '../../annotations/annotations.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';

export class SuppressionError extends Error {
  override name = 'SuppressionError';
}

export type NewSuppression = { scope: SuppressionScope; ruleId: string; target?: string; reason: string; author?: string; at?: number };

const MAX_ID = 2048;

/** Whether the case has the table (a case of an older version opened read-only has not). */
export function hasSuppressions(db: CaseDb): boolean {
  return stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'finding_suppressions'").pluck().get() === 1;
}

/** Adds a suppression, or updates the reason of the same one (same scope, rule and target). */
export function addSuppression(db: CaseDb, s: NewSuppression): FindingSuppression {
  if (!SUPPRESSION_SCOPES.includes(s.scope)) throw new SuppressionError(`unknown scope '${String(s.scope)}' (rule, rule-actor or finding)`);
  const ruleId = s.ruleId.trim();
  if (!ruleId || ruleId.length > MAX_ID) throw new SuppressionError('the rule id must be 1 to 2048 characters');
  const target = s.scope === 'rule' ? '' : (s.target ?? '').trim();
  if (s.scope !== 'rule' && (!target || target.length > MAX_ID)) {
    throw new SuppressionError(s.scope === 'finding' ? 'marking a finding as expected needs its id' : 'suppressing a rule for one actor needs the actor (its origin id)');
  }
  const reason = s.reason.trim();
  if (!reason) throw new SuppressionError('a suppression needs a reason');
  if (reason.length > REASON_CHARS) throw new SuppressionError(`a reason holds at most ${REASON_CHARS} characters (this one has ${reason.length})`);
  const author = (s.author ?? defaultAuthor()).trim().slice(0, AUTHOR_CHARS) || 'unknown';
  if ((stmt(db, 'SELECT count(*) FROM finding_suppressions').pluck().get() as number) >= MAX_SUPPRESSIONS) {
    throw new SuppressionError(`the case already holds ${MAX_SUPPRESSIONS} suppressions`);
  }
  const row = stmt(db, `INSERT INTO finding_suppressions (scope, rule_id, target, reason, author, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (scope, rule_id, target) DO UPDATE SET reason = excluded.reason, author = excluded.author, created_at = excluded.created_at
    RETURNING id, scope, rule_id AS ruleId, target, reason, author, created_at AS at`).get(s.scope, ruleId, target, reason, author, s.at ?? Date.now()) as Row;
  return fromRow(row);
}

export function removeSuppression(db: CaseDb, id: number): boolean {
  return stmt(db, 'DELETE FROM finding_suppressions WHERE id = ?').run(id).changes > 0;
}

type Row = { id: number; scope: SuppressionScope; ruleId: string; target: string; reason: string; author: string; at: number };

function fromRow(r: Row): FindingSuppression {
  return {
    id: r.id, scope: r.scope, ruleId: r.ruleId.slice(0, MAX_ID), target: r.scope === 'rule' ? null : r.target.slice(0, MAX_ID),
    reason: r.reason.slice(0, REASON_CHARS), author: r.author.slice(0, AUTHOR_CHARS), at: iso(r.at)!,
  };
}

/** Every suppression of the case, oldest first (at most MAX_SUPPRESSIONS). */
export function listSuppressions(db: CaseDb): FindingSuppression[] {
  if (!hasSuppressions(db)) return [];
  return (stmt(db, `SELECT id, scope, rule_id AS ruleId, target, reason, author, created_at AS at FROM finding_suppressions
    WHERE scope IN ('rule', 'rule-actor', 'finding') ORDER BY id LIMIT ${MAX_SUPPRESSIONS}`).all() as Row[]).map(fromRow);
}

/** Marks each finding a suppression covers (`suppressed`); the most specific suppression wins. */
export function applySuppressions(findings: Finding[], list: FindingSuppression[]): Finding[] {
  if (!list.length) return findings;
  const key = (...parts: string[]) => parts.join('\u0000');
  const by = new Map(list.map((s) => [s.scope === 'finding' ? key('f', s.target!) : s.scope === 'rule-actor' ? key('a', s.ruleId, s.target!) : key('r', s.ruleId), s]));
  return findings.map((f) => {
    const rule = f.rule?.id ?? f.kind;
    const s = (f.id ? by.get(key('f', f.id)) : undefined) ?? (f.actor ? by.get(key('a', rule, f.actor.origin.id)) : undefined) ?? by.get(key('r', rule));
    return s ? { ...f, suppressed: s } : f;
  });
}
