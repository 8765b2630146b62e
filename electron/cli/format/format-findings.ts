// Text form of the findings for the terminal: blind windows first (what the case cannot show), then
// incidents (highest score first) with their findings in time order, each with its rule, ATT&CK
// techniques, proving fields and the resolved origin behind it. Record values (and Sigma rule texts)
// pass through safe(): they are attacker-controlled.
import type { Finding, FindingsResult } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export function formatFindings(r: FindingsResult): string {
  // Counts are the whole list's; the findings may be one page of it.
  const shown = Object.values(r.counts).reduce((a, b) => a + b, 0);
  const listed = r.total ?? r.findings.length;
  const lines = [`${shown} findings${shown ? ':' : ''}`];
  for (const [kind, n] of Object.entries(r.counts).sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${kind}`);
  if (r.suppressed) lines.push(`  ${r.suppressed} suppressed ${shown === listed ? '(--suppressed lists them)' : '(listed last)'}`);
  if (r.sigma) {
    lines.push('', `Sigma: ${r.sigma.loaded} rules loaded, ${r.sigma.rejected.length} not loaded`);
    for (const x of r.sigma.rejected) lines.push(`    ${safe(x.file)}: ${safe(x.reason)}`);
  }
  for (const n of r.notes ?? []) lines.push(`  note: ${safe(n)}`);
  for (const w of r.blindWindows ?? []) {
    lines.push('', `[BLIND] ${w.from} → ${w.to}${w.open ? ' (end of data)' : ''}  trail ${safe(w.trail)} ${w.cause}`);
    lines.push(`    ${safe(w.detail)}`);
    if (w.actor) lines.push(`    by ${safe(w.actor.arn)} → origin ${safe(w.actor.origin.label)}; event ${safe(w.eventId)}`);
  }
  const byIncident = new Map<number, Finding[]>();
  for (const f of r.findings) {
    const list = byIncident.get(f.incident ?? 0) ?? [];
    list.push(f);
    byIncident.set(f.incident ?? 0, list);
  }
  const incidents = r.incidents ?? [];
  for (const i of incidents) {
    if (!byIncident.has(i.id)) continue;
    lines.push('', `=== Incident ${i.id} [${i.severity.toUpperCase()}] score ${i.score}: ${safe(i.summary)}`);
    lines.push(`    ${i.firstTime} → ${i.lastTime}`);
    for (const f of byIncident.get(i.id) ?? []) lines.push(...finding(f));
  }
  for (const f of byIncident.get(0) ?? []) if (!f.suppressed) lines.push(...finding(f));
  const suppressed = r.findings.filter((f) => f.suppressed);
  if (suppressed.length) lines.push('', `=== Suppressed (${suppressed.length})`);
  for (const f of suppressed) lines.push(...finding(f));
  const offset = r.offset ?? 0;
  if (offset + r.findings.length < listed || offset > 0) {
    const next = offset + r.findings.length < listed ? `; --offset ${offset + r.findings.length} for the next page` : '';
    lines.push('', `Findings ${r.findings.length ? offset + 1 : 0}–${offset + r.findings.length} of ${listed}${next}`);
  }
  return lines.join('\n') + '\n';
}

function finding(f: Finding): string[] {
  const lines = ['', `[${f.severity.toUpperCase()}] ${f.firstTime}  ${safe(f.title)}`];
  const rule = f.rule?.source === 'detector' ? `${safe(f.rule.title)}${f.detector?.detectorSeverity ? ` (its severity ${safe(f.detector.detectorSeverity)})` : ''}` : f.rule ? `${f.rule.source === 'sigma' ? `Sigma ${safe(f.rule.id)} (${safe(f.rule.file)}, level ${f.rule.level})` : `rule ${f.rule.id}`}${f.rule.techniques.length ? ` ${f.rule.techniques.map(safe).join(' ')}` : ''}` : '';
  lines.push(`    ${f.kind} (${f.category})${rule ? `, ${rule}` : ''}${f.count > 1 ? `, ${f.count} ${f.flows ? 'flow records' : 'events'} until ${f.lastTime}` : ''}${f.sourceIPAddress ? ` from ${safe(f.sourceIPAddress)}` : ''}`);
  if (f.actor) {
    const o = f.actor.origin;
    lines.push(`    actor: ${safe(f.actor.arn)} → origin ${safe(o.label)} [${o.kind}]${o.proven ? '' : ' (inferred)'}`);
  }
  lines.push(`    ${safe(f.detail)}`);
  for (const e of (f.evidence ?? []).slice(0, 4)) lines.push(`    proof: ${safe(e.field)} = ${safe(e.value.length > 160 ? `${e.value.slice(0, 159)}…` : e.value)}`);
  if (f.suppressed) {
    const s = f.suppressed;
    lines.push(`    SUPPRESSED #${s.id} (${s.scope === 'finding' ? 'marked as expected' : s.scope === 'rule' ? 'rule suppressed' : 'rule suppressed for this actor'}) by ${safe(s.author)} at ${s.at}: ${safe(s.reason)}`);
  }
  if (f.id) lines.push(`    id: ${safe(f.id)}`);
  if (f.detector) lines.push(`    ${f.source} finding ${safe(f.detector.findingId)}; linked: ${safe(f.detector.linkedBy)}`);
  if (f.flows) lines.push(`    flow records: ${f.flows.records} (${f.flows.rejected} rejected)${f.flows.interfaces.length ? ` logged on ${f.flows.interfaces.map(safe).join(', ')}` : ''}`);
  if (f.eventIds.length === 0) lines.push(f.flows ? '    events: none, found in the flow records alone' : '    events: none in the case');
  else lines.push(`    events: ${f.eventIds.slice(0, 5).map(safe).join(', ')}${f.eventIds.length > 5 ? ` … (${f.count} in all)` : ''}`);
  return lines;
}
