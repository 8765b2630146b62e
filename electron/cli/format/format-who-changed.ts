// Text form of who-changed for the terminal.
import type { WhoChangedResult } from '../../../shared/engine-types.ts';
import { formatChain } from './format-actor.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatWhoChanged(r: WhoChangedResult): string {
  const lines = [`Changes to ${safe(r.resource.id)}${r.resource.type ? ` (${r.resource.type})` : ''}${r.resource.name ? ` "${safe(r.resource.name)}"` : ''}: ${r.items.length}`];
  if (r.items.length === 0) lines.push('  no mutating events touch this resource in the case');
  for (const it of r.items) {
    lines.push('');
    lines.push(`${it.eventTime}  ${safe(it.eventName)}${it.attempt ? `  ATTEMPT FAILED: ${safe(it.errorCode)}` : ''}`);
    lines.push(`  change:  ${safe(it.change.summary)}`);
    lines.push(`  by:      ${safe(it.actor.arn)} → origin ${safe(it.actor.origin.label)} [${it.actor.origin.kind}]${it.actor.origin.proven ? '' : ' (not proven)'}`);
    if (it.actor.chain.length > 1) lines.push(...formatChain(it.actor.chain, '           '));
    lines.push(`  from:    ${safe(it.sourceIPAddress)}  agent ${safe(it.userAgent)}`);
    for (const f of it.actor.flags) if (f.kind !== 'chain-broken') lines.push(`  ! ${f.kind}: ${safe(f.detail)}`);
    if (it.recorded) lines.push(`  config:  ${it.recorded.agreement.toUpperCase()} ${it.recorded.capturedAt}: ${safe(it.recorded.detail)}`);
  }
  if (r.recorded?.length) {
    lines.push('', `Recorded by AWS Config: ${r.recorded.length} versions`);
    for (const v of r.recorded) {
      lines.push(`  ${v.capturedAt}  ${v.agreement.toUpperCase()}${v.status ? ` (${safe(v.status)})` : ''}: ${safe(v.detail)}`);
      if (v.relatedEvents.length) lines.push(`      Config ties it to ${v.relatedEvents.map(safe).join(', ')}${v.relatedInCase.length < v.relatedEvents.length ? ` (${v.relatedInCase.length} in the case)` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
