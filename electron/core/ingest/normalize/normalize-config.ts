// One configuration document (named after the AWS CLI command that printed it) → resources, one
// version per resource, edges and principals, all valid from the moment it was observed.
import type { ConfigKind, ConfigSnapshot } from '../types.ts';
import { credentialReport } from './config/credential-report.ts';
import { describeInstances } from './config/ec2-instances.ts';
import {
  describeFlowLogs, describeNetworkAcls, describeNetworkInterfaces, describeSecurityGroupRules, describeSecurityGroups, describeSubnets, describeVpcs,
} from './config/ec2-network.ts';
import { accountAuthorizationDetails } from './config/iam-authorization-details.ts';
import { listAccessKeys } from './config/iam-access-keys.ts';
import { createSnapshotBuilder } from './config/snapshot-builder.ts';
import { awsConfigItems } from './config/aws-config-items.ts';
import type { SnapshotBuilder } from './config/snapshot-builder.ts';

const BY_KIND: Record<Exclude<ConfigKind, 'get-resource-config-history'>, (b: SnapshotBuilder, document: unknown) => void> = {
  'get-account-authorization-details': accountAuthorizationDetails,
  'describe-instances': describeInstances,
  'describe-security-groups': describeSecurityGroups,
  'describe-security-group-rules': describeSecurityGroupRules,
  'describe-network-interfaces': describeNetworkInterfaces,
  'describe-vpcs': describeVpcs,
  'describe-subnets': describeSubnets,
  'describe-network-acls': describeNetworkAcls,
  'describe-flow-logs': describeFlowLogs,
  'get-credential-report': credentialReport,
  'list-access-keys': listAccessKeys,
};

/** Never throws on partial documents (--query projections, trimmed fixtures): what is missing is skipped. */
export function normalizeConfig(kind: ConfigKind, document: unknown, observedAt: number): ConfigSnapshot {
  // AWS Config items carry their own capture times: one version per item, not one moment for all.
  if (kind === 'get-resource-config-history') return awsConfigItems(document, observedAt);
  const b = createSnapshotBuilder(observedAt);
  BY_KIND[kind](b, document);
  return b.build();
}
