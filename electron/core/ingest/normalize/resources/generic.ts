// Resources named by events no specific extractor knows: the `resources[]` array CloudTrail adds to
// some events, and well-known id parameters (instanceId, groupId...) at the top of requestParameters.
import type { ResourceType } from '../../../../../shared/resource-ids.ts';
import { iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { arr, items, obj, str, text } from '../../../json-values.ts';
import { awsId } from '../aws-values.ts';
import { touch } from './context.ts';
import type { ResourceContext } from './context.ts';

const ID_KEYS: [string, string, ResourceType][] = [
  ['instanceId', 'i-', 'instance'],
  ['groupId', 'sg-', 'security-group'],
  ['networkInterfaceId', 'eni-', 'network-interface'],
  ['vpcId', 'vpc-', 'vpc'],
  ['subnetId', 'subnet-', 'subnet'],
  ['networkAclId', 'acl-', 'network-acl'],
  ['imageId', 'ami-', 'image'],
  ['snapshotId', 'snap-', 'snapshot'],
  ['volumeId', 'vol-', 'volume'],
  ['target', 'i-', 'instance'], // SSM StartSession
];

/** Reads only the top level of requestParameters (and a few id lists), so huge describe requests stay cheap. */
export function requestIds(ctx: ResourceContext): void {
  const rp = ctx.rp;
  if (rp === null) return;
  const how = ctx.readOnly ? 'read' : 'used';
  for (const [key, prefix, type] of ID_KEYS) {
    const v = rp[key];
    if (v !== undefined) touch(ctx, awsId(v, prefix), type, how);
  }
  if (rp.instancesSet !== undefined) {
    for (const it of items(rp.instancesSet)) touch(ctx, awsId(typeof it === 'string' ? it : text(it, 'instanceId'), 'i-'), 'instance', how);
  }
  for (const i of arr(rp.instanceIds)) touch(ctx, awsId(i, 'i-'), 'instance', how); // SSM SendCommand
  for (const f of arr(rp.filters)) {
    // SSM DescribeInstanceInformation: [{key: "InstanceIds", values: [...]}]
    if (text(f, 'key') === 'InstanceIds') for (const i of arr(obj(f)?.values)) touch(ctx, awsId(i, 'i-'), 'instance', how);
  }
  for (const t of arr(rp.targets)) {
    if (text(t, 'key') === 'InstanceIds') for (const i of arr(obj(t)?.values)) touch(ctx, awsId(i, 'i-'), 'instance', how);
  }
}

const CFN_TYPES: Record<string, ResourceType> = {
  'AWS::IAM::Role': 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Group': 'group',
  'AWS::IAM::Policy': 'policy',
  'AWS::IAM::InstanceProfile': 'instance-profile',
  'AWS::S3::Bucket': 'bucket',
  'AWS::S3::Object': 'object',
  'AWS::CloudTrail::Trail': 'trail',
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::SecurityGroup': 'security-group',
  'AWS::EC2::NetworkInterface': 'network-interface',
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::NetworkAcl': 'network-acl',
  'AWS::EC2::Image': 'image',
  'AWS::EC2::Snapshot': 'snapshot',
  'AWS::EC2::Volume': 'volume',
  'AWS::EC2::KeyPair': 'key-pair',
  'AWS::EC2::FlowLog': 'flow-log',
};

/** The id of a resource named by ARN, per shared/resource-ids.ts. */
function idFromArn(type: ResourceType, arn: string): string {
  switch (type) {
    case 'role':
    case 'user':
    case 'group':
    case 'instance-profile':
      return iamArnWithoutPath(arn);
    case 'bucket':
    case 'object':
    case 'policy':
    case 'trail':
      return arn;
    default: {
      // arn:aws:ec2:<region>:<account>:instance/i-... → i-...
      const slash = arn.lastIndexOf('/');
      return slash >= 0 ? arn.slice(slash + 1) : arn;
    }
  }
}

/** CloudTrail's own `resources: [{ARN, accountId, type}]`, for types Trailscope names. */
export function listedResources(ctx: ResourceContext, resources: unknown): void {
  const how = ctx.readOnly ? 'read' : 'used';
  for (const r of arr(resources)) {
    const o = obj(r);
    if (o === null) continue;
    const type = CFN_TYPES[str(o.type) ?? ''];
    const arn = str(o.ARN) ?? str(o.arn);
    if (type === undefined || arn === null || !arn.startsWith('arn:')) continue;
    touch(ctx, idFromArn(type, arn), type, how, { arn });
  }
}
