// External addresses in the graph: those that acted (source IPs of calls, → the identities that called
// from them) and public peers that only connected (flows to and from the account's interfaces). A
// scanned account sees thousands of peers, so past a limit the rest fold into one count node per
// kind with the totals, and addresses that got in (accepted flows) are kept before those that were
// only rejected.
import type { GraphEdge, GraphNode } from '../../../../shared/engine-types.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { splitPair, type CountsAt } from './graph-counts.ts';
import type { PeerCount } from '../flows/peer-counts.ts';
import { addTo } from './series.ts';
import { byCodeUnit } from '../../text-order.ts';

export const MAX_ACTED_IPS = 200;
export const MAX_CONNECTED_IPS = 100;
export const OTHER_ACTED = 'ip/other-sources';
export const OTHER_CONNECTED = 'ip/other-peers';

type Limits = { acted?: number; connected?: number };

/** An interface seen only in flow logs (no snapshot, no call named it) still gets a node: traffic proves it existed. */
function ensureInterface(nodes: Map<string, GraphNode>, eni: string, allowed: boolean): boolean {
  if (nodes.has(eni)) return true;
  if (!allowed || !eni.startsWith('eni-')) return false;
  nodes.set(eni, { id: eni, type: 'network-interface', label: eni, account: null, region: null, parent: null, eventCount: 0, props: { seenIn: 'flow logs' } });
  return true;
}

export function ipNodeId(ip: string): string {
  return `ip/${ip}`;
}

function ipNode(nodes: Map<string, GraphNode>, ip: string): GraphNode {
  const id = ipNodeId(ip);
  let n = nodes.get(id);
  if (!n) {
    n = { id, type: 'ip', label: ip, account: null, region: null, parent: null, eventCount: 0, props: { public: isPublicAddress(ip) } };
    nodes.set(id, n);
  }
  n.props ??= {};
  return n;
}

/** Adds address nodes and their edges ('source-ip': ip → identity; 'connected': peer → interface, or interface → peer when outbound). */
export function addIpNodes(nodes: Map<string, GraphNode>, edges: GraphEdge[], counts: CountsAt, limits: Limits = {}, interfacesAllowed = true): void {
  const maxActed = limits.acted ?? MAX_ACTED_IPS;
  const maxConnected = limits.connected ?? MAX_CONNECTED_IPS;

  const acted = [...counts.ips].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0]));
  const keptActed = new Set(acted.slice(0, maxActed).map(([ip]) => ip));
  const foldedActed = acted.slice(maxActed);
  for (const ip of keptActed) {
    const n = ipNode(nodes, ip);
    n.eventCount += counts.ips.get(ip)!;
    n.props!.events = counts.ips.get(ip)!;
  }
  if (foldedActed.length) {
    nodes.set(OTHER_ACTED, {
      id: OTHER_ACTED, type: 'ip', label: `${foldedActed.length} more source addresses`, account: null, region: null, parent: null,
      eventCount: foldedActed.reduce((s, [, n]) => s + n, 0), props: { aggregate: true, addresses: foldedActed.length },
    });
  }
  const toOther = new Map<string, number>();
  for (const [k, n] of counts.ipPrincipal) {
    const [ip, arn] = splitPair(k);
    if (!nodes.has(arn)) continue;
    if (keptActed.has(ip)) edges.push({ id: `src:${ip}>${arn}`, source: ipNodeId(ip), target: arn, kind: 'source-ip', validFrom: null, validTo: null, eventCount: n });
    else addTo(toOther, arn, n);
  }
  for (const [arn, n] of toOther) edges.push({ id: `src:${OTHER_ACTED}>${arn}`, source: OTHER_ACTED, target: arn, kind: 'source-ip', validFrom: null, validTo: null, eventCount: n });

  // Peers: totals per address decide who is kept; an address that also acted is always kept.
  const byPeer = new Map<string, { accepted: number; rejected: number; links: PeerCount[] }>();
  for (const p of counts.peers) {
    if (!ensureInterface(nodes, p.eni, interfacesAllowed)) continue;
    let t = byPeer.get(p.peer);
    if (!t) byPeer.set(p.peer, (t = { accepted: 0, rejected: 0, links: [] }));
    t.accepted += p.accepted;
    t.rejected += p.rejected;
    t.links.push(p);
  }
  const ranked = [...byPeer].filter(([ip]) => !keptActed.has(ip)).sort((a, b) =>
    (b[1].accepted > 0 ? 1 : 0) - (a[1].accepted > 0 ? 1 : 0) || b[1].accepted - a[1].accepted || b[1].rejected - a[1].rejected || byCodeUnit(a[0], b[0]));
  const keptPeers = new Set([...keptActed].filter((ip) => byPeer.has(ip)));
  for (const [ip] of ranked.slice(0, maxConnected)) keptPeers.add(ip);
  const folded = ranked.slice(maxConnected);
  const otherLinks = new Map<string, { eni: string; inbound: boolean; n: number }>();
  for (const [ip, t] of byPeer) {
    const kept = keptPeers.has(ip);
    if (kept) {
      const n = ipNode(nodes, ip);
      n.props!.flowsAccepted = t.accepted;
      n.props!.flowsRejected = t.rejected;
    }
    for (const l of t.links) {
      const records = l.accepted + l.rejected;
      if (!kept) {
        const k = `${l.eni}|${l.inbound}`;
        const o = otherLinks.get(k);
        if (o) o.n += records;
        else otherLinks.set(k, { eni: l.eni, inbound: l.inbound, n: records });
        continue;
      }
      const [source, target] = l.inbound ? [ipNodeId(ip), l.eni] : [l.eni, ipNodeId(ip)];
      edges.push({ id: `flow:${source}>${target}`, source, target, kind: 'connected', validFrom: null, validTo: null, eventCount: records });
    }
  }
  if (folded.length) {
    const rejectedOnly = folded.filter(([, t]) => t.accepted === 0).length;
    nodes.set(OTHER_CONNECTED, {
      id: OTHER_CONNECTED, type: 'ip', label: `${folded.length} more peers (${rejectedOnly} only rejected)`, account: null, region: null, parent: null,
      eventCount: 0,
      props: {
        aggregate: true, addresses: folded.length, rejectedOnly,
        flowsAccepted: folded.reduce((s, [, t]) => s + t.accepted, 0), flowsRejected: folded.reduce((s, [, t]) => s + t.rejected, 0),
      },
    });
    for (const l of otherLinks.values()) {
      const [source, target] = l.inbound ? [OTHER_CONNECTED, l.eni] : [l.eni, OTHER_CONNECTED];
      edges.push({ id: `flow:${source}>${target}`, source, target, kind: 'connected', validFrom: null, validTo: null, eventCount: l.n });
    }
  }
}
