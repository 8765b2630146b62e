// Text form of the findings for the terminal: one block per finding, oldest first, with the resolved
// origin behind each (record values pass through safe(): they are attacker-controlled).
import type { FindingsResult } from '../../../shared/engine-types.ts';
import { safe } from './terminal-safe.ts';

export function formatFindings(r: FindingsResult): string {
  const lines = [`${r.findings.length} findings${r.findings.length ? ':' : ''}`];
  for (const [kind, n] of Object.entries(r.counts).sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${kind}`);
  for (const f of r.findings) {
    lines.push('');
    lines.push(`[${f.severity.toUpperCase()}] ${f.firstTime}  ${safe(f.title)}`);
    lines.push(`    ${f.kind} (${f.category})${f.count > 1 ? `, ${f.count} events until ${f.lastTime}` : ''}${f.sourceIPAddress ? ` from ${safe(f.sourceIPAddress)}` : ''}`);
    if (f.actor) {
      const o = f.actor.origin;
      lines.push(`    actor: ${safe(f.actor.arn)} → origin ${safe(o.label)} [${o.kind}]${o.proven ? '' : ' (inferred)'}`);
    }
    lines.push(`    ${safe(f.detail)}`);
    lines.push(`    events: ${f.eventIds.slice(0, 5).map(safe).join(', ')}${f.eventIds.length > 5 ? ` … (${f.count} in all)` : ''}`);
  }
  return lines.join('\n') + '\n';
}
