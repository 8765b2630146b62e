// Text form of an actor report for the terminal.
import type { ActorReport, ChainLink } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatChain(chain: ChainLink[], indent = '  '): string[] {
  return chain.map((l, i) => {
    const how = i === 0 ? 'recorded' : `${l.proof} by ${l.basis}`;
    const key = l.accessKeyId ? ` key ${safe(l.accessKeyId)}` : '';
    return `${indent}${i === 0 ? '' : '← '}${safe(l.label)} [${l.kind}]${key} (${how}${i === 0 ? '' : `: ${safe(l.detail)}`})`;
  });
}

/** Rows of each tally the terminal shows; keys and sessions on one line, ten of them. */
const LISTED = 15;
const LISTED_ON_A_LINE = 10;

/** The first of `items` on one line, and how many more there are of `total`. */
function shown(items: string[], total: number): string {
  const more = total - Math.min(items.length, LISTED_ON_A_LINE);
  return `${items.slice(0, LISTED_ON_A_LINE).map(safe).join(', ')}${more > 0 ? ` … ${more} more` : ''}`;
}

export function formatActorReport(r: ActorReport): string {
  const o = r.actor.origin;
  const lines = [
    `Actor ${safe(r.query)} (matched by ${r.matchedBy})`,
    // The account where the label does not already say it (an account's own origin, a label shown with its account).
    `  origin: ${safe(o.label)} [${o.kind}]${o.accountId && !o.label.includes(o.accountId) ? ` account ${o.accountId}` : ''} — ${o.proven ? 'proven' : 'NOT proven (inferred or incomplete)'}`,
    '  chain:',
    ...formatChain(r.actor.chain, '    '),
    `  events: ${r.eventCount}, first ${r.firstSeen ?? '-'}, last ${r.lastSeen ?? '-'}`,
    `  keys: ${shown(r.accessKeys, r.totals.accessKeys) || '-'}`,
  ];
  if (r.sessions.length) lines.push(`  sessions: ${shown(r.sessions, r.totals.sessions)}`);
  // Warnings before the tallies: they are why someone runs this command.
  if (r.flags.length) {
    lines.push('  warnings:');
    for (const f of r.flags) {
      const kind = f.kind === 'finding' ? `${f.findingKind} [${f.severity.toUpperCase()}] ${f.firstTime}` : f.kind;
      lines.push(`    ! ${kind}: ${safe(f.detail)}`);
    }
  }
  const list = (title: string, rows: { value: string; count: number }[], total: number, extra?: (i: number) => string) => {
    if (!rows.length) return;
    lines.push(`  ${title}:`);
    rows.slice(0, LISTED).forEach((x, i) => lines.push(`    ${String(x.count).padStart(7)}  ${safe(x.value)}${extra ? extra(i) : ''}`));
    if (total > LISTED) lines.push(`    … ${total - LISTED} more`);
  };
  list('source IPs', r.sourceIps, r.totals.sourceIps);
  list('user agents', r.userAgents, r.totals.userAgents, (i) => `  [${r.userAgents[i].class}]`);
  list('regions', r.regions, r.totals.regions);
  list('event names', r.eventNames, r.totals.eventNames, (i) => (r.eventNames[i].errors ? `  (${r.eventNames[i].errors} failed)` : ''));
  list('errors', r.errors, r.totals.errors);
  const rest = (r.findings ?? []).filter((f) => f.severity === 'low');
  if (rest.length) {
    lines.push('  low-severity findings:');
    for (const f of rest) lines.push(`    ${f.firstTime}  ${safe(f.title)}`);
  }
  return lines.join('\n') + '\n';
}
