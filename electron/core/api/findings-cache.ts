// findings:list is the dearest question the workbench asks (about 2 s of CPU on 100k events with 57
// stored Sigma rules) and the panel, the tab count and the graph rings ask it again and again on an
// unchanged case. The answer is kept per question, keyed on the case's state: SQLite's data_version
// (moves when another connection commits: an import or pull worker, a CLI on the same file) and this
// connection's total_changes() (moves on every write made through the service: a suppression, a Sigma
// folder loaded or removed, an import committed here). Any write at all invalidates: conservative,
// never stale.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from '../analysis/prepared.ts';

/** Questions kept (actor, window and suppressed-or-not vary; each answer can be megabytes). */
const KEPT = 6;

function caseState(db: CaseDb): string {
  const dataVersion = stmt(db, 'PRAGMA data_version').pluck().get();
  const changes = stmt(db, 'SELECT total_changes()').pluck().get();
  return `${String(dataVersion)}:${String(changes)}`;
}

export function createFindingsCache<Q, R>(db: CaseDb, compute: (q: Q) => R): (q: Q) => R {
  const kept = new Map<string, { state: string; answer: R }>();
  return (q) => {
    const question = JSON.stringify(q);
    const hit = kept.get(question);
    if (hit && hit.state === caseState(db)) {
      // Most recently used last.
      kept.delete(question);
      kept.set(question, hit);
      return hit.answer;
    }
    const answer = compute(q);
    // The state after computing: a computation that writes (a cache table) does not spoil its own entry.
    kept.delete(question);
    kept.set(question, { state: caseState(db), answer });
    while (kept.size > KEPT) kept.delete(kept.keys().next().value!);
    return answer;
  };
}
