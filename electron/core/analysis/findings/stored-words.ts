// What the whole case's stored run said of a finding, for a run over some credentials (an actor
// report) to take rather than work out again: an opening's or a termination's words name the
// instances behind it and their tags, a replay of each instance's calls (9 of the leaked key's 18 ms
// report on a million events). Only while the stored builtin part is that of the case as it is now
// (its stamp: the code's version and the data's), so the words are those this run would write, and
// the report says what the findings list says.
import type { Finding, FindingSeverity } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { obj, parsedOrNull } from '../../json-values.ts';
import { stmt } from '../prepared.ts';
import { hasStoredFindings, partIsCurrent } from './stored-findings.ts';
import { SEVERITY_ORDER } from '../../../../shared/severity-order.ts';

/**
 * A stored finding by its id, rule@eventID, and its #2… twins (a second finding of the rule from the same
 * event, finding-ids.ts: the value tells them apart), through stored_findings_id (+part keeps the planner
 * off the part index, which would read every builtin finding).
 */
export const STORED_BY_ID = `SELECT severity, body FROM stored_findings WHERE +part = 'builtin' AND (finding_id = ? OR (finding_id > ? AND finding_id < ?))`;

export type StoredWords = (f: Finding) => { detail: string; severity: FindingSeverity } | undefined;

/** The stored words of a finding (by its rule, first event and value), or undefined; null when the stored findings are not of the case now. */
export function storedWords(db: CaseDb): StoredWords | null {
  if (!hasStoredFindings(db) || !partIsCurrent(db, 'builtin')) return null;
  const rows = stmt(db, STORED_BY_ID);
  return (f) => {
    const first = f.eventIds[0];
    if (!f.rule || first === undefined) return undefined;
    const id = `${f.rule.id}@${first}`;
    for (const row of rows.all(id, `${id}#`, `${id}#\uffff`) as { severity: string; body: string }[]) {
      const body = obj(parsedOrNull(row.body));
      if (body && body.value === f.value && typeof body.detail === 'string' && Object.hasOwn(SEVERITY_ORDER, row.severity)) {
        return { detail: body.detail, severity: row.severity as FindingSeverity };
      }
    }
    return undefined;
  };
}
