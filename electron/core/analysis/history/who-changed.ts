// `who-changed`: every mutating call on a resource in time order, failed attempts included and
// marked, each with its resolved actor, what it changed, and the configuration before and after.
import type { ResolvedActor, ResourceVersionRef, WhoChangedItem, WhoChangedResult } from '../../../../shared/engine-types.ts';
import type { ResourceType } from '../../../../shared/resource-ids.ts';
import { iamArnWithoutPath } from '../../../../shared/resource-ids.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { tagsAt } from './tags-at.ts';
import { productionTag } from '../../ingest/normalize/aws-tags.ts';
import { actorOfEvent } from '../attribution/actor-report.ts';
import { iso, stmt } from '../prepared.ts';
import { changeOf } from './changes.ts';
import { caseKnowsId } from '../known-id.ts';
import { sgVersions, type SgState } from './sg-versions.ts';
import { aclVersions, type AclState } from './acl-versions.ts';
import { entryKey } from './network-acl-entries.ts';
import { MUTATING_TOUCHES, type ReplayedVersion } from './replay-steps.ts';
import { configRecorded } from './config-recorded.ts';
import { autoScalingCause, madeByAutoScaling } from './auto-scaling.ts';
import { timeOrder } from '../event-order.ts';

type Row = {
  id: number; eventId: string; time: number; name: string; source: string; region: string | null; account: string | null;
  ip: string | null; ua: string | null; error: string | null; errorMessage: string | null; touch: string; arn: string | null; invokedBy: string | null;
  type: string;
};

const CHANGES = `SELECT e.id, e.event_id AS eventId, e.event_time AS time, e.event_name AS name, e.event_source AS source, e.aws_region AS region,
  e.account_id AS account, e.source_ip AS ip, e.user_agent AS ua, e.error_code AS error, e.error_message AS errorMessage, r.touch,
  e.identity_arn AS arn, e.invoked_by AS invokedBy, r.resource_type AS type
  FROM event_resources r JOIN events e ON e.id = r.event
  WHERE r.resource_id = ? AND r.touch IN ${MUTATING_TOUCHES}`;
/** Changes listed, the latest: a resource automation rewrites all day (or a crafted case) stays a page; the rest are counted. */
export const MAX_CHANGES_LISTED = 1_000;
const LATEST = `${CHANGES} ORDER BY ${timeOrder('e.event_time', 'e.id', 'DESC')} LIMIT ${MAX_CHANGES_LISTED}`;
const COUNT = `SELECT count(*) FROM event_resources r WHERE r.resource_id = ? AND r.touch IN ${MUTATING_TOUCHES}`;
/** The latest changes up to a time (an Auto Scaling group's, before it scaled an instance). */
const LATEST_UNTIL = `${CHANGES} AND e.event_time <= ? ORDER BY ${timeOrder('e.event_time', 'e.id', 'DESC')} LIMIT ?`;

export function resolveResourceId(db: CaseDb, input: string): string {
  const q = input.trim();
  const exists = stmt(db, 'SELECT 1 FROM event_resources WHERE resource_id = ? LIMIT 1').pluck();
  if (exists.get(q)) return q;
  const stripped = iamArnWithoutPath(q);
  if (exists.get(stripped)) return stripped;
  // A name given instead of an id (a user or bucket name): match the resource's name or ARN.
  const byName = stmt(db, 'SELECT id FROM resources WHERE name = ? OR arn = ? LIMIT 1').pluck().get(q, q) as string | undefined;
  return byName ?? q;
}

export function whoChanged(db: CaseDb, input: string): WhoChangedResult {
  const resourceId = resolveResourceId(db, input);
  const rows = (stmt(db, LATEST).all(resourceId) as Row[]).reverse();
  const earlier = rows.length < MAX_CHANGES_LISTED ? 0 : (stmt(db, COUNT).pluck().get(resourceId) as number) - rows.length;
  const resource = stmt(db, 'SELECT type, name, arn FROM resources WHERE id = ?').get(resourceId) as { type: ResourceType; name: string | null; arn: string | null } | undefined;
  const type = resource?.type ?? (rows[0]?.type as ResourceType | undefined) ?? null;

  const versions = type === 'security-group' ? replayed(sgVersions(db, resourceId), (state) => sgConfig(state, resourceId))
    : type === 'network-acl' ? replayed(aclVersions(db, resourceId), (state) => aclConfig(state, resourceId)) : null;
  const actors = new Map<number, ResolvedActor>();
  const items = changeItems(db, resourceId, rows, versions, actors);
  if (type === 'instance') {
    const groupChanges = (groupId: string, until: number, limit: number) =>
      changeItems(db, groupId, stmt(db, LATEST_UNTIL).all(groupId, until, limit) as Row[], null, actors);
    rows.forEach((r, i) => {
      if (madeByAutoScaling(r.arn, r.invokedBy, r.ip)) items[i].autoScaling = autoScalingCause(db, resourceId, r.time, groupChanges);
    });
  }
  withGroupSwaps(items);
  const recorded = configRecorded(db, resourceId, items);
  const known = rows.length > 0 || resource !== undefined || caseKnowsId(db, resourceId) || caseKnowsId(db, input);
  // The tags the investigator asks about first ("is this production?"), as the evidence leaves them.
  const tags = tagsAt(db, resourceId, Number.MAX_SAFE_INTEGER);
  const tagged = tags.size ? { tags: [...tags], production: productionTag(tags) } : {};
  return {
    resource: { id: resourceId, type, name: resource?.name ?? null, arn: resource?.arn ?? null, ...tagged }, items, ...(recorded.length ? { recorded } : {}), known,
    ...(earlier > 0 ? { earlier } : {}),
  };
}

/** A replayed version around one call: the configuration before and after it, as the History compares them. */
type Replayed = { versionId: number; time: number; before: Record<string, unknown> | null; after: Record<string, unknown> };

/** The versions a replay made (a security group's rules, a network ACL's entries), by the call that made each. */
function replayed<S>(versions: ReplayedVersion<S>[],
  config: (state: S) => Record<string, unknown>): Map<number, Replayed> {
  return new Map(versions.filter((v) => v.eventRow !== null)
    .map((v) => [v.eventRow!, { versionId: v.versionId, time: v.time, before: v.before ? config(v.before) : null, after: config(v.after) }]));
}

/** Each change as listed: its call, its actor (`actors` caches them by actor row), what it changed, and the replayed versions around it. */
function changeItems(db: CaseDb, resourceId: string, rows: Row[], versions: Map<number, Replayed> | null,
  actors: Map<number, ResolvedActor>): WhoChangedItem[] {
  const items: WhoChangedItem[] = [];
  for (const r of rows) {
    const raw = readRawEvent(db, r.id) ?? { eventName: r.name };
    const change = changeOf(raw, resourceId);
    const v = versions?.get(r.id);
    items.push({
      eventId: r.eventId,
      eventTime: iso(r.time)!,
      eventName: r.name,
      eventSource: r.source,
      awsRegion: r.region,
      accountId: r.account,
      sourceIPAddress: r.ip,
      userAgent: r.ua,
      errorCode: r.error,
      errorMessage: r.errorMessage,
      attempt: r.error !== null,
      touch: r.touch,
      actor: actorOfEvent(db, r.id, actors) ?? unresolved(r.arn),
      change,
      before: v?.before ? versionRef(v, r.eventId, v.before) : null,
      after: v ? versionRef(v, r.eventId, v.after) : null,
    });
  }
  return items;
}

function versionRef(v: Replayed, eventId: string, config: Record<string, unknown>): ResourceVersionRef {
  return { versionId: v.versionId, origin: 'event', observedAt: iso(v.time)!, eventId, config };
}

function sgConfig(state: SgState, groupId: string): Record<string, unknown> {
  return { groupId, complete: state.complete, ingress: state.rules.filter((r) => r.direction === 'ingress'), egress: state.rules.filter((r) => r.direction === 'egress') };
}

/** Each entry is known by its place ("inbound 100"): the History's diff matches entries by it, so a replaced entry shows what changed in it. */
function aclConfig(state: AclState, aclId: string): Record<string, unknown> {
  const entries = (egress: boolean) => state.entries.filter((e) => e.egress === egress).sort((a, b) => (a.ruleNumber ?? 0) - (b.ruleNumber ?? 0))
    .map((e) => ({ id: entryKey(e), action: e.action, protocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort, cidr: e.cidr }));
  return { networkAclId: aclId, complete: state.complete, inbound: entries(false), outbound: entries(true) };
}

/** Fills groupsBefore of a group swap from the launch or swap before it. */
function withGroupSwaps(items: WhoChangedItem[]): void {
  let groups: string[] | null = null;
  for (const it of items) {
    if (it.attempt) continue;
    if (it.change.kind === 'instance-launch' && it.change.groups.length) groups = it.change.groups;
    if (it.change.kind === 'instance-attribute' && it.change.groupsAfter) {
      it.change.groupsBefore = groups;
      groups = it.change.groupsAfter;
    }
  }
}

function unresolved(arn: string | null): ResolvedActor {
  return {
    arn,
    origin: { kind: 'unknown', id: arn ?? 'unknown', label: arn ?? 'unknown', accountId: null, proven: false },
    chain: [],
    flags: [{ kind: 'chain-broken', accessKeyId: null, detail: 'actor not resolved yet (refreshDerived has not run on this event)' }],
  };
}
