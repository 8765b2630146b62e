// One line icon per node type (drawn 16 px wide: cytoscape paints it at its own size, centred, so no
// sizing properties are added to every node's style), so types stay apart by icon as well as by shape and colour (and in
// greyscale prints). Each is a 24×24 stroke drawing turned into an SVG data URI: cytoscape paints it
// as the node's background image, the legend as its swatch's. Data URIs need no request and pass
// the CSP (img-src data:); every URI is built once per type and colour, and cytoscape decodes each
// distinct URI once, whatever the number of nodes.
const GLYPHS: Record<string, string> = {
  user: '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8"/>',
  role: '<path d="M3 17h18M5 17a7 7 0 0 1 14 0M12 6v4M9 17v-4M15 17v-4"/>',
  session: '<circle cx="12" cy="12" r="8"/><path d="M12 7v5l3 2"/>',
  group: '<circle cx="9" cy="8" r="3.5"/><circle cx="17" cy="9" r="2.5"/><path d="M2 20c0-3.9 3.1-7 7-7s7 3.1 7 7M16 13.5c3 0 6 2.5 6 6"/>',
  'access-key': '<circle cx="7.5" cy="12" r="4"/><path d="M11.5 12H21M18 12v3.5M21 12v3"/>',
  policy: '<path d="M6 3h9l3 3v15H6zM9 10h6M9 14h6M9 18h4"/>',
  'instance-profile': '<path d="M3 6h18v12H3z"/><circle cx="8.5" cy="11" r="2"/><path d="M5.5 16c.5-1.5 1.7-2.2 3-2.2s2.5.7 3 2.2M14 10h4M14 14h4"/>',
  instance: '<path d="M7 7h10v10H7zM10 3v4M14 3v4M10 17v4M14 17v4M3 10h4M3 14h4M17 10h4M17 14h4"/>',
  'security-group': '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M9 12l2 2 4-4"/>',
  'network-interface': '<path d="M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4"/>',
  ip: '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9c-2.5-2.5-3.8-5.5-3.8-9S9.5 5.5 12 3z"/>',
  root: '<path d="M3 19h18M3 19l1.5-11 5 5L12 5l2.5 8 5-5L21 19"/>',
  'aws-service': '<circle cx="12" cy="12" r="3.5"/><path d="M12 2v4M12 18v4M2 12h4M18 12h4M5 5l2.8 2.8M16.2 16.2L19 19M5 19l2.8-2.8M16.2 7.8L19 5"/>',
  bucket: '<path d="M4 6l2 14h12l2-14"/><ellipse cx="12" cy="6" rx="8" ry="2.5"/>',
  trail: '<path d="M4 6h2M9 6h11M4 12h2M9 12h11M4 18h2M9 18h7"/>',
  'autoscaling-group': '<path d="M3 9h6v6H3zM15 9h6v6h-6zM9 12h6M12 3v3M12 18v3M10 5l2-2 2 2M10 19l2 2 2-2"/>',
  'federated-user': '<circle cx="10" cy="8" r="4"/><path d="M2 21c0-4.4 3.6-8 8-8 1.2 0 2.3.3 3.3.7M15 19l6-6M17 13h4v4"/>',
  'identity-center-user': '<circle cx="12" cy="12" r="9.5"/><circle cx="12" cy="10" r="3"/><path d="M6.5 18.5c1.5-2.3 3.4-3.4 5.5-3.4s4 1.1 5.5 3.4"/>',
  'aws-account': '<path d="M4 21V4h10v17M14 9h6v12M3 21h18M7 8h4M7 12h4M7 16h4"/>',
  vpc: '<path d="M7 18a4 4 0 0 1-.6-8A6 6 0 0 1 17.8 9 4.5 4.5 0 0 1 17.5 18z"/>',
  subnet: '<path d="M4 4h16v16H4zM4 12h16M12 4v16"/>',
  'network-acl': '<path d="M3 5h18l-7 8v6l-4 2v-8z"/>',
};

const OTHER = '<circle cx="12" cy="12" r="3"/>';

/** Types drawn on a light fill (the VPC and subnet boxes): a dark icon reads there, a white one not. */
const DARK_ON: ReadonlySet<string> = new Set(['vpc', 'subnet']);

const cache = new Map<string, string>();

export function iconColour(type: string): string {
  return DARK_ON.has(type) ? '#334155' : '#ffffff';
}

/** The icon of a node type as a data URI (`data:image/svg+xml,…`). */
export function iconUri(type: string, colour = iconColour(type)): string {
  const key = `${type}|${colour}`;
  let uri = cache.get(key);
  if (!uri) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="${colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${GLYPHS[type] ?? OTHER}</svg>`;
    uri = `data:image/svg+xml,${encodeURIComponent(svg)}`;
    cache.set(key, uri);
  }
  return uri;
}

export const ICON_TYPES = Object.keys(GLYPHS);
