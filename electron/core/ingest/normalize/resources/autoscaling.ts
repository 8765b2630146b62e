// Auto Scaling groups, and the instances a group launches, takes in, lets go of or is told to end.
// Auto Scaling's own calls (the service-linked role AWSServiceRoleForAutoScaling launching and
// terminating instances) name no person: who scaled an instance in is whoever changed its group (its
// capacity, policies, schedule, health checks), so a group is a resource its instances lead to
// (analysis/history/auto-scaling.ts). A group is named by account, region and name, as the API names
// it; its ARN carries an id no request gives.
import type { Touch } from '../../../../../shared/resource-ids.ts';
import { autoScalingGroupId } from '../../../../../shared/resource-ids.ts';
import { arr, child, items, obj, str, text } from '../../../json-values.ts';
import { awsId } from '../aws-values.ts';
import { touch } from './context.ts';
import type { Extractor, ResourceContext } from './context.ts';

/** The tag Auto Scaling puts on every instance it launches, naming the group. */
export const GROUP_TAG = 'aws:autoscaling:groupName';

function group(ctx: ResourceContext, name: string | null, how: Touch): void {
  if (name === null || name === '' || ctx.account === null || ctx.region === null) return;
  touch(ctx, autoScalingGroupId(ctx.account, ctx.region, name), 'autoscaling-group', how, { name });
}

function instances(ctx: ResourceContext, ids: unknown, how: Touch): void {
  for (const i of arr(ids)) touch(ctx, awsId(i, 'i-'), 'instance', how);
}

/** A call on a group named by `autoScalingGroupName`, and on the instances it lists (`instanceIds`). */
function onGroup(how: Touch, instancesHow?: Touch): Extractor {
  return (ctx) => {
    group(ctx, str(ctx.rp?.autoScalingGroupName), how);
    if (instancesHow !== undefined) instances(ctx, ctx.rp?.instanceIds, instancesHow);
  };
}

/**
 * TerminateInstanceInAutoScalingGroup and SetInstanceHealth name the instance alone; the first answers
 * with the scaling activity, which names its group.
 */
const onInstance: Extractor = (ctx) => {
  touch(ctx, awsId(ctx.rp?.instanceId, 'i-'), 'instance', 'modified');
  group(ctx, text(child(ctx.re, 'activity'), 'autoScalingGroupName'), 'modified');
};

/** Tags are set on groups by `resourceId` (the group's name) when `resourceType` is auto-scaling-group. */
const tags: Extractor = (ctx) => {
  for (const t of arr(ctx.rp?.tags)) {
    if (text(t, 'resourceType') === 'auto-scaling-group') group(ctx, text(t, 'resourceId'), 'modified');
  }
};

export const AUTOSCALING_EXTRACTORS: Record<string, Extractor> = {
  CreateAutoScalingGroup: (ctx) => {
    group(ctx, str(ctx.rp?.autoScalingGroupName), 'created');
    touch(ctx, awsId(ctx.rp?.instanceId, 'i-'), 'instance', 'used');
  },
  DeleteAutoScalingGroup: onGroup('deleted'),
  AttachInstances: onGroup('modified', 'attached'),
  DetachInstances: onGroup('modified', 'detached'),
  EnterStandby: onGroup('modified', 'modified'),
  ExitStandby: onGroup('modified', 'modified'),
  SetInstanceProtection: onGroup('modified', 'modified'),
  TerminateInstanceInAutoScalingGroup: onInstance,
  SetInstanceHealth: onInstance,
  CreateOrUpdateTags: tags,
  DeleteTags: tags,
};

/**
 * Every other Auto Scaling call that names a group: its capacity (UpdateAutoScalingGroup,
 * SetDesiredCapacity), policies, schedules, lifecycle hooks, processes and refreshes modify it;
 * Describe* read it.
 */
export function autoScalingFallback(ctx: ResourceContext): void {
  const how = ctx.readOnly || ctx.eventName.startsWith('Describe') ? 'read' : 'modified';
  group(ctx, str(ctx.rp?.autoScalingGroupName), how);
  for (const name of arr(ctx.rp?.autoScalingGroupNames)) group(ctx, str(name), 'read');
}

/** An instance Auto Scaling launched names its group in a tag, in the request and in the response. */
export function launchingGroup(ctx: ResourceContext): void {
  const rp = ctx.rp;
  for (const spec of items(rp?.tagSpecificationSet)) {
    for (const t of items(obj(spec)?.tags)) if (text(t, 'key') === GROUP_TAG) group(ctx, text(t, 'value'), 'used');
  }
  for (const it of items(child(ctx.re, 'instancesSet'))) {
    for (const t of items(child(it, 'tagSet'))) if (text(t, 'key') === GROUP_TAG) group(ctx, text(t, 'value'), 'used');
  }
}
