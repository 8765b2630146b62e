// One node's neighbours at T, for the UI's expand and the CLI's --node: configured relations valid at
// T, who acted on it (or what it acted on), the addresses it was used from or that connected to it,
// each with counts up to T and capped at `limit` per kind.
import type { Graph, GraphEdge, GraphNode, GraphNodeType, NeighbourhoodQuery } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { iso, parseTime, stmt } from '../prepared.ts';
import { countsAt, splitPair, type CountsAt } from './graph-counts.ts';
import { labelOf, PARENT_KINDS, principalType } from './graph-at.ts';
import { ipNodeId } from './ip-nodes.ts';
import { typeOfId } from './node-type.ts';
import { addKeyLinks } from './key-links.ts';

type EdgeRow = { id: number; src: string; dst: string; kind: string; vf: number | null; vt: number | null };

export function neighbourhood(db: CaseDb, q: NeighbourhoodQuery): Graph {
  const atMs = q.at ? parseTime(q.at) : null;
  const at = atMs ?? Number.MAX_SAFE_INTEGER;
  const limit = Math.min(q.limit ?? 200, 2000);
  const counts = countsAt(db, atMs);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  let truncated = false;
  const add = (id: string) => {
    if (!nodes.has(id)) nodes.set(id, nodeOf(db, id, counts, at));
    return nodes.get(id)!;
  };
  add(q.nodeId);
  const rel = stmt(db, `SELECT id, src, dst, kind, valid_from AS vf, valid_to AS vt FROM edges WHERE (src = ? OR dst = ?)
    AND (valid_from IS NULL OR valid_from <= ? OR origin = 'snapshot') AND (valid_to IS NULL OR valid_to > ?) LIMIT ?`)
    .all(q.nodeId, q.nodeId, at, at, limit + 1) as EdgeRow[];
  if (rel.length > limit) truncated = true;
  const seen = new Set<string>();
  for (const e of rel.slice(0, limit)) {
    const key = `${e.src}|${e.dst}|${e.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const src = add(e.src);
    add(e.dst);
    if (PARENT_KINDS.has(e.kind)) {
      src.parent ??= e.dst;
      continue;
    }
    edges.push({ id: `e${e.id}`, source: e.src, target: e.dst, kind: e.kind, validFrom: iso(e.vf), validTo: iso(e.vt), eventCount: 0 });
  }
  // Who acted on this resource (any touch, reads included), as recorded identities with counts.
  const actors = stmt(db, `SELECT e.identity_arn AS arn, count(*) AS n FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.resource_id = ? AND e.event_time <= ? AND e.identity_arn IS NOT NULL GROUP BY e.identity_arn ORDER BY n DESC LIMIT ?`)
    .all(q.nodeId, at, limit + 1) as { arn: string; n: number }[];
  // What this identity acted on.
  const targets = stmt(db, `SELECT r.resource_id AS id, count(*) AS n FROM events e JOIN event_resources r ON r.event = e.id
    WHERE e.identity_arn = ? AND e.event_time <= ? GROUP BY r.resource_id ORDER BY n DESC LIMIT ?`).all(q.nodeId, at, limit + 1) as { id: string; n: number }[];
  if (actors.length > limit || targets.length > limit) truncated = true;
  for (const a of actors.slice(0, limit)) {
    add(a.arn);
    edges.push({ id: `acted:${a.arn}>${q.nodeId}`, source: a.arn, target: q.nodeId, kind: 'acted-on', validFrom: null, validTo: null, eventCount: a.n });
  }
  for (const t of targets.slice(0, limit)) {
    add(t.id);
    edges.push({ id: `acted:${q.nodeId}>${t.id}`, source: q.nodeId, target: t.id, kind: 'acted-on', validFrom: null, validTo: null, eventCount: t.n });
  }
  truncated = addAddresses(q.nodeId, counts, limit, add, edges) || truncated;
  truncated = addSessions(db, q.nodeId, at, limit, add, edges) || truncated;
  if (nodes.get(q.nodeId)?.type === 'access-key') truncated = addKeyLinks(db, q.nodeId, at, limit, add, edges) || truncated;
  // Parents of the nodes shown, so they sit in their boxes.
  for (const n of [...nodes.values()]) {
    if (n.parent) continue;
    const p = stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind IN ('instance-subnet', 'eni-subnet', 'subnet-vpc') LIMIT 1`).pluck().get(n.id) as string | undefined;
    if (p) n.parent = p;
  }
  for (const n of [...nodes.values()]) if (n.parent) add(n.parent);
  return { at: atMs === null ? null : iso(atMs), nodes: [...nodes.values()], edges, truncated };
}

/**
 * A role's sessions seen by T, busiest first (on an account without snapshots a role never acts
 * itself: its sessions do, and they are what opening it should show). One range of the principals key.
 */
function addSessions(db: CaseDb, nodeId: string, at: number, limit: number, add: (id: string) => GraphNode, edges: GraphEdge[]): boolean {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(nodeId);
  if (!m) return false;
  const prefix = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`;
  const rows = stmt(db, `SELECT arn FROM principals WHERE arn >= ? AND arn < ? AND (first_seen IS NULL OR first_seen <= ?) ORDER BY event_count DESC LIMIT ?`)
    .pluck().all(prefix, `${prefix}\uffff`, at, limit + 1) as string[];
  for (const arn of rows.slice(0, limit)) {
    add(arn);
    edges.push({ id: `session-of:${arn}`, source: arn, target: nodeId, kind: 'session-of', validFrom: null, validTo: null, eventCount: 0 });
  }
  return rows.length > limit;
}

/** Addresses an identity called from, identities that called from an address, and peers of an interface. */
function addAddresses(nodeId: string, counts: CountsAt, limit: number, add: (id: string) => GraphNode, edges: GraphEdge[]): boolean {
  const ip = nodeId.startsWith('ip/') ? nodeId.slice(3) : null;
  const sources: [string, string, number][] = [];
  for (const [k, n] of counts.ipPrincipal) {
    const [addr, arn] = splitPair(k);
    if (addr === ip || arn === nodeId) sources.push([addr, arn, n]);
  }
  sources.sort((a, b) => b[2] - a[2]);
  for (const [addr, arn, n] of sources.slice(0, limit)) {
    add(ipNodeId(addr));
    add(arn);
    edges.push({ id: `src:${addr}>${arn}`, source: ipNodeId(addr), target: arn, kind: 'source-ip', validFrom: null, validTo: null, eventCount: n });
  }
  const peers = counts.peers.filter((p) => p.peer === ip || p.eni === nodeId).sort((a, b) => b.accepted - a.accepted || b.rejected - a.rejected);
  for (const p of peers.slice(0, limit)) {
    add(ipNodeId(p.peer));
    add(p.eni);
    const [source, target] = p.inbound ? [ipNodeId(p.peer), p.eni] : [p.eni, ipNodeId(p.peer)];
    edges.push({ id: `flow:${source}>${target}`, source, target, kind: 'connected', validFrom: null, validTo: null, eventCount: p.accepted + p.rejected });
  }
  return sources.length > limit || peers.length > limit;
}

/** Events made with a key not listed in resources (a session key): one index range. */
function keyUseAt(db: CaseDb, key: string, at: number): number {
  return stmt(db, 'SELECT count(*) FROM event_rows WHERE access_key_id = (SELECT id FROM strings WHERE value = ?) AND event_time <= ?').pluck().get(key, at) as number;
}

function nodeOf(db: CaseDb, id: string, counts: CountsAt, at: number): GraphNode {
  const r = stmt(db, 'SELECT type, account_id AS account, region, name FROM resources WHERE id = ?').get(id) as
    { type: string; account: string | null; region: string | null; name: string | null } | undefined;
  const p = stmt(db, 'SELECT type, account_id AS account, name FROM principals WHERE arn = ?').get(id) as { type: string; account: string | null; name: string | null } | undefined;
  const ip = id.startsWith('ip/') ? id.slice(3) : null;
  // Stored type first, then the id's own shape (an interface known only from flow logs is still an interface).
  const type: GraphNodeType = (r?.type as GraphNodeType | undefined) ?? (p ? principalType(p.type, id) : typeOfId(id));
  const touching = counts.resources.get(id) ?? 0;
  const base = { id, type, label: labelOf(id, r?.name ?? p?.name ?? ip), account: r?.account ?? p?.account ?? null, region: r?.region ?? null, parent: null };
  if (type === 'access-key') {
    // Calls made with the key (userIdentity.accessKeyId), as in graphAt; the calls that named it are a prop.
    const used = counts.keyUse.get(id) ?? keyUseAt(db, id, at);
    return { ...base, eventCount: used, props: { eventsWithKey: used, eventsTouching: touching } };
  }
  const n = touching + (counts.principals.get(id) ?? 0) + (ip ? (counts.ips.get(ip) ?? 0) : 0);
  return {
    ...base, eventCount: n,
    ...(ip ? { props: { public: isPublicAddress(ip) } } : !r && !p && type === 'network-interface' ? { props: { seenIn: 'flow logs' } } : {}),
  };
}
