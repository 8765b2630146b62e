// How a resource is named everywhere in Trailscope (event_resources, resources, edges, the graph, the API).
// One scheme, so that a security group touched by an event and the same group in a describe snapshot
// meet on the same id.
//
//   EC2 / VPC: the AWS id as is           i-…, sg-…, sgr-…, eni-…, vpc-…, subnet-…, acl-…, ami-…, snap-…, vol-…, fl-…
//   key pair:  key-… id when known, else  key-pair/<account>/<region>/<name>
//   Auto Scaling group:                   autoscaling-group/<account>/<region>/<name>
//   IAM user/role/group: ARN without path arn:aws:iam::<account>:user/<name>  (role/…, group/…)
//   instance profile: ARN without path    arn:aws:iam::<account>:instance-profile/<name>
//   managed policy: its ARN as given      arn:aws:iam::aws:policy/…, arn:aws:iam::<account>:policy/<path><name>
//   inline policy: <principal id>#policy/<name>
//   access key: the key id                AKIA…, ASIA…
//   login profile: <user id>#login-profile
//   MFA device: its serial (ARN)          arn:aws:iam::<account>:mfa/<name>
//   S3 bucket / object: ARN               arn:aws:s3:::<bucket>, arn:aws:s3:::<bucket>/<key>
//   trail: ARN                            arn:aws:cloudtrail:<region>:<account>:trail/<name>
//   STS session: assumed-role ARN         arn:aws:sts::<account>:assumed-role/<role>/<session>
//   external IP address: ip/<address>

export const RESOURCE_TYPES = [
  'instance',
  'security-group',
  'security-group-rule',
  'network-interface',
  'vpc',
  'subnet',
  'network-acl',
  'image',
  'snapshot',
  'volume',
  'key-pair',
  'user',
  'role',
  'group',
  'policy',
  'inline-policy',
  'instance-profile',
  'access-key',
  'login-profile',
  'mfa-device',
  'bucket',
  'object',
  'trail',
  'session',
  'flow-log',
  'autoscaling-group',
  'ip',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

export type Touch = 'created' | 'modified' | 'deleted' | 'read' | 'used' | 'attached' | 'detached';

/** Strips the IAM path so users, roles, groups and instance profiles are named the same in events and snapshots. */
export function iamArnWithoutPath(arn: string): string {
  const m = /^arn:(aws[\w-]*):iam::(\d{12}|aws):(user|role|group|instance-profile)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:${m[3]}/${m[4]}` : arn;
}

export function iamArn(account: string, kind: 'user' | 'role' | 'group' | 'instance-profile', name: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:${kind}/${name}`;
}

/** An Auto Scaling group, by the name its API calls give (its ARN holds an id no request names). */
export function autoScalingGroupId(account: string, region: string, name: string): string {
  return `autoscaling-group/${account}/${region}/${name}`;
}

export function ipNodeId(address: string): string {
  return `ip/${address}`;
}

/** The role an assumed-role session ARN belongs to (arn:…:sts::<account>:assumed-role/<role>/<session> → the role's ARN). */
export function roleOfSession(arn: string | null): string | null {
  const m = arn ? /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn) : null;
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : null;
}

/**
 * Whom an identity's calls are counted under where sessions are folded (the graph overview): an
 * assumed-role session under its role, any other identity under itself.
 */
export function ownerOfIdentity(arn: string): string {
  return roleOfSession(arn) ?? arn;
}

/** The session name of an assumed-role session ARN. */
export function sessionNameOf(arn: string | null): string | null {
  const m = arn ? /:assumed-role\/[^/]+\/(.+)$/.exec(arn) : null;
  return m ? m[1] : null;
}
