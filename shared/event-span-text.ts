// The sentence that says where a case's events fall when a few are dated far from all the others
// (CaseSummary.eventSpan), as `trailscope info` and the report print it.
import type { CaseSummary } from './engine-types.ts';

/** "All but 1 event dated long before and 2 long after fall from … to …", or null when none is far. */
export function eventSpanText(span: CaseSummary['eventSpan']): string | null {
  if (!span || (!span.earlier && !span.later)) return null;
  const events = (n: number) => `${n} ${n === 1 ? 'event' : 'events'}`;
  const far = span.earlier && span.later ? `${events(span.earlier)} dated long before and ${span.later} long after`
    : span.earlier ? `${events(span.earlier)} dated long before` : `${events(span.later)} dated long after`;
  return `All but ${far} fall from ${span.from} to ${span.to}.`;
}
