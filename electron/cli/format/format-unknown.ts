// The message for a query about an id the case does not know (a typo, a resource from another
// account's logs): say so plainly and offer what the search box would find for the same words.
import type { SearchHit } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatUnknownId(command: string, query: string, what: string, hits: SearchHit[]): string {
  const lines = [`trailscope ${command}: the case knows no ${what} '${safe(query)}'.`];
  if (hits.length) {
    lines.push('  Close matches (search):');
    for (const h of hits.slice(0, 8)) lines.push(`    ${safe(h.id)}  [${safe(h.type)}]${h.label !== h.id ? `  ${safe(h.label)}` : ''}`);
  } else {
    lines.push('  Nothing close either: look the name, address or key up with the search box of `trailscope serve`, or check the --case file.');
  }
  return lines.join('\n') + '\n';
}
