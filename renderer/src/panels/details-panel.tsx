// Details of the selected event (summary, actor chain, touched resources, raw record) or node.
// The raw record is shown as text in a <pre>: React escapes it, and nothing here sets HTML.
// Both read as of the graph's point in time: an event after it says so, a node's counts stop at it.
import { Fragment, useEffect } from 'react';
import type { EventDetail, EventEvidence } from '../../../shared/api/types.ts';
import { shownValue, type RowTextField } from '../../../shared/api/bounds.ts';
import { FullValue } from './full-value.tsx';
import { useCall } from '../api/use-call.ts';
import { useStore, formatTime, flowTargetOf } from '../store.ts';
import { CopyButton } from './copy-button.tsx';
import { ChainView } from './chain-view.tsx';
import { lookOf } from '../graph/node-styles.ts';
import { AnnotationsBox } from './annotations-box.tsx';

export function DetailsPanel() {
  const selection = useStore((s) => s.selection);
  const utc = useStore((s) => s.utc);
  const at = useStore((s) => s.graphAt);
  const asked = selection.kind === 'event' ? { id: selection.id } : null;
  const { value: detail, error } = useCall('event:get', asked);
  const { value: evidence } = useCall('evidence:event', asked);

  useEffect(() => {
    if (!detail) return;
    // The actor as recorded, the key, the resolved origin and every resource: lit up in the graph.
    const ids = [detail.row.actorArn, detail.row.accessKeyId, ...(detail.actor?.chain.map((l) => l.id) ?? []), ...detail.resources.map((x) => x.id)];
    useStore.getState().set({ highlighted: [...new Set(ids.filter((x): x is string => Boolean(x)))] });
  }, [detail]);
  const afterT = Boolean(detail && at && Date.parse(detail.row.eventTime) > Date.parse(at));

  return (
    <section className="details-panel" aria-label="Details">
      <h2>Details</h2>
      {error ? <p role="alert">{error}</p> : null}
      {selection.kind === 'node' ? <NodeDetails id={selection.id} /> : null}
      {selection.kind === 'none' ? <p className="hint">Select an event in the timeline or a node in the graph.</p> : null}
      {selection.kind === 'event' && detail ? (
        <>
          <dl className="facts">
            <dt>Event</dt>
            <dd>
              <Fact detail={detail} field="eventName" what="event name" />
            </dd>
            <dt>Event ID</dt>
            <dd>
              <Fact detail={detail} field="eventId" what="event id" copy />
              {detail.eventIdDerived ? <span className="muted"> (derived from the record's content: it has no eventID of its own)</span> : null}
            </dd>
            {detail.readAs ? (
              <>
                <dt>Read as</dt>
                <dd>{detail.readAs}</dd>
              </>
            ) : null}
            <dt>Time</dt>
            <dd>
              {formatTime(detail.row.eventTime, utc)}
              {afterT ? <span className="badge after-t"> after the graph&apos;s time ({formatTime(at, utc)})</span> : null}
            </dd>
            <dt>Actor (recorded)</dt>
            <dd>
              <Fact detail={detail} field="actorArn" what="actor ARN" empty="unknown" copy />
            </dd>
            <dt>Access key</dt>
            <dd>
              <Fact detail={detail} field="accessKeyId" what="access key" copy />
            </dd>
            <dt>Source IP</dt>
            <dd>
              <Fact detail={detail} field="sourceIPAddress" what="source address" copy />
            </dd>
            <dt>User agent</dt>
            <dd>
              <Fact detail={detail} field="userAgent" what="user agent" />
            </dd>
            <dt>Error</dt>
            <dd>
              <Fact detail={detail} field="errorCode" what="error code" empty="none" />
            </dd>
            <dt>Source file</dt>
            <dd>
              <SourceFile evidence={evidence} />
            </dd>
            <dt>Region / account</dt>
            <dd>
              {shownValue(detail.row.awsRegion, detail.row.clipped?.awsRegion) ?? '-'} / {shownValue(detail.row.accountId, detail.row.clipped?.accountId) ?? '-'}
            </dd>
          </dl>
          <AnnotationsBox target="event" targetId={detail.row.eventId} />
          {detail.actor ? <ChainView actor={detail.actor} /> : null}
          <h3>Resources</h3>
          {detail.resources.length ? null : <p className="muted">No resources recorded on this event.</p>}
          {detail.resourceCount > detail.resources.length ? (
            <p className="muted">
              The first {detail.resources.length.toLocaleString('en')} of {detail.resourceCount.toLocaleString('en')} resources.
            </p>
          ) : null}
          <ul className="resources">
            {detail.resources.map((r) => (
              <li key={r.id}>
                <button type="button" className="link" onClick={() => useStore.getState().selectNode(r.id)}>
                  {r.id}
                </button>{' '}
                <CopyButton value={r.id} />{' '}
                <span className="muted">
                  {r.type}, {r.touch}
                </span>
              </li>
            ))}
          </ul>
          <h3 id="raw-record-title">Raw record</h3>
          {detail.clippedPaths.length || detail.rawCut ? (
            <ul className="clipped-paths" aria-label="Values cut short in the raw record">
              {detail.rawCut ? (
                <li>
                  <FullValue id={detail.row.id} source={{ path: [] }} bytes={detail.rawBytes} what="record" />
                </li>
              ) : null}
              {detail.clippedPaths.map((c) => (
                <li key={JSON.stringify(c.path)}>
                  <code>{c.path.join('.')}</code> <FullValue id={detail.row.id} source={{ path: c.path }} bytes={c.bytes} what="value" />
                </li>
              ))}
              {detail.clippedPathCount > detail.clippedPaths.length ? (
                <li className="muted">{(detail.clippedPathCount - detail.clippedPaths.length).toLocaleString('en')} more long values: load the whole record to see them.</li>
              ) : null}
            </ul>
          ) : null}
          {detail.raw === '' ? (
            // A damaged or altered case: the event's block of stored records could not be read.
            <p className="muted">No stored record: its block in the case file is missing or cannot be read.</p>
          ) : (
            <pre className="raw" aria-labelledby="raw-record-title" tabIndex={0}>
              {detail.raw}
            </pre>
          )}
        </>
      ) : null}
    </section>
  );
}

const INTEGRITY_TEXT = {
  verified: 'verified by its CloudTrail digest',
  contradicted: 'CONTRADICTED by its CloudTrail digest: edited after delivery',
  unverified: 'unverified (no digest lists it)',
} as const;

/** The file the event was stored from and what the digests say about it. */
function SourceFile({ evidence }: { evidence: EventEvidence | null }) {
  if (!evidence) return <>-</>;
  return (
    <>
      <span className={`integrity ${evidence.integrity}`}>{INTEGRITY_TEXT[evidence.integrity]}</span>
      <br />
      <span className="muted" title={`SHA-256 ${evidence.sha256}`}>
        {evidence.source}
      </span>
    </>
  );
}

/** One field of the event: its value, or its start and size with "Show all" when the answer cut it. */
function Fact({ detail, field, what, empty = '-', copy = false }: { detail: EventDetail; field: RowTextField; what: string; empty?: string; copy?: boolean }) {
  const value = detail.row[field];
  const bytes = detail.row.clipped?.[field];
  if (value === null) return <>{empty}</>;
  // A value cut short is copied whole through "Show all", not from its shown start.
  if (bytes === undefined) return copy ? <>{value} <CopyButton value={value} what={what} /></> : <>{value}</>;
  return (
    <>
      {shownValue(value, bytes)} <FullValue id={detail.row.id} source={{ field }} bytes={bytes} what={what} />
    </>
  );
}

// The engine's extra node facts (graph/ip-nodes.ts and friends) under names a reader knows.
const PROP_NAMES: Record<string, string> = {
  public: 'Public address',
  events: 'Events from this address',
  flowsAccepted: 'Flow records accepted',
  flowsRejected: 'Flow records rejected',
  seenIn: 'Seen in',
  aggregate: 'Group of addresses',
  addresses: 'Addresses',
  sessions: 'Sessions (folded into it)',
  keys: 'Keys (folded into it)',
  members: 'Members',
  memberType: 'Kind',
  cluster: 'A group of the overview',
};

function NodeDetails({ id }: { id: string }) {
  const setFilter = useStore((s) => s.setFilter);
  const node = useStore((s) => s.graphNodes.get(id));
  const at = useStore((s) => s.graphAt);
  const utc = useStore((s) => s.utc);
  const props = Object.entries(node?.props ?? {}).filter(([, v]) => v !== null && v !== '');
  return (
    <div>
      <dl className="facts">
        <dt>Node</dt>
        <dd>
          {node && node.label !== id ? `${node.label} (${id})` : id} <CopyButton value={id.startsWith('ip/') ? id.slice(3) : id} />
        </dd>
        <dt>As of</dt>
        <dd>{at ? formatTime(at, utc) : 'the latest event (the graph\'s time slider is at its end)'}</dd>
        {node ? (
          <>
            <dt>Type</dt>
            <dd>{lookOf(node.type).label === 'Other' ? node.type : lookOf(node.type).label}</dd>
            <dt>Account / region</dt>
            <dd>
              {node.account ?? '-'} / {node.region ?? '-'}
            </dd>
            <dt title="Events this node made or that touched it, up to the graph's point in time">Graph event count</dt>
            <dd>{node.eventCount.toLocaleString('en')}</dd>
            {props.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{PROP_NAMES[k] ?? k}</dt>
                <dd>{String(v)}</dd>
              </Fragment>
            ))}
          </>
        ) : null}
      </dl>
      <div className="buttons">
        <button type="button" onClick={() => setFilter({ node: id })}>
          Show its events in the timeline
        </button>
        {flowTargetOf(id) ? (
          <button type="button" onClick={() => useStore.getState().set({ flowsFor: id, sideTab: 'flows' })}>
            Show its flows
          </button>
        ) : null}
      </div>
      <AnnotationsBox target="node" targetId={id} />
    </div>
  );
}
