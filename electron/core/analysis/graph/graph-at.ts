// The account at a moment: resources and principals that existed at T, the relations valid at T
// (snapshot edges, plus security groups set on instances and interfaces by later calls), who changed
// what ('acted-on'), the external addresses that acted or connected, all with counts up to T.
// Compound parents (instance → subnet → VPC) let the UI draw VPC and subnet boxes.
import type { Graph, GraphEdge, GraphNode, GraphNodeType } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, parseTime, stmt } from '../prepared.ts';
import { countsAt, splitPair } from './graph-counts.ts';
import { eventsBy, eventsTouching } from './node-counts.ts';
import { inIdOrder } from '../stable-order.ts';
import { addIpNodes } from './ip-nodes.ts';
import { typeOfId } from './node-type.ts';
import { roleOfSession } from '../../../../shared/resource-ids.ts';

export { neighbourhood } from './neighbourhood.ts';

export const MAX_NODES = 20_000;

/** Resource types too fine-grained for the account picture (they show in a resource's history instead). */
export const HIDDEN_TYPES = new Set(['object', 'security-group-rule', 'inline-policy', 'login-profile']);

export type GraphOptions = {
  at?: string | null;
  /** Only these node types (GraphNodeType); empty or absent = all. */
  types?: string[];
  accounts?: string[];
  regions?: string[];
  /** Node cap (default and maximum 20,000); `truncated` says when it cut. */
  limit?: number;
  /** How many acting / connecting addresses get their own node before the rest fold into a count node. */
  ipLimits?: { acted?: number; connected?: number };
};

type ResRow = { id: string; type: string; account: string | null; region: string | null; name: string | null };
export type EdgeRow = { src: string; dst: string; kind: string; vf: number | null; vt: number | null };

export const PARENT_KINDS = new Set(['instance-subnet', 'eni-subnet', 'subnet-vpc']);

// Node types that come from the principals table or from addresses: a view of them needs the
// whole-case counts (who acted on what, from where).
const ACTING_TYPES = new Set(['root', 'aws-service', 'session', 'federated-user', 'identity-center-user', 'aws-account', 'user', 'role', 'ip']);
/** A narrow view (the overview's drill-down into a kind) holds at most this many nodes. */
const NARROW_MAX = 1_000;

/** Counts of the nodes of one view, as graphAt reads them. */
type ViewCounts = { touching(id: string): number; keyUse(id: string): number; principal(arn: string): number; deleted(id: string): boolean };

/**
 * A few hundred resources of some kinds (the overview's drill-down): each member counted from its own
 * index ranges (node-counts.ts), as a neighbourhood is. The whole-case buckets of graph-counts.ts cost
 * 17–77 s on a million events the first time, for counts of nodes this view does not show.
 */
function memberCounts(db: CaseDb, at: number): ViewCounts {
  const lastTouch = stmt(db, `SELECT max(e.event_time) FROM event_resources r JOIN event_rows e ON e.id = r.event
    WHERE r.resource_id = ? AND r.touch = ? AND e.error_code IS NULL AND e.event_time <= ?`).pluck();
  return {
    touching: (id) => eventsTouching(db, id, at),
    keyUse: (id) => eventsBy(db, 'access_key_id', id, at),
    principal: (arn) => eventsBy(db, 'identity_arn', arn, at),
    deleted(id) {
      const deleted = lastTouch.get(id, 'deleted', at) as number | null;
      if (deleted === null) return false;
      const created = lastTouch.get(id, 'created', at) as number | null;
      return created === null || created < deleted;
    },
  };
}

export function graphAt(db: CaseDb, options: GraphOptions = {}): Graph {
  const atMs = options.at ? parseTime(options.at) : null;
  const at = atMs ?? Number.MAX_SAFE_INTEGER;
  const limit = Math.min(options.limit ?? MAX_NODES, MAX_NODES);
  const typeOk = (t: string) => !options.types?.length || options.types.includes(t);
  const acctOk = (a: string | null) => !options.accounts?.length || (a !== null && options.accounts.includes(a));
  const regionOk = (r: string | null) => !options.regions?.length || r === null || options.regions.includes(r);
  const narrow = Boolean(options.types?.length) && limit <= NARROW_MAX && options.types!.every((t) => !ACTING_TYPES.has(t));
  const counts = narrow ? null : countsAt(db, atMs);
  const view: ViewCounts = counts
    ? { touching: (id) => counts.resources.get(id) ?? 0, keyUse: (id) => counts.keyUse.get(id) ?? 0, principal: (arn) => counts.principals.get(arn) ?? 0, deleted: (id) => counts.deleted.has(id) }
    : memberCounts(db, at);
  let truncated = false;

  const nodes = new Map<string, GraphNode>();
  // Resources first seen after T do not exist yet (snapshot-only ones have no first_seen); deleted ones are gone.
  // Asked for some kinds, only their rows are read (resources_kind).
  const kinds = options.types?.length ? options.types : null;
  const resources = stmt(db, `SELECT id, type, account_id AS account, region, name FROM resources
    WHERE (first_seen IS NULL OR first_seen <= ?) ${kinds ? `AND type IN (SELECT value FROM json_each(?))` : ''} ORDER BY type, id`)
    .iterate(...(kinds ? [at, JSON.stringify(kinds)] : [at])) as IterableIterator<ResRow>;
  for (const r of resources) {
    if (HIDDEN_TYPES.has(r.type) || !typeOk(r.type) || !acctOk(r.account) || !regionOk(r.region) || view.deleted(r.id)) continue;
    if (nodes.size >= limit) {
      truncated = true;
      break;
    }
    const touching = view.touching(r.id);
    if (r.type === 'access-key') {
      // A key's count is the calls made with it; the calls that named it (create, update, delete) are a prop.
      const used = view.keyUse(r.id);
      nodes.set(r.id, { id: r.id, type: 'access-key', label: labelOf(r.id, r.name), account: r.account, region: r.region, parent: null, eventCount: used, props: { eventsWithKey: used, eventsTouching: touching } });
      continue;
    }
    nodes.set(r.id, { id: r.id, type: r.type as GraphNodeType, label: labelOf(r.id, r.name), account: r.account, region: r.region, parent: null, eventCount: touching });
  }
  const principals = stmt(db, `SELECT arn, type, account_id AS account, name FROM principals WHERE first_seen IS NULL OR first_seen <= ? ORDER BY event_count DESC, arn`)
    .all(at) as { arn: string; type: string; account: string | null; name: string | null }[];
  const edges: GraphEdge[] = [];
  for (const p of principals) {
    const existing = nodes.get(p.arn);
    const type = principalType(p.type, p.arn);
    if (!existing && !typeOk(type)) continue;
    const n = view.principal(p.arn);
    if (existing) {
      existing.eventCount += n;
      continue;
    }
    if (!acctOk(p.account)) continue;
    if (nodes.size >= limit) {
      truncated = true;
      break;
    }
    nodes.set(p.arn, { id: p.arn, type, label: labelOf(p.arn, p.name), account: p.account, region: null, parent: null, eventCount: n });
    const role = type === 'session' ? roleOfSession(p.arn) : null;
    if (role) edges.push({ id: `session-of:${p.arn}`, source: p.arn, target: role, kind: 'session-of', validFrom: null, validTo: null, eventCount: 0 });
  }
  edges.push(...edgesAt(db, at, nodes));
  // Who acted on what: the whole-case counts (a narrow view holds no principals to draw it from).
  for (const [k, n] of counts?.actedOn ?? []) {
    const [arn, res] = splitPair(k);
    if (nodes.has(arn) && nodes.has(res) && arn !== res) {
      edges.push({ id: `acted:${arn}>${res}`, source: arn, target: res, kind: 'acted-on', validFrom: null, validTo: null, eventCount: n });
    }
  }
  if (counts && typeOk('ip')) addIpNodes(nodes, edges, counts, options.ipLimits, typeOk('network-interface'));
  if (options.accounts?.length) keepAccountsOwn(nodes, edges);
  const kept = edges.filter((e) => nodes.has(e.source) && nodes.has(e.target) && e.source !== e.target);
  return { at: atMs === null ? null : iso(atMs), nodes: inIdOrder([...nodes.values()]), edges: inIdOrder(kept), truncated };
}

/**
 * Addresses and flow-only interfaces carry no account; their counts are the whole case's. With an
 * account filter only those touching a node of the chosen accounts stay, so another account's
 * callers and peers do not show as loose dots.
 */
function keepAccountsOwn(nodes: Map<string, GraphNode>, edges: GraphEdge[]): void {
  const owned = (id: string) => nodes.get(id)?.account != null;
  const touching = new Set<string>();
  for (const e of edges) {
    if (owned(e.source)) touching.add(e.target);
    if (owned(e.target)) touching.add(e.source);
  }
  for (const [id, n] of nodes) if (n.account === null && !touching.has(id)) nodes.delete(id);
}

/**
 * Of the rows of one relation (its endpoints and kind), the one a graph shows, the first in this order:
 * the earliest valid, not the first stored (stored order follows the order the files were read in).
 */
export const RELATION_ORDER = 'ORDER BY src, dst, kind, valid_from, valid_to';

/** A relation's edge id: its endpoints and kind, which the graph shows once (not its row id, which follows the reading order). */
export function relationEdgeId(e: { src: string; dst: string; kind: string }): string {
  return `rel:${e.kind}:${e.src}>${e.dst}`;
}

/**
 * Relations valid at T between nodes present. Parent relations become the child's `parent` (the UI's
 * boxes), not edges. A configuration snapshot shows a relation as it stood when taken, usually during
 * the investigation, after the events; when it began is unknown, so it is shown at earlier moments too
 * unless an event ended it (valid_to).
 */
export function edgesAt(db: CaseDb, at: number, nodes: Map<string, GraphNode>): GraphEdge[] {
  const rows = stmt(db, `SELECT src, dst, kind, valid_from AS vf, valid_to AS vt FROM edges
    WHERE (valid_from IS NULL OR valid_from <= ? OR origin = 'snapshot') AND (valid_to IS NULL OR valid_to > ?) ${RELATION_ORDER}`).all(at, at) as EdgeRow[];
  const out: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const e of rows) {
    if (!nodes.has(e.src) || !nodes.has(e.dst)) continue;
    const key = `${e.src}|${e.dst}|${e.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (PARENT_KINDS.has(e.kind)) {
      if (nodes.get(e.src)!.parent === null) nodes.get(e.src)!.parent = e.dst;
      continue;
    }
    out.push({ id: relationEdgeId(e), source: e.src, target: e.dst, kind: e.kind, validFrom: iso(e.vf), validTo: iso(e.vt), eventCount: 0 });
  }
  // An instance inside a subnet box inherits the box from its interface when it has no direct edge.
  for (const e of rows) {
    if (e.kind === 'eni-instance' && nodes.has(e.dst) && nodes.has(e.src) && nodes.get(e.dst)!.parent === null) nodes.get(e.dst)!.parent = nodes.get(e.src)!.parent;
  }
  return out;
}

export function principalType(type: string, arn: string): GraphNodeType {
  if (type === 'Root' || arn.endsWith(':root')) return 'root';
  if (type === 'AWSService') return 'aws-service';
  if (type === 'AssumedRole' || arn.includes(':assumed-role/')) return 'session';
  if (type === 'FederatedUser') return 'federated-user';
  if (type === 'IdentityCenterUser') return 'identity-center-user';
  if (type === 'AWSAccount') return 'aws-account';
  if (type === 'IAMUser') return 'user';
  // Otherwise the ARN's own shape (role, group, user…); never a guess of 'user'.
  return typeOfId(arn);
}


export function labelOf(id: string, name: string | null): string {
  if (name) return name;
  const slash = id.lastIndexOf('/');
  return id.startsWith('arn:') && slash > 0 ? id.slice(slash + 1) : id;
}
