// Answers kept while the case is unchanged: a timeline sorted by a column is paged by offset over one
// sorted list of ids, sorted once per question. Each answer is kept per question, keyed on the case's
// state (analysis/case-state.ts): any write at all invalidates.
import type { CaseDb } from '../db/open-case.ts';
import { caseState } from '../analysis/case-state.ts';

/** Questions kept by default. */
const KEPT = 6;

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
