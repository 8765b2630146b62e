// A node's type read from its id alone, by the naming scheme of shared/resource-ids.ts: for nodes the
// resources and principals tables do not list (an interface seen only in flow logs, a session key
// never stored as a resource). An id the scheme does not recognise is 'unknown', never guessed.
import type { GraphNodeType } from '../../../../shared/engine-types.ts';

const EC2_PREFIXES: [string, GraphNodeType][] = [
  ['sgr-', 'security-group-rule'],
  ['sg-', 'security-group'],
  ['eni-', 'network-interface'],
  ['i-', 'instance'],
  ['vpc-', 'vpc'],
  ['subnet-', 'subnet'],
  ['acl-', 'network-acl'],
  ['ami-', 'image'],
  ['snap-', 'snapshot'],
  ['vol-', 'volume'],
  ['fl-', 'flow-log'],
  ['key-pair/', 'key-pair'],
  ['autoscaling-group/', 'autoscaling-group'],
  ['key-', 'key-pair'],
];

const IAM_KINDS: Record<string, GraphNodeType> = {
  user: 'user', role: 'role', group: 'group', 'instance-profile': 'instance-profile', policy: 'policy', mfa: 'mfa-device',
};

export function typeOfId(id: string): GraphNodeType {
  if (id.startsWith('ip/')) return 'ip';
  if (/^A[KS]IA[A-Z0-9]{8,}$/.test(id)) return 'access-key';
  if (id.includes('#policy/')) return 'inline-policy';
  if (id.endsWith('#login-profile')) return 'login-profile';
  if (/^\d{12}$/.test(id)) return 'aws-account';
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(id)) return 'aws-service';
  for (const [prefix, type] of EC2_PREFIXES) if (id.startsWith(prefix) && id.length > prefix.length) return type;
  const arn = /^arn:[\w-]+:([\w-]+):[^:]*:([^:]*):(.*)$/.exec(id);
  if (!arn) return 'unknown';
  const [, service, account, rest] = arn;
  if (service === 'iam') {
    if (rest === 'root') return 'root';
    return IAM_KINDS[rest.split('/')[0]] ?? 'unknown';
  }
  if (service === 'sts') {
    if (rest.startsWith('assumed-role/')) return 'session';
    if (rest.startsWith('federated-user/')) return 'federated-user';
    return account && rest === 'root' ? 'root' : 'unknown';
  }
  // An Identity Center user as the case stores onBehalfOf: "<identityStoreArn>/user/<userId>".
  if (service === 'identitystore' && /^identitystore\/[^/]+\/user\/[^/]+$/.test(rest)) return 'identity-center-user';
  if (service === 's3') return rest.includes('/') ? 'object' : 'bucket';
  if (service === 'cloudtrail' && rest.startsWith('trail/')) return 'trail';
  return 'unknown';
}
