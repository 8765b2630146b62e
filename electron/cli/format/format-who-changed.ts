// Text form of who-changed for the terminal.
import type { AutoScalingCause, WhoChangedResult } from '../../../shared/engine-types.ts';
import { formatChain } from './format-actor.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatWhoChanged(r: WhoChangedResult): string {
  const lines = [`Changes to ${safe(r.resource.id)}${r.resource.type ? ` (${r.resource.type})` : ''}${r.resource.name ? ` "${safe(r.resource.name)}"` : ''}: ${r.items.length}`];
  if (r.resource.tags?.length) {
    lines.push(`  tags when the evidence ends: ${r.resource.tags.map(([k, v]) => `${safe(k)}=${safe(v)}`).join(', ')}${r.resource.production ? `  PRODUCTION (${safe(r.resource.production)})` : ''}`);
  }
  if (r.items.length === 0) lines.push('  no mutating events touch this resource in the case');
  if (r.earlier) lines.push(`  the latest ${r.items.length} changes; ${r.earlier} earlier ones are not listed (trailscope timeline --resource lists them all)`);
  for (const it of r.items) {
    lines.push('');
    lines.push(`${it.eventTime}  ${safe(it.eventName)}${it.attempt ? `  ATTEMPT FAILED: ${safe(it.errorCode)}` : ''}`);
    lines.push(`  change:  ${safe(it.change.summary)}`);
    lines.push(`  by:      ${safe(it.actor.arn)} → origin ${safe(it.actor.origin.label)} [${it.actor.origin.kind}]${it.actor.origin.proven ? '' : ' (not proven)'}`);
    if (it.actor.chain.length > 1) lines.push(...formatChain(it.actor.chain, '           '));
    lines.push(`  from:    ${safe(it.sourceIPAddress)}  agent ${safe(it.userAgent)}`);
    for (const f of it.actor.flags) if (f.kind !== 'chain-broken') lines.push(`  ! ${f.kind}: ${safe(f.detail)}`);
    if (it.recorded) lines.push(`  config:  ${it.recorded.agreement.toUpperCase()} ${it.recorded.capturedAt}: ${safe(it.recorded.detail)}`);
    if (it.autoScaling) lines.push(...autoScalingLines(it.autoScaling));
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

/** A change Auto Scaling made: the group behind it and who changed the group up to then. */
function autoScalingLines(cause: AutoScalingCause): string[] {
  if (!cause.group) return ['  scaling: made by Auto Scaling; no event in the case ties this instance to its group'];
  const lines = [`  scaling: made by Auto Scaling for group ${safe(cause.group.name ?? cause.group.id)} (${safe(cause.group.id)}); ${
    cause.changes.length ? `its latest changes up to then${cause.more ? ' (earlier ones in its own history)' : ''}:` : 'no change to the group in the case up to then'}`];
  for (const c of cause.changes) {
    lines.push(`           ${c.eventTime}  ${safe(c.change.summary)}${c.attempt ? `  ATTEMPT FAILED: ${safe(c.errorCode)}` : ''}, by ${safe(c.actor.arn)} → ${safe(c.actor.origin.label)}`);
  }
  return lines;
}
