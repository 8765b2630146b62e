// A case whose schema is not what Trailscope's migrations make: someone changed the file with another
// tool (a trigger that rewrites evidence, a view that hides rows, a table, SQL in the bulk-load
// marker). It is refused, never repaired: repairing would mean trusting what the file says it held.
import { safe } from '../export/terminal-safe.ts';

/** How many findings the message lists; the rest are counted. */
const LISTED = 8;

export class ForeignCaseError extends Error {
  constructor(
    readonly path: string,
    /** What was found, one short phrase each ("trigger evil_rewrite on event_rows"). */
    readonly findings: string[],
  ) {
    const listed = findings.slice(0, LISTED).join('; ');
    const more = findings.length > LISTED ? `; and ${findings.length - LISTED} more` : '';
    super(
      `The case file ${safe(path)} was modified outside Trailscope: ${listed}${more}. ` +
        'Trailscope refused to open it and did not change it. Open an unmodified copy of the case, or build a new case from the evidence files.',
    );
    this.name = 'ForeignCaseError';
  }
}

/** An object name from a case as it may appear in a message: control characters visible, at most 80 characters. */
export function quoteName(name: string): string {
  const clipped = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return safe(clipped);
}
