// describe-instances: instances and their interfaces, with edges to security groups, instance
// profile, subnet and VPC.
import { iamArnWithoutPath, ipNodeId } from '../../../../../shared/resource-ids.ts';
import { arr, child, obj, str, text } from '../../../json-values.ts';
import { awsId } from '../aws-values.ts';
import { nameTag } from '../aws-tags.ts';
import type { Obj } from '../../../json-values.ts';
import { listOf, regionOfZone } from './snapshot-builder.ts';
import type { SnapshotBuilder } from './snapshot-builder.ts';

function securityGroups(b: SnapshotBuilder, src: string, groups: unknown, kind: string, accountId: string | null): void {
  for (const g of arr(groups)) {
    const id = b.resource(awsId(text(g, 'GroupId'), 'sg-'), 'security-group', { name: text(g, 'GroupName'), accountId });
    b.edge(src, id, kind);
  }
}

/** An interface as describe-network-interfaces prints it, or as embedded in an instance. */
export function networkInterface(b: SnapshotBuilder, ni: Obj, accountId: string | null, region: string | null, instanceId: string | null, ownVersion: boolean): void {
  const id = b.resource(awsId(ni.NetworkInterfaceId, 'eni-'), 'network-interface', {
    accountId: accountId ?? str(ni.OwnerId), region: region ?? regionOfZone(str(ni.AvailabilityZone)), name: str(ni.Description),
  });
  if (id === null) return;
  if (ownVersion) b.version(id, ni);
  const attached = instanceId ?? awsId(text(ni.Attachment, 'InstanceId'), 'i-');
  b.edge(id, b.resource(attached, 'instance', { accountId, region }), 'eni-instance');
  b.edge(id, b.resource(awsId(ni.SubnetId, 'subnet-'), 'subnet', { accountId, region }), 'eni-subnet');
  b.edge(id, b.resource(awsId(ni.VpcId, 'vpc-'), 'vpc', { accountId, region }), 'eni-vpc');
  securityGroups(b, id, ni.Groups, 'eni-security-group', accountId);
  const publicIp = text(child(ni, 'Association'), 'PublicIp');
  if (publicIp !== null) b.edge(id, b.resource(ipNodeId(publicIp), 'ip', { name: publicIp }), 'eni-public-ip');
}

function instance(b: SnapshotBuilder, it: Obj, ownerId: string | null): void {
  const region = regionOfZone(text(it.Placement, 'AvailabilityZone'));
  const id = b.resource(awsId(it.InstanceId, 'i-'), 'instance', { accountId: ownerId, region, name: nameTag(it.Tags) });
  if (id === null) return;
  b.version(id, it);
  securityGroups(b, id, it.SecurityGroups, 'instance-security-group', ownerId);
  const profileArn = text(it.IamInstanceProfile, 'Arn');
  if (profileArn !== null) {
    const p = b.resource(iamArnWithoutPath(profileArn), 'instance-profile', { arn: profileArn, accountId: ownerId });
    b.edge(id, p, 'instance-profile');
  }
  b.edge(id, b.resource(awsId(it.SubnetId, 'subnet-'), 'subnet', { accountId: ownerId, region }), 'instance-subnet');
  b.edge(id, b.resource(awsId(it.VpcId, 'vpc-'), 'vpc', { accountId: ownerId, region }), 'instance-vpc');
  for (const ni of arr(it.NetworkInterfaces)) {
    const o = obj(ni);
    if (o !== null) networkInterface(b, o, ownerId ?? str(o.OwnerId), region, id, false);
  }
}

export function describeInstances(b: SnapshotBuilder, document: unknown): void {
  for (const entry of listOf(document, 'Reservations')) {
    const o = obj(entry);
    if (o === null) continue;
    if (Array.isArray(o.Instances)) {
      const owner = str(o.OwnerId);
      for (const it of o.Instances) {
        const io = obj(it);
        if (io !== null) instance(b, io, owner);
      }
    } else if (o.InstanceId !== undefined) {
      instance(b, o, null); // a --query projection of instances
    }
  }
}
