// Text form of flows: remote-access chains first (the answer an analyst is after), then conversations.
import type { FlowsResult } from '../../../shared/engine-types.ts';
import { describeRule } from '../../core/analysis/history/sg-rules.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatFlows(r: FlowsResult, maxConversations = 200): string {
  const lines: string[] = [`Remote access from public addresses: ${r.remoteAccess.length}`];
  for (const c of r.remoteAccess) {
    const f = c.flow;
    lines.push('', `${f.start}  ${safe(f.srcaddr)} → ${safe(f.dstaddr)}:${f.dstport} on ${safe(f.interfaceId)} (${f.action})`);
    lines.push(`  rule:   ${c.rule ? `${safe(c.rule.groupId)} ${safe(describeRule(c.rule.rule))}` : '-'}`);
    lines.push(`  added:  ${c.ruleEvent ? `${c.ruleEvent.eventTime} ${safe(c.ruleEvent.eventName)} ${safe(c.ruleEvent.eventId)} from ${safe(c.ruleEvent.sourceIPAddress)}` : '-'}`);
    lines.push(`  by:     ${c.actor ? `${safe(c.actor.arn)} → origin ${safe(c.actor.origin.label)} [${c.actor.origin.kind}]${c.actor.origin.proven ? '' : ' (not proven)'}` : '-'}`);
    for (const g of c.gaps) lines.push(`  gap:    ${safe(g)}`);
  }
  lines.push('', `Conversations: ${r.conversations.length}${r.conversations.length > maxConversations ? ` (first ${maxConversations} shown; use --json for all)` : ''}`);
  lines.push(`${'WINDOW'.padEnd(24)} ${'INTERFACE'.padEnd(22)} ${'DIR'.padEnd(8)} ${'PEER'.padEnd(40)} ${'PORT'.padStart(5)} ${'RECS'.padStart(6)} ${'ACC'.padStart(6)} ${'REJ'.padStart(6)} ${'BYTES'.padStart(12)}  KEY (for --flow)`);
  for (const c of r.conversations.slice(0, maxConversations)) {
    lines.push(`${c.windowStart.padEnd(24)} ${safe(c.interfaceId).padEnd(22)} ${c.direction.padEnd(8)} ${safe(c.peerAddress).padEnd(40)} ${String(c.port ?? '-').padStart(5)} ${String(c.records).padStart(6)} ${String(c.accepted).padStart(6)} ${String(c.rejected).padStart(6)} ${String(c.bytes).padStart(12)}  ${safe(c.key)}`);
  }
  return lines.join('\n') + '\n';
}
