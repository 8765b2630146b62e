// Who scaled an instance in or out. When Auto Scaling launches or terminates an instance, the call is
// its service-linked role's (AWSServiceRoleForAutoScaling, invoked by autoscaling.amazonaws.com) and
// names no person: the person is whoever changed the instance's group before it (its capacity, a
// scaling policy or schedule, a health check, an instance marked unhealthy). The group is the one the
// case's events last tied the instance to: the group tag Auto Scaling puts on what it launches, an
// attach or detach, a termination asked of the group (ingest/normalize/resources/autoscaling.ts).
import type { AutoScalingCause, WhoChangedItem } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

/** The group's changes listed with an instance's scaling: the latest, the person's among them. */
export const GROUP_CHANGES_LISTED = 5;

const SERVICE = 'autoscaling.amazonaws.com';
/** The service-linked role's sessions, with or without a custom suffix (AWSServiceRoleForAutoScaling_<suffix>). */
const SERVICE_ROLE_SESSION = /^arn:[\w-]+:sts::\d{12}:assumed-role\/AWSServiceRoleForAutoScaling(?:_[\w+=,.@-]+)?\//;

/** Whether Auto Scaling made the call itself: its role's session, or a call it invoked or sent from its own address. */
export function madeByAutoScaling(arn: string | null, invokedBy: string | null, sourceIp: string | null): boolean {
  return invokedBy === SERVICE || sourceIp === SERVICE || (arn !== null && SERVICE_ROLE_SESSION.test(arn));
}

/**
 * The group the instance was last tied to at or before `time`, by an event that changed the instance
 * (a launch, an attach or detach, a termination or health asked of the group): the instance's reads
 * (every describe) are not read.
 */
const GROUP_OF_INSTANCE = `SELECT g.resource_id AS id, rs.name FROM event_resources i JOIN event_resources g ON g.event = i.event
    LEFT JOIN resources rs ON rs.id = g.resource_id
  WHERE i.resource_id = ? AND i.event_time <= ? AND i.touch IN ('created', 'modified', 'deleted', 'attached', 'detached')
    AND g.resource_type = 'autoscaling-group'
  ORDER BY i.event_time DESC, i.event DESC LIMIT 1`;

/**
 * The cause of a change Auto Scaling made to `instanceId` at `time`, the group's changes listed by
 * `groupChanges` (who-changed's items of the group up to a time, latest first, at most `limit`).
 */
export function autoScalingCause(db: CaseDb, instanceId: string, time: number,
  groupChanges: (groupId: string, until: number, limit: number) => WhoChangedItem[]): AutoScalingCause {
  const group = stmt(db, GROUP_OF_INSTANCE).get(instanceId, time) as { id: string; name: string | null } | undefined;
  if (!group) return { group: null, changes: [], more: false };
  const latest = groupChanges(group.id, time, GROUP_CHANGES_LISTED + 1);
  return { group, changes: latest.slice(0, GROUP_CHANGES_LISTED).reverse(), more: latest.length > GROUP_CHANGES_LISTED };
}
