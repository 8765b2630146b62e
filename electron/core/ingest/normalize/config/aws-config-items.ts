// AWS Config configuration items (ConfigHistory and ConfigSnapshot files delivered to S3, and
// `aws configservice get-resource-config-history` output): each item is a resource's configuration as
// AWS Config recorded it at its capture time. The configuration is the service's describe output in
// camelCase (the CLI prints it as a JSON string), so it is given PascalCase keys and handed to the
// same normalizers as describe-* and GAAD output: one resource naming scheme, one set of edges. Each
// stored version carries `awsConfig` (capture time, status, state id, the CloudTrail events Config
// ties to the change) so who-changed can set it beside the versions replayed from events.
import type { ResourceType } from '../../../../../shared/resource-ids.ts';
import type { ConfigSnapshot } from '../../types.ts';
import { parseAwsTime } from '../time.ts';
import { arr, obj, str, type Obj } from '../../../json-values.ts';
import { describeInstances } from './ec2-instances.ts';
import { describeNetworkAcls, describeNetworkInterfaces, describeSecurityGroups, describeSubnets, describeVpcs } from './ec2-network.ts';
import { accountAuthorizationDetails } from './iam-authorization-details.ts';
import { createSnapshotBuilder, type SnapshotBuilder } from './snapshot-builder.ts';
import { configDocumentProblem } from '../../parse/config-bounds.ts';

/** A configuration given as text (the CLI's form) is parsed up to this size. */
const MAX_CONFIGURATION_TEXT = 16 * 1024 * 1024;
/** CloudTrail event ids kept per item (Config lists the calls behind a change; a handful in practice). */
const MAX_RELATED_EVENTS = 20;
/** Nesting converted to PascalCase; deeper values are kept as they are (config-bounds caps documents at 64). */
const MAX_DEPTH = 64;

const DELETED = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

/** Config resource types read, with the describe-shaped document each becomes. */
const BY_TYPE: Record<string, (b: SnapshotBuilder, c: Obj) => void> = {
  'AWS::EC2::SecurityGroup': (b, c) => describeSecurityGroups(b, { SecurityGroups: [withCidrObjects(c)] }),
  'AWS::EC2::Instance': (b, c) => describeInstances(b, { Reservations: [{ Instances: [c] }] }),
  'AWS::EC2::NetworkInterface': (b, c) => describeNetworkInterfaces(b, { NetworkInterfaces: [c] }),
  'AWS::EC2::VPC': (b, c) => describeVpcs(b, { Vpcs: [c] }),
  'AWS::EC2::Subnet': (b, c) => describeSubnets(b, { Subnets: [c] }),
  'AWS::EC2::NetworkAcl': (b, c) => describeNetworkAcls(b, { NetworkAcls: [c] }),
  'AWS::IAM::User': (b, c) => accountAuthorizationDetails(b, { UserDetailList: [c] }),
  'AWS::IAM::Role': (b, c) => accountAuthorizationDetails(b, { RoleDetailList: [c] }),
  'AWS::IAM::Group': (b, c) => accountAuthorizationDetails(b, { GroupDetailList: [c] }),
  'AWS::IAM::Policy': (b, c) => accountAuthorizationDetails(b, { Policies: [c] }),
};

/** The resource id a Config item names, per shared/resource-ids.ts, for types Trailscope models. */
function resourceIdOf(type: string, item: Obj): { id: string; type: ResourceType } | null {
  const rid = str(item.resourceId);
  const arn = str(item.ARN) ?? str(item.arn);
  switch (type) {
    case 'AWS::EC2::SecurityGroup': return rid?.startsWith('sg-') ? { id: rid, type: 'security-group' } : null;
    case 'AWS::EC2::Instance': return rid?.startsWith('i-') ? { id: rid, type: 'instance' } : null;
    case 'AWS::EC2::NetworkInterface': return rid?.startsWith('eni-') ? { id: rid, type: 'network-interface' } : null;
    case 'AWS::EC2::VPC': return rid?.startsWith('vpc-') ? { id: rid, type: 'vpc' } : null;
    case 'AWS::EC2::Subnet': return rid?.startsWith('subnet-') ? { id: rid, type: 'subnet' } : null;
    case 'AWS::EC2::NetworkAcl': return rid?.startsWith('acl-') ? { id: rid, type: 'network-acl' } : null;
    case 'AWS::IAM::User': return arn ? { id: withoutPath(arn), type: 'user' } : null;
    case 'AWS::IAM::Role': return arn ? { id: withoutPath(arn), type: 'role' } : null;
    case 'AWS::IAM::Group': return arn ? { id: withoutPath(arn), type: 'group' } : null;
    case 'AWS::IAM::Policy': return arn ? { id: arn, type: 'policy' } : null;
    case 'AWS::S3::Bucket': {
      const name = str(item.resourceName) ?? rid;
      return name ? { id: `arn:aws:s3:::${name}`, type: 'bucket' } : null;
    }
    default: return null;
  }
}

function withoutPath(arn: string): string {
  const m = /^arn:([\w-]+):iam::(\d{12}):(user|role|group)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:${m[3]}/${m[4]}` : arn;
}

/**
 * The configuration object of an item: an object, or the JSON text the CLI prints. Text is a document
 * of its own, unchecked by the reader's bounds: it is held to the same ones (values, nesting) or left out.
 */
function configurationOf(item: Obj): Obj | null {
  const c = item.configuration;
  if (typeof c !== 'string') return obj(c);
  if (c.length > MAX_CONFIGURATION_TEXT) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(c);
  } catch {
    return null;
  }
  return configDocumentProblem(parsed) === null ? obj(parsed) : null;
}

/** camelCase keys → PascalCase (Config's EC2 and IAM configurations are the describe output, recased). */
export function pascalKeys(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return v;
  if (Array.isArray(v)) return v.map((x) => pascalKeys(x, depth + 1));
  const o = obj(v);
  if (o === null) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) {
    const key = k.length > 0 ? k[0].toUpperCase() + k.slice(1) : k;
    // Keys come from the data: never let one reach the prototype.
    if (key === '__proto__' || key === 'Constructor' || key === 'Prototype') continue;
    // Policy documents keep their own (IAM) casing.
    out[key] = /PolicyDocument$|^Document$/.test(key) ? x : pascalKeys(x, depth + 1);
  }
  return out;
}

/** Config gives a group's IPv4 ranges twice: `ipRanges` as bare strings and `ipv4Ranges` as {cidrIp}; describe has objects. */
function withCidrObjects(c: Obj): Obj {
  const fix = (perms: unknown) => arr(perms).map((p) => {
    const o = obj(p);
    if (o === null) return p;
    const ranges = arr(o.Ipv4Ranges).length ? o.Ipv4Ranges : arr(o.IpRanges).map((r) => (typeof r === 'string' ? { CidrIp: r } : r));
    const { Ipv4Ranges: _v4, ...rest } = o;
    return { ...rest, IpRanges: ranges };
  });
  return { ...c, IpPermissions: fix(c.IpPermissions), IpPermissionsEgress: fix(c.IpPermissionsEgress) };
}

export type ConfigItemMeta = { captureTime: string; status: string | null; stateId: string | null; relatedEvents: string[] };

/** Every configuration item of a document → one snapshot whose versions each carry their own capture time. */
export function awsConfigItems(document: unknown, fallbackTime: number): ConfigSnapshot {
  const out: ConfigSnapshot = { resources: [], versions: [], edges: [], principals: [] };
  const seen = { edges: new Set<string>(), principals: new Set<string>() };
  for (const raw of arr(obj(document)?.configurationItems ?? document)) {
    const item = obj(raw);
    if (item === null) continue;
    const type = str(item.resourceType);
    if (type === null) continue;
    const named = resourceIdOf(type, item);
    if (named === null) continue;
    const at = parseAwsTime(item.configurationItemCaptureTime) ?? fallbackTime;
    const status = str(item.configurationItemStatus);
    const meta: ConfigItemMeta = {
      captureTime: new Date(at).toISOString(), status, stateId: str(item.configurationStateId) ?? (typeof item.configurationStateId === 'number' ? String(item.configurationStateId) : null),
      relatedEvents: arr(item.relatedEvents).slice(0, MAX_RELATED_EVENTS).map((e) => str(e)).filter((e): e is string => e !== null && e.length <= 128),
    };
    const b = createSnapshotBuilder(at);
    const accountId = str(item.awsAccountId) ?? str(item.accountId);
    const region = str(item.awsRegion);
    b.resource(named.id, named.type, { accountId, region, name: str(item.resourceName), arn: str(item.ARN) ?? str(item.arn) });
    const configuration = status !== null && DELETED.has(status) ? null : configurationOf(item);
    const shaped = configuration ? (pascalKeys(configuration) as Obj) : null;
    const reader = BY_TYPE[type];
    if (shaped && reader) reader(b, shaped);
    const snap = b.build();
    // The item's own version: what the reader made of it (or the configuration as given), with Config's metadata.
    const own = snap.versions.find((v) => v.resourceId === named.id)?.config ?? shaped ?? {};
    const version = status !== null && DELETED.has(status) ? { deleted: true, awsConfig: meta } : { ...(own as Obj), awsConfig: meta };
    out.versions.push({ resourceId: named.id, observedAt: at, config: version });
    // Versions of what the item names besides itself (an instance's interfaces) come from its own items.
    // Every item's observation of each resource, at its own time: the writer keeps the latest name and the
    // earliest place whatever order the items come in (the CLI's newest first, S3's files oldest first).
    out.resources.push(...snap.resources);
    for (const e of snap.edges) {
      const k = `${e.src}\u0000${e.dst}\u0000${e.kind}`;
      if (!seen.edges.has(k)) { seen.edges.add(k); out.edges.push(e); }
    }
    for (const p of snap.principals) if (!seen.principals.has(p.arn)) { seen.principals.add(p.arn); out.principals.push(p); }
  }
  return out;
}
