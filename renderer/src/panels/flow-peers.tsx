// Every peer of the interfaces asked about, all ports together, scans and accepted inbound first;
// a row opens into its conversations (port, protocol, window). A peer's address filters the timeline.
import { Fragment, useState } from 'react';
import type { FlowConversation, FlowList, FlowPeer } from '../../../shared/api/types.ts';
import { useStore, formatTime } from '../store.ts';
import { filterTimelineByIp } from './navigate.ts';
import { AnnotationsBox, toggleStar } from './annotations-box.tsx';
import { MarksBadge, useMarks } from './marks-badge.tsx';
import { CopyButton } from './copy-button.tsx';

const PAGE = 150;
const PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

export function protocolName(p: number | null): string {
  return p === null ? '?' : (PROTOCOLS[p] ?? String(p));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function portsText(p: FlowPeer): string {
  if (p.portCount === 0) return '-';
  if (p.portCount <= 3) return p.ports.join(', ');
  return `${p.portCount} ports`;
}

/** The ports as a tooltip: the first few in ascending order. */
function portsTitle(p: FlowPeer): string {
  return p.ports.join(', ') + (p.portCount > p.ports.length ? ', …' : '');
}

function verdict(p: FlowPeer): string {
  if (p.accepted === 0 && p.rejected > 0) return 'all rejected';
  if (p.rejected === 0 && p.accepted > 0) return 'all accepted';
  return `${p.accepted.toLocaleString('en')} acc. / ${p.rejected.toLocaleString('en')} rej.`;
}

const ARROW = { inbound: '←', outbound: '→', unknown: '↔' } as const;

export function FlowPeers({ list, byInterface }: { list: FlowList; byInterface: boolean }) {
  const [shown, setShown] = useState(PAGE);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const keyOf = (p: { interfaceId: string | null; peerAddress: string | null; direction: string }) => `${p.interfaceId}|${p.peerAddress}|${p.direction}`;
  const byPeer = new Map<string, FlowConversation[]>();
  for (const c of list.conversations) {
    const k = keyOf(c);
    const arr = byPeer.get(k);
    if (arr) arr.push(c);
    else byPeer.set(k, [c]);
  }
  const toggle = (k: string) => setOpen((o) => {
    const n = new Set(o);
    if (n.has(k)) n.delete(k);
    else n.add(k);
    return n;
  });
  return (
    <>
      <table className="flow-peers">
        <caption>Peers{byInterface ? ' (per interface)' : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Peer</th>
            <th scope="col">Ports</th>
            <th scope="col" title="Flow records accepted / rejected">Acc. / rej.</th>
            <th scope="col" title="Packets / bytes">Pkts / bytes</th>
            <th scope="col">First / last</th>
          </tr>
        </thead>
        <tbody>
          {list.peers.slice(0, shown).map((p) => {
            const k = keyOf(p);
            const expanded = open.has(k);
            return (
              <Fragment key={k}>
                <tr className={p.scanLike ? 'scan' : p.accepted > 0 && p.direction === 'inbound' && p.peerIsPublic ? 'accepted-in' : undefined}>
                  <th scope="row">
                    <button type="button" className="expand" aria-expanded={expanded} aria-label={`Conversations with ${p.peerAddress}${byInterface ? ` on ${p.interfaceId}` : ''}`} onClick={() => toggle(k)}>
                      {expanded ? '▾' : '▸'}
                    </button>
                    <span title={p.direction}>{ARROW[p.direction]}</span>{' '}
                    {p.peerAddress ? (
                      <button type="button" className="link" aria-label={`Show events from ${p.peerAddress}`} onClick={() => filterTimelineByIp(p.peerAddress!)}>
                        {p.peerAddress}
                      </button>
                    ) : null}
                    {p.peerAddress ? <> <CopyButton value={p.peerAddress} what="address" /></> : (
                      '?'
                    )}
                    {p.scanLike ? <span className="badge scan">scan</span> : null}
                    {byInterface ? <div className="muted mono">{p.interfaceId}</div> : null}
                  </th>
                  <td title={portsTitle(p)}>{portsText(p)}</td>
                  <td>{verdict(p)}</td>
                  <td>
                    {p.packets.toLocaleString('en')} / {formatBytes(p.bytes)}
                  </td>
                  <Times first={p.firstSeen} last={p.lastSeen} />
                </tr>
                {expanded ? <Conversations conversations={byPeer.get(k) ?? []} truncated={list.truncated} /> : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {list.peers.length > shown ? (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show more peers ({(list.peers.length - shown).toLocaleString('en')} more)
        </button>
      ) : null}
    </>
  );
}

/** First and last on two lines without the year (the column is narrow; the tooltip has it all). */
function Times({ first, last }: { first: string | null; last: string | null }) {
  const utc = useStore((s) => s.utc);
  const a = formatTime(first, utc);
  const b = formatTime(last, utc);
  return (
    <td className="times" title={`${a} – ${b}`}>
      {a.slice(5)}
      <br />
      {b.slice(5)}
    </td>
  );
}

function Conversations({ conversations, truncated }: { conversations: FlowConversation[]; truncated: boolean }) {
  const marks = useMarks('flow');
  const [annotating, setAnnotating] = useState<number | null>(null);
  if (!conversations.length) {
    return (
      <tr className="conversation">
        <td colSpan={5} className="muted">
          {truncated ? 'Its conversations are past the limit: narrow the time window.' : 'No conversations.'}
        </td>
      </tr>
    );
  }
  return (
    <>
      {conversations.map((c, i) => {
        const m = marks.get(c.key);
        const what = `conversation ${c.key}`;
        return (
          <Fragment key={i}>
            <tr className="conversation" title={`Key (trailscope --flow): ${c.key}`}>
              <th scope="row">
                <button type="button" className={`star${m?.starred ? ' on' : ''}`} aria-pressed={Boolean(m?.starred)} aria-label={m?.starred ? `Unstar ${what}` : `Star ${what}`} onClick={() => void toggleStar('flow', c.key, Boolean(m?.starred))}>
                  {m?.starred ? '★' : '☆'}
                </button>
                port {c.port ?? '-'}/{protocolName(c.protocol)}{' '}
                <button type="button" className="link" aria-expanded={annotating === i} aria-label={`Annotate ${what}`} onClick={() => setAnnotating(annotating === i ? null : i)}>
                  ✎
                </button>
                <MarksBadge marks={m && { ...m, starred: false }} />
              </th>
              <td>
                {c.records.toLocaleString('en')} {c.records === 1 ? 'record' : 'records'}
              </td>
              <td>
                {c.accepted.toLocaleString('en')} / {c.rejected.toLocaleString('en')}
              </td>
              <td>
                {c.packets.toLocaleString('en')} / {formatBytes(c.bytes)}
              </td>
              <Times first={c.firstSeen} last={c.lastSeen} />
            </tr>
            {annotating === i ? (
              <tr className="conversation">
                <td colSpan={5}>
                  <AnnotationsBox target="flow" targetId={c.key} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </>
  );
}
