// One node's neighbours at T, for the UI's expand and the CLI's --node: configured relations valid at
// T, who acted on it (or what it acted on), the addresses it was used from or that connected to it,
// each with counts up to T and capped at `limit` per kind. Everything is read from index ranges of the
// node itself (node-counts.ts), never from whole-case buckets, so the first expansion on a
// million-event case costs what the later ones do. Churned credentials fold (issue 13): the keys an
// identity asked for are one 'assumed' edge per role with the number of keys, a role shows who assumed
// it and its busiest sessions, with the totals as props.
import type { Graph, GraphEdge, GraphNode, GraphNodeType, NeighbourhoodQuery } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { iso, parseTime, stmt } from '../prepared.ts';
import { labelOf, PARENT_KINDS, principalType, RELATION_ORDER, relationEdgeId, type EdgeRow } from './graph-at.ts';
import { roleOfSession } from '../../../../shared/resource-ids.ts';
import { ipNodeId } from './ip-nodes.ts';
import { inIdOrder } from '../stable-order.ts';
import { byCodeUnit } from '../../text-order.ts';
import { typeOfId } from './node-type.ts';
import { addKeyLinks, issuingAccount } from './key-links.ts';
import { addressesOf, eventsBy, eventsTouching, identitiesFrom, NOT_ISSUED_CREDENTIAL, peersOf, SCAN_ROWS } from './node-counts.ts';

type Add = (id: string) => GraphNode;

export function neighbourhood(db: CaseDb, q: NeighbourhoodQuery): Graph {
  const atMs = q.at ? parseTime(q.at) : null;
  const at = atMs ?? Number.MAX_SAFE_INTEGER;
  const limit = Math.min(q.limit ?? 200, 2000);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  let truncated = false;
  const add = (id: string) => {
    if (!nodes.has(id)) nodes.set(id, nodeOf(db, id, at));
    return nodes.get(id)!;
  };
  const self = add(q.nodeId);
  const rel = stmt(db, `SELECT src, dst, kind, valid_from AS vf, valid_to AS vt FROM edges WHERE (src = ? OR dst = ?)
    AND (valid_from IS NULL OR valid_from <= ? OR origin = 'snapshot') AND (valid_to IS NULL OR valid_to > ?) ${RELATION_ORDER} LIMIT ?`)
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
    edges.push({ id: relationEdgeId(e), source: e.src, target: e.dst, kind: e.kind, validFrom: iso(e.vf), validTo: iso(e.vt), eventCount: 0 });
  }
  // Who acted on this resource (any touch, reads included), over its latest SCAN_ROWS touches up to T:
  // one range of its links in time order (migration 0142). Calls by AWS services carry no identity and
  // count in the range (filtering them first would read them all), so the bound holds.
  const actorScan = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM event_resources WHERE resource_id = ? AND event_time <= ? LIMIT ?)`)
    .pluck().get(q.nodeId, at, SCAN_ROWS + 1) as number;
  const actors = stmt(db, `SELECT s.value AS arn, count(*) AS n FROM (SELECT event FROM event_resources WHERE resource_id = ? AND event_time <= ?
      ORDER BY event_time DESC, event DESC LIMIT ?) r
    JOIN event_rows e ON e.id = r.event JOIN strings s ON s.id = e.identity_arn GROUP BY e.identity_arn ORDER BY n DESC, s.value LIMIT ?`)
    .all(q.nodeId, at, SCAN_ROWS, limit + 1) as { arn: string; n: number }[];
  // What this identity acted on, over its latest SCAN_ROWS events up to T; the keys and sessions it
  // got from a role are left to the folded 'assumed' edges below.
  const targetScan = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM event_rows WHERE identity_arn = (SELECT id FROM strings WHERE value = ?) AND event_time <= ? LIMIT ?)`)
    .pluck().get(q.nodeId, at, SCAN_ROWS + 1) as number;
  const targets = targetScan === 0 ? [] : stmt(db, `SELECT r.resource_id AS id, count(*) AS n FROM (SELECT id FROM event_rows
    WHERE identity_arn = (SELECT id FROM strings WHERE value = ?) AND event_time <= ? ORDER BY event_time DESC LIMIT ?) x
    JOIN event_resources r ON r.event = x.id
    WHERE ${NOT_ISSUED_CREDENTIAL}
    GROUP BY r.resource_id ORDER BY n DESC, r.resource_id LIMIT ?`).all(q.nodeId, at, SCAN_ROWS, limit + 1) as { id: string; n: number }[];
  if (actors.length > limit || targets.length > limit || actorScan > SCAN_ROWS || targetScan > SCAN_ROWS) truncated = true;
  for (const a of actors.slice(0, limit)) {
    add(a.arn);
    edges.push({ id: `acted:${a.arn}>${q.nodeId}`, source: a.arn, target: q.nodeId, kind: 'acted-on', validFrom: null, validTo: null, eventCount: a.n });
  }
  for (const t of targets.slice(0, limit)) {
    add(t.id);
    edges.push({ id: `acted:${q.nodeId}>${t.id}`, source: q.nodeId, target: t.id, kind: 'acted-on', validFrom: null, validTo: null, eventCount: t.n });
  }
  truncated = addAddresses(db, q.nodeId, at, limit, add, edges) || truncated;
  truncated = addRoleFolds(db, self, at, limit, add, edges) || truncated;
  if (self.type === 'access-key') truncated = addKeyLinks(db, q.nodeId, at, limit, add, edges) || truncated;
  truncated = addAssumed(db, q.nodeId, self.type === 'access-key' ? 'caller_key' : 'caller_arn', at, limit, add, edges) || truncated;
  // Parents of the nodes shown, so they sit in their boxes.
  for (const n of [...nodes.values()]) {
    if (n.parent) continue;
    const p = stmt(db, `SELECT dst FROM edges WHERE src = ? AND kind IN ('instance-subnet', 'eni-subnet', 'subnet-vpc') LIMIT 1`).pluck().get(n.id) as string | undefined;
    if (p) n.parent = p;
  }
  for (const n of [...nodes.values()]) if (n.parent) add(n.parent);
  return { at: atMs === null ? null : iso(atMs), nodes: inIdOrder([...nodes.values()]), edges: inIdOrder(edges), truncated };
}

/**
 * A role folded: its busiest sessions seen by T (on an account without snapshots a role never acts
 * itself: its sessions do) from one range of the principals key, who assumed it (one covering range of
 * credentials_role_caller), and the totals as props. A session shows the role it belongs to.
 */
function addRoleFolds(db: CaseDb, self: GraphNode, at: number, limit: number, add: Add, edges: GraphEdge[]): boolean {
  const role = roleOfSession(self.id);
  if (role) {
    add(role);
    edges.push({ id: `session-of:${self.id}`, source: self.id, target: role, kind: 'session-of', validFrom: null, validTo: null, eventCount: 0 });
    return false;
  }
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(self.id);
  if (!m) return false;
  const prefix = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`;
  const sessions = stmt(db, `SELECT count(*) FROM principals WHERE arn >= ? AND arn < ? AND (first_seen IS NULL OR first_seen <= ?)`).pluck().get(prefix, `${prefix}\uffff`, at) as number;
  const rows = stmt(db, `SELECT arn FROM principals WHERE arn >= ? AND arn < ? AND (first_seen IS NULL OR first_seen <= ?) ORDER BY event_count DESC LIMIT ?`)
    .pluck().all(prefix, `${prefix}\uffff`, at, limit) as string[];
  for (const arn of rows) {
    add(arn);
    edges.push({ id: `session-of:${arn}`, source: arn, target: self.id, kind: 'session-of', validFrom: null, validTo: null, eventCount: 0 });
  }
  // On the stored ids (migration 0128: grouped through the credentials view, every text of every key would be joined).
  const callers = stmt(db, `SELECT s.value AS arn, g.n, g.first FROM (SELECT caller_arn, count(*) AS n, min(issued_at) AS first FROM credential_rows
    WHERE role_arn = (SELECT id FROM strings WHERE value = ?) AND (issued_at IS NULL OR issued_at <= ?) GROUP BY caller_arn) g
    LEFT JOIN strings s ON s.id = g.caller_arn ORDER BY s.value`).all(self.id, at) as { arn: string | null; n: number; first: number | null }[];
  let keys = 0;
  for (const c of callers) {
    keys += c.n;
    if (!c.arn || c.arn === self.id) continue;
    add(c.arn);
    edges.push({ id: `assumed:${c.arn}>${self.id}`, source: c.arn, target: self.id, kind: 'assumed', validFrom: iso(c.first), validTo: null, eventCount: c.n });
  }
  self.props = { ...self.props, sessions, keys, sessionsShown: rows.length };
  return sessions > rows.length;
}

/** The roles an identity (or a key) asked keys for, one edge per role with the number of keys: a covering range. */
function addAssumed(db: CaseDb, id: string, by: 'caller_arn' | 'caller_key', at: number, limit: number, add: Add, edges: GraphEdge[]): boolean {
  if (!id.startsWith('arn:') && by === 'caller_arn') return false;
  const rows = stmt(db, `SELECT s.value AS role, g.n, g.first FROM (SELECT role_arn, count(*) AS n, min(issued_at) AS first FROM credential_rows
    WHERE ${by} = (SELECT id FROM strings WHERE value = ?) AND role_arn IS NOT NULL AND (issued_at IS NULL OR issued_at <= ?) GROUP BY role_arn) g
    JOIN strings s ON s.id = g.role_arn ORDER BY g.n DESC, s.value LIMIT ?`).all(id, at, limit + 1) as { role: string; n: number; first: number | null }[];
  for (const r of rows.slice(0, limit)) {
    if (r.role === id) continue;
    add(r.role);
    edges.push({ id: `assumed:${id}>${r.role}`, source: id, target: r.role, kind: 'assumed', validFrom: iso(r.first), validTo: null, eventCount: r.n });
  }
  return rows.length > limit;
}

/** Addresses an identity called from, identities that called from an address, and peers of an interface or address. */
function addAddresses(db: CaseDb, nodeId: string, at: number, limit: number, add: Add, edges: GraphEdge[]): boolean {
  const ip = nodeId.startsWith('ip/') ? nodeId.slice(3) : null;
  const pairs: [addr: string, arn: string, n: number][] = [];
  let cut = false;
  if (ip) {
    const from = identitiesFrom(db, ip, at);
    cut = from.cut;
    for (const [arn, n] of from.rows) pairs.push([ip, arn, n]);
  } else if (nodeId.startsWith('arn:')) {
    const used = addressesOf(db, nodeId, at);
    cut = used.cut;
    for (const [addr, n] of used.rows) pairs.push([addr, nodeId, n]);
  }
  for (const [addr, arn, n] of pairs.slice(0, limit)) {
    add(ipNodeId(addr));
    add(arn);
    edges.push({ id: `src:${addr}>${arn}`, source: ipNodeId(addr), target: arn, kind: 'source-ip', validFrom: null, validTo: null, eventCount: n });
  }
  const peers = peersOf(db, nodeId, at);
  const sorted = peers.rows.sort((a, b) => b.accepted - a.accepted || b.rejected - a.rejected || byCodeUnit(a.peer, b.peer) || byCodeUnit(a.eni, b.eni));
  for (const p of sorted.slice(0, limit)) {
    add(ipNodeId(p.peer));
    add(p.eni);
    const [source, target] = p.inbound ? [ipNodeId(p.peer), p.eni] : [p.eni, ipNodeId(p.peer)];
    edges.push({ id: `flow:${source}>${target}`, source, target, kind: 'connected', validFrom: null, validTo: null, eventCount: p.accepted + p.rejected });
  }
  return cut || peers.cut || pairs.length > limit || sorted.length > limit;
}

function nodeOf(db: CaseDb, id: string, at: number): GraphNode {
  const r = stmt(db, 'SELECT type, account_id AS account, region, name FROM resources WHERE id = ?').get(id) as
    { type: string; account: string | null; region: string | null; name: string | null } | undefined;
  const p = stmt(db, 'SELECT type, account_id AS account, name FROM principals WHERE arn = ?').get(id) as { type: string; account: string | null; name: string | null } | undefined;
  const ip = id.startsWith('ip/') ? id.slice(3) : null;
  // Stored type first, then the id's own shape (an interface known only from flow logs is still an interface).
  const type: GraphNodeType = (r?.type as GraphNodeType | undefined) ?? (p ? principalType(p.type, id) : typeOfId(id));
  const touching = r ? eventsTouching(db, id, at) : 0;
  const account = r?.account ?? p?.account ?? (type === 'access-key' ? issuingAccount(db, id) : null);
  const base = { id, type, label: labelOf(id, r?.name ?? p?.name ?? ip), account, region: r?.region ?? null, parent: null };
  if (type === 'access-key') {
    // Calls made with the key (userIdentity.accessKeyId), as in graphAt; the calls that named it are a prop.
    const used = eventsBy(db, 'access_key_id', id, at);
    return { ...base, eventCount: used, props: { eventsWithKey: used, eventsTouching: touching } };
  }
  const n = touching + (id.startsWith('arn:') ? eventsBy(db, 'identity_arn', id, at) : 0) + (ip ? eventsBy(db, 'source_ip', ip, at) : 0);
  return {
    ...base, eventCount: n,
    ...(ip ? { props: { public: isPublicAddress(ip) } } : !r && !p && type === 'network-interface' ? { props: { seenIn: 'flow logs' } } : {}),
  };
}
