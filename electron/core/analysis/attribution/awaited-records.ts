// What record could still change an actor's resolution, so that a later ingest re-walks only the actors
// it can change (issue 10: a million-event case with a new key for every call holds 485,000 actors;
// re-walking all of them after every pull of new issued keys cost 10 s of CPU).
//
// A walk reads the case only through its lookups. An issue found by key never changes (a key is issued
// once; a second copy of its issue is ignored), so a walk that read only found issues, none of which the
// other account's copy of the call could complete (shared-event-twin.ts), gives the same answer whatever
// arrives later: it awaits nothing. A walk that asked for one key the case holds no issue of gives
// another answer only once that key's issue arrives: it awaits that key. A walk whose only such read
// was one or more issues that the other account's copy of the call could complete gives another answer
// only once such a copy arrives (refresh-derived.ts newTwinCopies): it awaits a twin. Anything else it
// read (a session matched by role and name, the issue that set a sourceIdentity, a console sign-in, a
// subject's issuer, Identity Center names, a missing key beside a twin or a second one) can change
// with any later record: it awaits any. (A million events with a new key for every call left 2,053
// actors awaiting any record, 1,905 of them issues recorded by the role's account alone, each walked
// again at every later ingest: 0.8 s.)
import type { ChainLookups } from './resolve-chain.ts';
import { mayHaveTwin } from './shared-event-twin.ts';

/** Stored in actor_rows.awaits: NULL nothing, '' any record, 'twin:' a twin copy, else the one key whose issue is missing. */
export type Awaits = null | '' | string;
export const AWAITS_ANY = '';
/** Never a key: a usable key is letters and digits only (placeholders.ts isPlaceholderKey). */
export const AWAITS_TWIN = 'twin:';

export function awaitedRecords<L extends ChainLookups>(inner: L): { lookups: L; start(): void; awaits(): Awaits } {
  let awaits: Awaits = null;
  const any = () => { awaits = AWAITS_ANY; };
  const lookups: L = {
    ...inner,
    credential(key) {
      const row = inner.credential(key);
      if (row === undefined) awaits = awaits === null ? key : AWAITS_ANY;
      else if (mayHaveTwin(row)) awaits = awaits === null || awaits === AWAITS_TWIN ? AWAITS_TWIN : AWAITS_ANY;
      return row;
    },
    credentialBySession(...args) { any(); return inner.credentialBySession(...args); },
    credentialBySourceIdentity(...args) { any(); return inner.credentialBySourceIdentity(...args); },
    consoleSignIn(...args) { any(); return inner.consoleSignIn(...args); },
    subjectIssuer(...args) { any(); return inner.subjectIssuer(...args); },
    storeUserNames(...args) { any(); return inner.storeUserNames(...args); },
    storeUserIdsNamed(...args) { any(); return inner.storeUserIdsNamed(...args); },
  };
  return {
    lookups,
    /** Before each walk. */
    start() { awaits = null; },
    /** What the walk since start() awaits. */
    awaits: () => awaits,
  };
}
