// The incident report as one self-contained HTML file: no script, no external resource (a CSP meta
// forbids both even if something slipped in), every piece of case text through one function that
// redacts (when asked) and escapes it. The same HTML is printed to PDF by Chromium (report-pdf.ts).
import { isFaulted, type ReportModel } from './report-model.ts';
import type { Redactor } from './redact.ts';
import { escapeHtml } from './html-text.ts';
import { eventSpanText } from '../../../shared/event-span-text.ts';

const CLIP = 4096;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body { font: 13px/1.45 system-ui, sans-serif; color: #111; margin: 24px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; table-layout: fixed; }
td, th { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; white-space: pre-wrap; }
th { background: #f3f3f3; } table.facts th { width: 9em; } .bad { color: #a40000; font-weight: 600; } .ok { color: #0a6b20; } .muted { color: #666; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

export function renderReportHtml(m: ReportModel, redact: Redactor, options: { redacted: boolean }): string {
  // The one way case text enters the page.
  const t = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return escapeHtml(redact(s.length > CLIP ? `${s.slice(0, CLIP)}… (${s.length} characters)` : s));
  };
  // Each column's share of the page's width: equal shares squeezed a finding's text into a sixth of it,
  // a page per finding.
  const table = (head: [label: string, percent: number][], rows: string[][]): string =>
    rows.length ? `<table><thead><tr>${head.map(([h, w]) => `<th style="width: ${w}%">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>` : '<p class="muted">None.</p>';
  // A span's first time, and its last where it differs.
  const when = (first: string | null, last: string | null) => `${t(first)}${last && last !== first ? `<br>to ${t(last)}` : ''}`;
  const s = m.summary;
  const ev = m.evidence;
  const more = (listed: number, total: number) => (total > listed ? `<p class="muted">and ${t(total - listed)} more not listed here.</p>` : '');
  const status = (x: string | null) => (isFaulted(x) ? `<span class="bad">${t(x)}</span>` : x === 'verified' || x === 'signature verified' ? `<span class="ok">${t(x)}</span>` : t(x ?? ''));

  const sections = [
    `<h1>Incident report: ${t(s.name)}</h1>`,
    `<p class="muted">Generated ${t(m.generatedAt)} by Trailscope${options.redacted ? ' — redacted: account ids, addresses, e-mails, names and keys are pseudonyms' : ''}.</p>`,
    '<h2>Summary</h2>',
    // A fact a row: eight columns on a page cut an organisation's account ids in the middle.
    `<table class="facts"><tbody>${([['Events', s.events], ['Flow records', s.flows], ['Resources', s.resources], ['Sources', s.sources], ['From', s.firstTime], ['To', s.lastTime],
      ['Accounts', s.accounts.join(', ')], ['Regions', s.regions.join(', ')]] as const).map(([k, v]) => `<tr><th>${k}</th><td>${t(v)}</td></tr>`).join('')}</tbody></table>`,
    ...(eventSpanText(s.eventSpan) ? [`<p>${t(eventSpanText(s.eventSpan))}</p>`] : []),
    `<p>${t(m.findings.length)} findings; ${t(m.starred.length)} starred events; ${t(m.notes.length)} notes; evidence: ${t(ev.counts.verified)} log files verified, ${ev.counts.contradicted ? `<span class="bad">${t(ev.counts.contradicted)} contradicted</span>` : '0 contradicted'}, ${t(ev.counts.missing)} missing (${t(ev.signatures)}); inputs not read whole: ${s.rejectedCount ? `<span class="bad">${t(s.rejectedCount)} rejected</span>` : '0 rejected'}, ${s.partlyReadFiles ? `<span class="bad">${t(s.partlyReadRecords)} records rejected in ${t(s.partlyReadFiles)} inputs read in part</span>` : 'no record rejected'}.</p>`,
    "<h2>Investigator's notes</h2>",
    table([['Time', 18], ['Author', 10], ['On', 22], ['Note', 50]], m.notes.map((a) => [t(a.at), t(a.author), `${t(a.target)} ${t(a.targetId)}`, a.kind === 'star' ? '★ starred' : a.kind === 'tag' ? `#${t(a.value)}` : t(a.value)])),
    '<h2>Findings</h2>',
    table([['Incident', 10], ['Severity', 9], ['When', 17], ['Finding', 50], ['Source IP', 14]], m.findings.map((f) => [t(f.incident ?? ''), t(f.severity), when(f.firstTime, f.lastTime), `${t(f.title)}<br><span class="muted">${t(f.detail)}</span>`, t(f.sourceIPAddress)])),
    ...(m.suppressed.length ? [
      '<h3>Suppressed by the investigator</h3>',
      table([['Severity', 9], ['First', 19], ['Finding', 40], ['Decision', 32]], m.suppressed.map((f) => [t(f.severity), t(f.firstTime), t(f.title),
        `${t(f.suppressed!.scope === 'finding' ? 'marked as expected' : f.suppressed!.scope === 'rule' ? `rule ${f.suppressed!.ruleId} suppressed` : `rule ${f.suppressed!.ruleId} suppressed for this actor`)} by ${t(f.suppressed!.author)}: ${t(f.suppressed!.reason)}`])),
    ] : []),
    '<h2>Actor chains</h2>',
    table([['Origin', 25], ['Chain (recorded identity → origin)', 75]], m.actors.map((a) => [`${t(a.origin.label)}${a.origin.proven ? '' : ' <span class="muted">(not proven)</span>'}`, a.chain.map((l) => `${t(l.label)}${l.accessKeyId ? ` [${t(l.accessKeyId)}]` : ''} <span class="muted">(${t(l.basis)})</span>`).join(' → ')])),
    '<h2>Who changed what (before → after)</h2>',
    m.changes.length
      ? m.changes.map((c) => `<h3>${t(c.resource.id)}</h3>${table([['Time', 14], ['Call', 14], ['Who', 14], ['Change', 18], ['Before', 20], ['After', 20]], c.items.map((i) => [t(i.eventTime), t(i.eventName), t(i.actor.origin.label), t(i.change.summary), t(i.before ? JSON.stringify(i.before.config) : ''), t(i.after ? JSON.stringify(i.after.config) : '')]))}`).join('')
      : '<p class="muted">No annotated resource has changes in the case.</p>',
    '<h2>Starred events</h2>',
    table([['Time', 15], ['Event', 20], ['Who', 19], ['Source IP', 11], ['Error', 8], ['Tags and notes', 17], ['Evidence', 10]], m.starred.map((e) => [
      t(e.eventTime), `${t(e.eventName)}<br><span class="muted">${t(e.eventSource)} ${t(e.eventId)}</span>`, t(e.actorArn), t(e.sourceIPAddress), t(e.errorCode),
      [...e.marks.tags.map((x) => `#${t(x)}`), ...e.marks.notes.map((n) => `${t(n.author)} (${t(n.at)}): ${t(n.text)}`)].join('<br>'), status(e.integrity),
    ])),
    '<h2>Evidence manifest</h2>',
    `<p>Digests: ${t(ev.digests.length)} (${t(ev.signatures)}). ${ev.ok ? '<span class="ok">Nothing contradicts the digests.</span>' : '<span class="bad">Problems found: see below.</span>'}</p>`,
    // The sentence above says when there is none.
    ev.problems.length ? table([['Problem', 15], ['File', 45], ['Detail', 40]], ev.problems.map((p) => [`<span class="bad">${t(p.kind)}</span>`, t('file' in p ? p.file : 'digest' in p ? p.digest : p.region), t(p.kind === 'contradicted' ? `digest ${p.digest} lists ${p.expected}, file has ${p.actual}` : p.kind === 'gap' ? `${p.from} → ${p.to}` : 'reason' in p ? p.reason : 'digest' in p ? `digest ${p.digest}` : '')])) : '',
    `<p>Manifest SHA-256: <code>${t(ev.manifestSha256)}</code>, over its ${t(m.manifestSources)} lines, one per source in sha256sum's format: what <code>trailscope verify --case ${t(s.name)} --manifest</code> prints, which <code>sha256sum -c</code> checks against the files where their paths still lead to them.</p>`,
    table([['SHA-256 as ingested', 32], ['Kind', 10], ['Integrity', 14], ['Path', 44]], ev.sources.map((x) => [`<code>${t(x.sha256)}</code>`, t(x.kind), status(x.signature ?? x.integrity), t(x.path)])),
    m.manifestSources > ev.sources.length ? `<p class="muted">and ${t(m.manifestSources - ev.sources.length)} more sources, each in the manifest.</p>` : '',
    '<h3>Inputs not read whole</h3>',
    ...(s.rejectedCount + s.partlyReadFiles === 0 ? ['<p class="ok">Every input was read whole.</p>'] : [
      ...(s.rejectedCount ? [table([['Rejected input', 50], ['Why', 50]], s.rejectedSources.map((x) => [t(x.path), t(x.reason)])), more(s.rejectedSources.length, s.rejectedCount)] : []),
      ...(s.partlyReadFiles ? [
        table([['Input read in part', 40], ['Records read', 12], ['Records rejected', 12], ['First rejected', 36]],
          s.partlyRead.map((x) => [t(x.path), t(x.records), t(x.rejectedRecords), x.rejections.map((r) => `${t(r.position)}: ${t(r.reason)}`).join('<br>')])),
        more(s.partlyRead.length, s.partlyReadFiles),
      ] : []),
    ]),
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>Incident report: ${t(s.name)}</title>
<style>${STYLE}</style></head>
<body>
${sections.join('\n')}
</body></html>
`;
}
