// The graph on screen as SVG text, for the Export button: nodes as circles with their label, edges as
// lines, compound boxes as rectangles. Labels and ids are record data: every one is escaped, never
// markup (a tag value of `<script>` is drawn as those characters). Pure, so it is tested in Node.

export type SvgNode = { id: string; label: string; x: number; y: number; w: number; h: number; color: string; box?: boolean };
export type SvgEdge = { source: string; target: string; kind: string; highlight?: boolean };

const MAX_LABEL = 80;

/** Text for an XML text node or attribute value. Drops the characters XML 1.0 forbids (controls). */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A colour from the style sheet, or grey: a colour string goes into an attribute, so only plain forms pass. */
function safeColor(c: string): string {
  return /^#[0-9a-f]{3,8}$|^rgba?\([\d.,\s%]+\)$|^[a-z]+$/i.test(c) ? c : '#94a3b8';
}

const num = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0);

export function graphSvg(nodes: SvgNode[], edges: SvgEdge[], title: string): string {
  const pad = 40;
  const xs = nodes.flatMap((n) => [n.x - n.w / 2, n.x + n.w / 2]);
  const ys = nodes.flatMap((n) => [n.y - n.h / 2, n.y + n.h / 2 + 14]);
  const [x0, x1, y0, y1] = xs.length ? [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad] : [0, 100, 0, 100];
  const at = new Map(nodes.map((n) => [n.id, n]));
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x0)} ${num(y0)} ${num(x1 - x0)} ${num(y1 - y0)}" width="${num(x1 - x0)}" height="${num(y1 - y0)}" font-family="sans-serif" font-size="9">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect x="${num(x0)}" y="${num(y0)}" width="${num(x1 - x0)}" height="${num(y1 - y0)}" fill="#ffffff"/>`,
  ];
  for (const n of nodes.filter((b) => b.box)) {
    out.push(`<g><rect x="${num(n.x - n.w / 2)}" y="${num(n.y - n.h / 2)}" width="${num(n.w)}" height="${num(n.h)}" fill="${safeColor(n.color)}" fill-opacity="0.12" stroke="#64748b"/>`,
      `<text x="${num(n.x)}" y="${num(n.y - n.h / 2 + 11)}" text-anchor="middle" fill="#334155">${xmlEscape(clip(n.label))}</text></g>`);
  }
  for (const e of edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    out.push(`<line x1="${num(a.x)}" y1="${num(a.y)}" x2="${num(b.x)}" y2="${num(b.y)}" stroke="${e.highlight ? '#f59e0b' : '#cbd5e1'}" stroke-width="${e.highlight ? 3 : 1}"><title>${xmlEscape(e.kind)}</title></line>`);
  }
  for (const n of nodes.filter((b) => !b.box)) {
    out.push(`<g><title>${xmlEscape(n.id)}</title><circle cx="${num(n.x)}" cy="${num(n.y)}" r="${num(Math.max(4, n.w / 2))}" fill="${safeColor(n.color)}"/>`,
      `<text x="${num(n.x)}" y="${num(n.y + n.h / 2 + 11)}" text-anchor="middle" fill="#1f2937">${xmlEscape(clip(n.label))}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function clip(s: string): string {
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}
