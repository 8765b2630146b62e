// One look per node type: shape, colour and icon (node-icons.ts) all differ, so types stay apart for colour-blind
// readers and in greyscale screenshots. The legend is drawn from this same table.
import { iconUri } from './node-icons.ts';
import { FINDING_RING_STYLES } from './finding-rings.ts';
import { markBadgeStyles } from './mark-badges.ts';

export type NodeLook = { label: string; shape: string; color: string };

export const NODE_LOOKS: Record<string, NodeLook> = {
  user: { label: 'IAM user', shape: 'ellipse', color: '#2563eb' },
  role: { label: 'Role', shape: 'round-rectangle', color: '#7c3aed' },
  session: { label: 'Role session', shape: 'diamond', color: '#c026d3' },
  group: { label: 'IAM group', shape: 'hexagon', color: '#0891b2' },
  'access-key': { label: 'Access key', shape: 'tag', color: '#ca8a04' },
  policy: { label: 'Policy', shape: 'cut-rectangle', color: '#64748b' },
  'instance-profile': { label: 'Instance profile', shape: 'round-tag', color: '#a855f7' },
  instance: { label: 'EC2 instance', shape: 'rectangle', color: '#ea580c' },
  'security-group': { label: 'Security group', shape: 'octagon', color: '#dc2626' },
  'network-acl': { label: 'Network ACL', shape: 'concave-hexagon', color: '#b45309' },
  'network-interface': { label: 'Network interface', shape: 'triangle', color: '#0d9488' },
  ip: { label: 'External IP', shape: 'star', color: '#475569' },
  root: { label: 'Root', shape: 'star', color: '#b91c1c' },
  'aws-service': { label: 'AWS service', shape: 'barrel', color: '#16a34a' },
  bucket: { label: 'S3 bucket', shape: 'barrel', color: '#65a30d' },
  trail: { label: 'Trail', shape: 'vee', color: '#9333ea' },
  'autoscaling-group': { label: 'Auto Scaling group', shape: 'round-pentagon', color: '#c2410c' },
  'federated-user': { label: 'Federated user', shape: 'ellipse', color: '#1d4ed8' },
  'identity-center-user': { label: 'Identity Center user', shape: 'ellipse', color: '#0369a1' },
  'aws-account': { label: 'AWS account', shape: 'pentagon', color: '#78716c' },
  vpc: { label: 'VPC (box)', shape: 'round-rectangle', color: '#94a3b8' },
  subnet: { label: 'Subnet (box)', shape: 'round-rectangle', color: '#cbd5e1' },
};

export const OTHER_LOOK: NodeLook = { label: 'Other', shape: 'ellipse', color: '#9ca3af' };

export function lookOf(type: string): NodeLook {
  return NODE_LOOKS[type] ?? OTHER_LOOK;
}

/**
 * Cytoscape stylesheet. With compound nodes (VPC/subnet boxes) present, cytoscape dirties the
 * caches of the element, its parents, descendants and their edges once per property applied, so
 * the plain node and edge rules set as few properties as possible and rely on the defaults (node
 * 30 px, no border, haystack edges): the first draw of 2,000 nodes costs about half what it did.
 * Label properties live on `.labelled`, which viewport.ts sets only when labels are readable.
 */
export function cyStyle(): unknown[] {
  const perType = Object.entries(NODE_LOOKS).map(([type, look]) => ({
    selector: `node[type = "${type}"]`,
    style: { shape: look.shape, 'background-color': look.color, 'background-image': iconUri(type) },
  }));
  const label = { label: 'data(label)', 'font-size': 9, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#1f2937' };
  return [
    { selector: 'node', style: { 'background-color': OTHER_LOOK.color, 'background-image': iconUri('other') } },
    ...perType,
    { selector: 'node.labelled, node.highlight, node:selected', style: label },
    { selector: 'node.folded', style: { display: 'none' } },
    {
      selector: ':parent',
      style: {
        label: 'data(label)',
        'background-opacity': 0.12,
        'border-width': 1,
        'border-color': '#64748b',
        'text-valign': 'top',
        'text-halign': 'center',
        'font-size': 10,
        color: '#334155',
        padding: 12,
        // The box's icon sits in its top-left corner, beside the title.
        'background-position-x': 6,
        'background-position-y': 6,
      },
    },
    { selector: 'node[type = "subnet"]:parent', style: { 'border-style': 'dashed' } },
    // The overview's groups (a kind of resource, "more users", a service): larger, with a heavy border.
    { selector: 'node.cluster', style: { width: 44, height: 44, 'border-width': 3, 'border-color': '#334155', 'font-weight': 'bold' } },
    { selector: 'edge', style: { width: 1, 'line-color': '#cbd5e1' } },
    { selector: 'edge[kind = "acted-on"]', style: { 'line-color': '#f59e0b', width: 1.5 } },
    // Findings' severity rings, before the highlight, selection and path looks that override them.
    ...FINDING_RING_STYLES,
    ...markBadgeStyles(iconUri, Object.keys(NODE_LOOKS)),
    {
      selector: 'node.highlight',
      style: { 'border-width': 5, 'border-color': '#facc15', 'z-index': 10, 'font-weight': 'bold' },
    },
    { selector: 'edge.highlight', style: { 'line-color': '#f59e0b', width: 3 } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#111827' } },
    { selector: 'node.path', style: { ...label, 'border-width': 4, 'border-color': '#dc2626', 'z-index': 20 } },
    { selector: 'edge.path', style: { 'line-color': '#dc2626', width: 3, 'target-arrow-shape': 'triangle', 'target-arrow-color': '#dc2626', 'curve-style': 'bezier', 'z-index': 20 } },
  ];
}
