// "Is someone scanning us" and "the chain from traffic to person": the flows of the selected
// interface, instance or address. Accepted remote-access flows from outside come first, each with
// the rule that let it in, the call that added the rule and the person behind the call; then every
// peer with its ports, accepted and rejected counts (a scan reads as one peer, many ports, all rejected).
import { useState } from 'react';
import type { RemoteAccessChain, SecurityGroupRule } from '../../../shared/api/types.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';
import { FlowPeers } from './flow-peers.tsx';
import { showEvent, showHistory, filterTimelineByIp } from './navigate.ts';

type Ask = { eni?: string; instance?: string; ip?: string; from?: string; to?: string; accounts?: string[] };

function askOf(target: string, window: { from?: string; to?: string; accounts?: string[] }): Ask {
  const w = { from: window.from, to: window.to, accounts: window.accounts };
  if (target.startsWith('eni-')) return { eni: target, ...w };
  if (target.startsWith('i-')) return { instance: target, ...w };
  return { ip: target.slice('ip/'.length), ...w };
}

export function FlowsPanel() {
  const target = useStore((s) => s.flowsFor);
  const from = useStore((s) => s.filter.from);
  const to = useStore((s) => s.filter.to);
  const accounts = useStore((s) => s.filter.accounts);
  const ask = target ? askOf(target, { from, to, accounts }) : null;
  const { value: list, error: listError } = useCall('flows:list', ask);
  const { value: chains, error: chainsError } = useCall('flows:chains', ask);
  const error = listError ?? chainsError;

  const records = list?.peers.reduce((n, p) => n + p.records, 0) ?? 0;
  return (
    <section className="flows-panel" aria-label="Flows">
      <h2>Flows{target ? `: ${target.startsWith('ip/') ? target.slice(3) : target}` : ''}</h2>
      {error ? <p role="alert">{error}</p> : null}
      {!target ? <p className="hint">Select a network interface, an instance or an address in the graph (or search for one) to see its traffic.</p> : null}
      {target && !list && !error ? <p className="muted">Loading flows…</p> : null}
      {list ? (
        <p className="muted" role="status">
          {list.interfaces.length > 1 || target?.startsWith('i-') ? `Interfaces: ${list.interfaces.join(', ') || 'none known'} · ` : ''}
          {list.peers.length.toLocaleString('en')} peers · {records.toLocaleString('en')} flow records
          {from || to ? ' · within the timeline’s time window' : ''}
          {list.truncated ? ` · conversations cut at ${list.conversations.length.toLocaleString('en')}` : ''}
        </p>
      ) : null}
      {chains && chains.length ? <Chains chains={chains} /> : null}
      {chains && !chains.length && list && list.peers.length ? <p className="muted">No accepted remote-access flows from outside.</p> : null}
      {list && list.peers.length ? <FlowPeers list={list} byInterface={Boolean(target?.startsWith('ip/'))} /> : null}
      {list && !list.peers.length ? <p>No flow records for {target}.</p> : null}
    </section>
  );
}

function ruleText(r: SecurityGroupRule): string {
  const ports = r.fromPort === null || r.fromPort === -1 ? 'all ports' : r.fromPort === r.toPort ? `port ${r.fromPort}` : `ports ${r.fromPort}-${r.toPort}`;
  const peer = r.cidr ?? r.ipv6Cidr ?? r.prefixListId ?? r.peerGroupId ?? '?';
  return `${r.protocol === '-1' ? 'all' : r.protocol} ${ports} from ${peer}`;
}

function Chains({ chains }: { chains: RemoteAccessChain[] }) {
  return (
    <>
      <h3 id="flows-chains-title">Remote access from outside</h3>
      <ol className="chains" aria-labelledby="flows-chains-title">
        {chains.map((c) => (
          <ChainItem key={c.flow.id} chain={c} />
        ))}
      </ol>
    </>
  );
}

function ChainItem({ chain }: { chain: RemoteAccessChain }) {
  const utc = useStore((s) => s.utc);
  const [error, setError] = useState<string | null>(null);
  const { flow, rule, ruleEvent, actor } = chain;
  return (
    <li className="chain-item">
      <p className="chain-flow">
        <button type="button" className="link" aria-label={`Show events from ${flow.srcaddr}`} onClick={() => flow.srcaddr && filterTimelineByIp(flow.srcaddr)}>
          {flow.srcaddr}
        </button>{' '}
        → <span className="mono">{flow.dstaddr}:{flow.dstport}</span> <span className="badge accept">accepted</span>{' '}
        <span className="muted">first {formatTime(flow.start, utc)}</span>
      </p>
      <dl className="facts chain-steps">
        <dt>Allowed by</dt>
        <dd>
          {rule ? (
            <>
              <button type="button" className="link" aria-label={`History of ${rule.groupId} (rule ${rule.rule.ruleId ?? ruleText(rule.rule)})`} onClick={() => showHistory(rule.groupId)}>
                {rule.rule.ruleId ?? rule.groupId}
              </button>{' '}
              <span>
                {ruleText(rule.rule)} in {rule.groupId}
              </span>
            </>
          ) : (
            <span className="muted">no known rule</span>
          )}
        </dd>
        <dt>Added by</dt>
        <dd>
          {ruleEvent ? (
            <>
              <button
                type="button"
                className="link"
                aria-label={`Select event ${ruleEvent.eventName} ${ruleEvent.eventId}`}
                onClick={async () => setError(await showEvent(ruleEvent.eventId))}
              >
                {ruleEvent.eventName}
              </button>{' '}
              <span className="muted">
                {formatTime(ruleEvent.eventTime, utc)} from {ruleEvent.sourceIPAddress ?? '?'}
              </span>
            </>
          ) : (
            <span className="muted">not in the case</span>
          )}
        </dd>
        <dt>Person</dt>
        <dd>
          {actor ? (
            <>
              <button type="button" className="link" aria-label={`Actor ${actor.origin.label}`} onClick={() => showHistory(actor.origin.id)}>
                {actor.origin.label}
              </button>{' '}
              <span className={`badge ${actor.origin.proven ? 'proven' : 'inferred'}`}>{actor.origin.proven ? 'proven' : 'inferred'}</span>
              {actor.arn && actor.arn !== actor.origin.id ? <div className="muted">as {actor.arn}</div> : null}
            </>
          ) : (
            <span className="muted">unknown</span>
          )}
        </dd>
      </dl>
      {chain.gaps.length ? (
        <ul className="gaps muted" aria-label="Gaps in the chain">
          {chain.gaps.map((g, i) => (
            <li key={i}>{g}</li>
          ))}
        </ul>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
    </li>
  );
}
