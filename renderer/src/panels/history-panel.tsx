// "Who changed this": the engine's history of the selected resource, each change with its actor as
// recorded and resolved, IP, user agent, what changed (rules added/removed) and a before/after diff.
// Changes after the graph's point in time are greyed and marked: the list reads as of T.
import type { AutoScalingCause, ConfigRecordedVersion, WhoChangedItem, SecurityGroupRule } from '../../../shared/engine-types.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime } from '../store.ts';
import { ChainView } from './chain-view.tsx';
import { BlindWindowNotice } from './blind-window-notice.tsx';
import { diffConfigs } from './diff.ts';
import { CopyButton } from './copy-button.tsx';
import { showHistory } from './navigate.ts';

export function HistoryPanel() {
  const resourceId = useStore((s) => s.historyFor);
  const { value: result, error } = useCall('history:forResource', resourceId ? { resourceId } : null);
  const at = useStore((s) => s.graphAt);
  const utc = useStore((s) => s.utc);
  const later = at && result ? result.items.filter((i) => Date.parse(i.eventTime) > Date.parse(at)).length : 0;

  return (
    <section className="history-panel" aria-label="History">
      <h2>History{result ? `: ${result.resource.name ?? result.resource.id}` : ''}</h2>
      {result ? (
        <p className="muted">
          {result.resource.id} <CopyButton value={result.resource.id} />
          {at ? ` · as of ${formatTime(at, utc)}${later ? `: ${later} later change${later === 1 ? '' : 's'} greyed out` : ''}` : ''}
        </p>
      ) : null}
      {result?.resource.tags?.length ? <ResourceTags tags={result.resource.tags} production={result.resource.production ?? null} /> : null}
      {error ? <p role="alert">{error}</p> : null}
      {resourceId ? <BlindWindowNotice /> : null}
      {!resourceId ? <p className="hint">Select a resource to see who changed it.</p> : null}
      {result && result.items.length === 0 ? <p>No recorded changes to {result.resource.id}.</p> : null}
      {result?.earlier ? (
        <p className="muted">
          The latest {result.items.length.toLocaleString('en-US')} changes; {result.earlier.toLocaleString('en-US')} earlier ones are not listed (the timeline filtered on this resource shows them all).
        </p>
      ) : null}
      <ol className="history-list" aria-label="Changes">
        {result?.items.map((item) => <HistoryEntry key={item.eventId} item={item} afterT={at !== null && Date.parse(item.eventTime) > Date.parse(at)} />)}
      </ol>
      {result?.recorded?.length ? <RecordedVersions versions={result.recorded} /> : null}
    </section>
  );
}

/** The resource's tags when the evidence ends, production said first: whether it was production is the question before who changed it. */
function ResourceTags({ tags, production }: { tags: [string, string][]; production: string | null }) {
  return (
    <p className="resource-tags" aria-label="Tags">
      {production ? <span className="badge production">production ({production})</span> : null}
      {production ? ' ' : ''}Tags when the evidence ends: {tags.map(([k, v]) => `${k}=${v}`).join(', ')}
    </p>
  );
}

function HistoryEntry({ item, afterT }: { item: WhoChangedItem; afterT: boolean }) {
  const utc = useStore((s) => s.utc);
  const diff = diffConfigs(item.before?.config, item.after?.config);
  return (
    <li className={`history-item${item.attempt ? ' attempt' : ''}${afterT ? ' after-t' : ''}`}>
      <h3>
        {item.eventName}
        {afterT ? <span className="badge after-t"> after the graph&apos;s time</span> : null}
        {item.attempt ? <span className="badge attempt"> attempt failed: {item.errorCode}</span> : null}
      </h3>
      <dl className="facts">
        <dt>When</dt>
        <dd>{formatTime(item.eventTime, utc)}</dd>
        <dt>Change</dt>
        <dd>{item.change.summary}</dd>
        <dt>Actor (recorded)</dt>
        <dd>{item.actor.arn ?? 'unknown'}{item.actor.arn ? <> <CopyButton value={item.actor.arn} what="ARN" /></> : null}</dd>
        <dt>Actor (resolved)</dt>
        <dd>{item.actor.origin.label}</dd>
        <dt>Source IP</dt>
        <dd>{item.sourceIPAddress ?? '-'}{item.sourceIPAddress ? <> <CopyButton value={item.sourceIPAddress} what="address" /></> : null}</dd>
        <dt>User agent</dt>
        <dd>{item.userAgent ?? '-'}</dd>
        {item.recorded ? (
          <>
            <dt>AWS Config</dt>
            <dd className={`config-${item.recorded.agreement}`}>
              <span className="badge">{AGREEMENT[item.recorded.agreement]}</span> {item.recorded.detail}
            </dd>
          </>
        ) : null}
      </dl>
      {item.autoScaling ? <AutoScalingCauseView cause={item.autoScaling} /> : null}
      {item.change.kind === 'security-group-rules' ? <Rules added={item.change.added} removed={item.change.removed} /> : null}
      <details>
        <summary>Actor chain</summary>
        <ChainView actor={item.actor} />
      </details>
      {diff.length ? (
        <table className="diff">
          <caption>Before and after</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((d) => (
              <tr key={d.path} className={d.op}>
                <th scope="row">{d.path}</th>
                <td>{d.before ?? ''}</td>
                <td>{d.after ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button
        type="button"
        onClick={async () => {
          const r = await call('event:get', { eventId: item.eventId });
          if (r.ok) {
            useStore.getState().selectEvent(r.value.row.id);
          }
        }}
      >
        Show event
      </button>
    </li>
  );
}

function ruleText(r: SecurityGroupRule): string {
  const ports = r.fromPort === null ? 'all ports' : r.fromPort === r.toPort ? `port ${r.fromPort}` : `ports ${r.fromPort}-${r.toPort}`;
  const peer = r.cidr ?? r.ipv6Cidr ?? r.prefixListId ?? r.peerGroupId ?? '?';
  return `${r.direction} ${r.protocol === '-1' ? 'all' : r.protocol} ${ports} from ${peer}${r.ruleId ? ` (${r.ruleId})` : ''}`;
}

/** A change Auto Scaling made: its call names no person, so the group behind it and who changed the group before it. */
function AutoScalingCauseView({ cause }: { cause: AutoScalingCause }) {
  const utc = useStore((s) => s.utc);
  const group = cause.group;
  if (!group) return <p className="auto-scaling">Made by Auto Scaling. No event in the case ties this instance to its group.</p>;
  return (
    <section className="auto-scaling" aria-label="Auto Scaling group">
      <p>
        Made by Auto Scaling for the group{' '}
        <button type="button" className="link" onClick={() => showHistory(group.id)}>
          {group.name ?? group.id}
        </button>
        . {cause.changes.length ? 'Its latest changes up to then:' : 'The case holds no change to the group up to then.'}
      </p>
      {cause.changes.length ? (
        <ol aria-label="Changes to the group">
          {cause.changes.map((c) => (
            <li key={c.eventId} className={c.attempt ? 'attempt' : undefined}>
              {formatTime(c.eventTime, utc)} {c.change.summary}
              {c.attempt ? ` (failed: ${c.errorCode})` : ''}, by {c.actor.origin.label}
            </li>
          ))}
        </ol>
      ) : null}
      {cause.more ? <p className="muted">Earlier changes are in the group&apos;s history.</p> : null}
    </section>
  );
}

function Rules({ added, removed }: { added: SecurityGroupRule[]; removed: SecurityGroupRule[] }) {
  return (
    <ul className="rules" aria-label="Rule changes">
      {added.map((r, i) => (
        <li key={`a${i}`} className="added">
          + {ruleText(r)}
        </li>
      ))}
      {removed.map((r, i) => (
        <li key={`r${i}`} className="removed">
          − {ruleText(r)}
        </li>
      ))}
    </ul>
  );
}

const AGREEMENT: Record<string, string> = {
  first: 'baseline', agrees: 'agrees', differs: 'differs', unexplained: 'unexplained', 'not-recorded': 'not recorded',
};

/** The versions AWS Config recorded, each marked where the events agree with it and where they do not. */
function RecordedVersions({ versions }: { versions: ConfigRecordedVersion[] }) {
  const utc = useStore((s) => s.utc);
  return (
    <>
      <h3>Recorded by AWS Config</h3>
      <ol className="history-list" aria-label="AWS Config versions">
        {versions.map((v) => (
          <li key={v.versionId} className={`history-item config-${v.agreement}`}>
            <p>
              <span className="badge">{AGREEMENT[v.agreement]}</span> {formatTime(v.capturedAt, utc)} {v.status ?? ''}
            </p>
            <p>{v.detail}</p>
            {v.relatedEvents.length ? <p className="muted">Config ties it to {v.relatedEvents.join(', ')}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
