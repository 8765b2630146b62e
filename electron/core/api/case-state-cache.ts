// Answers kept while the case is unchanged: a timeline sorted by a column is paged by offset over one
// sorted list of ids, sorted once per question. Each answer is kept per question, keyed on the case's state: SQLite's data_version
// (moves when another connection commits: an import or pull worker, a CLI on the same file) and this
// connection's total_changes() (moves on every write made through the service: a suppression, a Sigma
// folder loaded or removed, an import committed here). Any write at all invalidates: conservative,
// never stale.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from '../analysis/prepared.ts';

/** Questions kept by default. */
const KEPT = 6;

function caseState(db: CaseDb): string {
  const dataVersion = stmt(db, 'PRAGMA data_version').pluck().get();
  const changes = stmt(db, 'SELECT total_changes()').pluck().get();
  return `${String(dataVersion)}:${String(changes)}`;
}

export function createCaseStateCache<Q, R>(db: CaseDb, compute: (q: Q) => R, kept = KEPT): (q: Q) => R {
  const answers = new Map<string, { state: string; answer: R }>();
  return (q) => {
    const question = JSON.stringify(q);
    const hit = answers.get(question);
    if (hit && hit.state === caseState(db)) {
      // Most recently used last.
      answers.delete(question);
      answers.set(question, hit);
      return hit.answer;
    }
    const answer = compute(q);
    // The state after computing: a computation that writes (a cache table) does not spoil its own entry.
    answers.delete(question);
    answers.set(question, { state: caseState(db), answer });
    while (answers.size > kept) answers.delete(answers.keys().next().value!);
    return answer;
  };
}
