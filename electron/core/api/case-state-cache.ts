// Answers kept while the case is unchanged. findings:list is the dearest question the workbench asks
// (about 2 s of CPU on 100k events with 57 stored Sigma rules) and the panel, the tab count and the
// graph rings ask it again and again; a timeline sorted by a column is paged by offset over one sorted
// list of ids. Each answer is kept per question, keyed on the case's state: SQLite's data_version
// (moves when another connection commits: an import or pull worker, a CLI on the same file) and this
// connection's total_changes() (moves on every write made through the service: a suppression, a Sigma
// folder loaded or removed, an import committed here). Any write at all invalidates: conservative,
// never stale.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from '../analysis/prepared.ts';

/** Questions kept by default (a findings answer can be megabytes). */
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
