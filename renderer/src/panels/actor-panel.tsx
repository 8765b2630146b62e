// "Who is behind this, and is it compromised": the engine's actor report for the selected key,
// session, user, role or instance. Its origin and chain, the warnings the engine raised, and where
// and how it called from (addresses, agents, regions, errors), each address a way into the timeline.
import type { ActorReport, CountedValue } from '../../../shared/engine-types.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';
import { ChainView } from './chain-view.tsx';
import { CopyButton } from './copy-button.tsx';

// Node types an actor report can be asked for; other nodes (groups, interfaces, buckets) are not actors.
const ACTOR_TYPES = new Set(['user', 'role', 'session', 'access-key', 'instance', 'root', 'federated-user', 'identity-center-user', 'aws-service']);

export function ActorPanel() {
  const nodeId = useStore((s) => s.historyFor);
  const node = useStore((s) => (s.historyFor ? s.graphNodes.get(s.historyFor) : undefined));
  const asked = nodeId !== null && (node === undefined || ACTOR_TYPES.has(node.type));
  // "not found" is the ordinary answer for a resource that never acted: the panel stays away.
  const { value: report } = useCall('actor:report', asked && nodeId ? { query: nodeId } : null);

  if (!report || report.query !== nodeId) return null;
  return (
    <section className="actor-panel" aria-label="Actor">
      <h2>Actor: {report.actor.origin.label}</h2>
      {report.flags.length ? (
        <ul className="warnings" aria-label="Warnings">
          {report.flags.map((f, i) => (
            <li key={i}>⚠ {f.detail}</li>
          ))}
        </ul>
      ) : null}
      <ActorFacts report={report} />
      <ChainView actor={report.actor} showFlags={false} />
      <Counted title="Source IP addresses" values={report.sourceIps} total={report.totals.sourceIps} onPick={(ip) => useStore.getState().setFilter({ ip, node: undefined })} pickLabel="Show events from" copy="address" />
      <Counted title="User agents" values={report.userAgents.map((u) => ({ ...u, value: `${u.value} [${u.class}]` }))} total={report.totals.userAgents} />
      <Counted title="Regions" values={report.regions} total={report.totals.regions} />
      <Counted title="Errors" values={report.errors} total={report.totals.errors} />
      <Counted title="Calls" values={report.eventNames.slice(0, 15).map((e) => ({ ...e, value: e.errors ? `${e.value} (${e.errors} failed)` : e.value }))} total={report.totals.eventNames} />
    </section>
  );
}

function ActorFacts({ report }: { report: ActorReport }) {
  const utc = useStore((s) => s.utc);
  const select = (id: string) => useStore.getState().selectNode(id);
  return (
    <dl className="facts">
      <dt>Events</dt>
      <dd>{report.eventCount.toLocaleString('en')}</dd>
      <dt>First / last seen</dt>
      <dd>
        {formatTime(report.firstSeen, utc) || '-'} / {formatTime(report.lastSeen, utc) || '-'}
      </dd>
      <dt>Access keys</dt>
      <dd>
        {report.accessKeys.length
          ? report.accessKeys.map((k) => (
              <span key={k}>
                <button type="button" className="link" onClick={() => select(k)}>
                  {k}
                </button>{' '}
                <CopyButton value={k} what="access key" />{' '}
              </span>
            ))
          : '-'}
        <NotListed shown={report.accessKeys.length} total={report.totals.accessKeys} what="keys" />
      </dd>
      <dt>Sessions</dt>
      <dd>
        {report.sessions.length
          ? report.sessions.map((s) => (
              <span key={s}>
                <button type="button" className="link" onClick={() => select(s)}>
                  {s.slice(s.lastIndexOf(':') + 1)}
                </button>{' '}
                <CopyButton value={s} what="session ARN" />{' '}
              </span>
            ))
          : '-'}
        <NotListed shown={report.sessions.length} total={report.totals.sessions} what="sessions" />
      </dd>
    </dl>
  );
}

/** What a list of the report leaves out: it names the first REPORT_LIST_ITEMS of an origin's tens of thousands. */
function NotListed({ shown, total, what }: { shown: number; total: number; what: string }) {
  return total > shown ? <span className="muted">… and {(total - shown).toLocaleString('en')} more {what}</span> : null;
}

function Counted({ title, values, total, onPick, pickLabel, copy }: {
  title: string; values: CountedValue[]; total: number; onPick?(value: string): void; pickLabel?: string; copy?: string;
}) {
  const utc = useStore((s) => s.utc);
  if (!values.length) return null;
  return (
    <table className="counted">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Value</th>
          <th scope="col">Calls</th>
          <th scope="col">First seen</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {values.map((v) => (
          <tr key={v.value}>
            <th scope="row">
              {onPick ? (
                <button type="button" className="link" aria-label={`${pickLabel} ${v.value}`} onClick={() => onPick(v.value)}>
                  {v.value}
                </button>
              ) : (
                v.value
              )}
              {copy ? <> <CopyButton value={v.value} what={copy} /></> : null}
            </th>
            <td>{v.count.toLocaleString('en')}</td>
            <td>{formatTime(v.firstSeen, utc)}</td>
            <td>{formatTime(v.lastSeen, utc)}</td>
          </tr>
        ))}
      </tbody>
      {total > values.length ? (
        <tfoot>
          <tr>
            <td colSpan={4}>
              <NotListed shown={values.length} total={total} what="not listed (the most called are shown)" />
            </td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
