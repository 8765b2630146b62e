// How many findings one rule of the catalogue lists in a run, an event rule (rules/run-rules.ts) or an
// analyzer (analyzer-caps.ts) alike. A module of its own: both sides import it, and neither the other.

/** Past this many findings a rule's further findings are counted, not listed. */
export const MAX_FINDINGS_PER_RULE = 1000;
