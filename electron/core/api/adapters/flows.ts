// The workbench's flow calls, answered by the engine (electron/core/analysis/flows). What is added
// here: an instance stands for its interfaces, and the conversations are also summed per peer, so a
// scan (one address, many ports, all rejected) reads as one line instead of a hundred.
import type { CaseDb } from '../../db/open-case.ts';
import type { ParsedInput } from '../../../../shared/api/index.ts';
import type { FlowList, FlowPeer } from '../../../../shared/api/types.ts';
import type { FlowConversation, FlowFilter, RemoteAccessChain } from '../../../../shared/engine-types.ts';
import { flowConversations, remoteAccessChains } from '../../analysis/flows/flows-query.ts';

type FlowAsk = ParsedInput<'flows:list'>;

const DEFAULT_LIMIT = 2000;
// Ten or more distinct ports with nothing accepted is a sweep, not a client retrying one service.
const SCAN_PORTS = 10;
const PORTS_LISTED = 12;

/** The interfaces of an instance: from configuration snapshots, and from flow records (v5 instance-id) for instances gone since. */
export function interfacesOfInstance(db: CaseDb, instanceId: string): string[] {
  const fromEdges = db.prepare(`SELECT src FROM edges WHERE dst = ? AND kind = 'eni-instance'`).pluck().all(instanceId) as string[];
  // '' is an absent instance in flow_interfaces, never one asked for.
  const fromFlows = db.prepare(`SELECT DISTINCT interface_id FROM flow_interfaces WHERE instance_id = ? AND instance_id <> ''`).pluck().all(instanceId) as string[];
  return [...new Set([...fromEdges, ...fromFlows])].sort();
}

/** The engine filters the flows should be asked with: one per interface for an instance. */
function engineFilters(db: CaseDb, q: FlowAsk): { interfaces: string[]; filters: FlowFilter[] } {
  const base: FlowFilter = { accounts: q.accounts, ip: q.ip, port: q.port, from: q.from, to: q.to, windowMinutes: q.windowMinutes };
  if (q.eni) return { interfaces: [q.eni], filters: [{ ...base, eni: q.eni }] };
  if (q.instance) {
    const interfaces = interfacesOfInstance(db, q.instance);
    return { interfaces, filters: interfaces.map((eni) => ({ ...base, eni })) };
  }
  return { interfaces: [], filters: [base] };
}

export function flowList(db: CaseDb, q: FlowAsk): FlowList {
  const { interfaces, filters } = engineFilters(db, q);
  const conversations = filters.flatMap((f) => flowConversations(db, f));
  conversations.sort((a, b) => a.windowStart.localeCompare(b.windowStart) || (a.firstSeen ?? '').localeCompare(b.firstSeen ?? ''));
  const limit = q.limit ?? DEFAULT_LIMIT;
  return { interfaces, peers: peersOf(conversations), conversations: conversations.slice(0, limit), truncated: conversations.length > limit };
}

export function flowChains(db: CaseDb, q: FlowAsk): RemoteAccessChain[] {
  const { filters } = engineFilters(db, q);
  return filters.flatMap((f) => remoteAccessChains(db, { ...f, limit: q.limit }));
}

/** Conversations summed per (interface, peer, direction), busiest first with scans and accepted inbound ahead. */
export function peersOf(conversations: FlowConversation[]): FlowPeer[] {
  const peers = new Map<string, FlowPeer & { portSet: Set<number> }>();
  for (const c of conversations) {
    const key = `${c.interfaceId}|${c.peerAddress}|${c.direction}`;
    let p = peers.get(key);
    if (!p) {
      p = {
        interfaceId: c.interfaceId, peerAddress: c.peerAddress, peerIsPublic: c.peerIsPublic, direction: c.direction, portCount: 0, ports: [],
        records: 0, accepted: 0, rejected: 0, packets: 0, bytes: 0, firstSeen: c.firstSeen, lastSeen: c.lastSeen, scanLike: false, portSet: new Set(),
      };
      peers.set(key, p);
    }
    if (c.port !== null) p.portSet.add(c.port);
    p.records += c.records;
    p.accepted += c.accepted;
    p.rejected += c.rejected;
    p.packets += c.packets;
    p.bytes += c.bytes;
    if (c.firstSeen && (!p.firstSeen || c.firstSeen < p.firstSeen)) p.firstSeen = c.firstSeen;
    if (c.lastSeen && (!p.lastSeen || c.lastSeen > p.lastSeen)) p.lastSeen = c.lastSeen;
  }
  const out: FlowPeer[] = [];
  for (const { portSet, ...p } of peers.values()) {
    const ports = [...portSet].sort((a, b) => a - b);
    out.push({ ...p, portCount: ports.length, ports: ports.slice(0, PORTS_LISTED), scanLike: ports.length >= SCAN_PORTS && p.accepted === 0 && p.rejected > 0 });
  }
  const rank = (p: FlowPeer) => (p.scanLike ? 0 : p.direction === 'inbound' && p.peerIsPublic && p.accepted > 0 ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || b.records - a.records || (a.firstSeen ?? '').localeCompare(b.firstSeen ?? ''));
}
