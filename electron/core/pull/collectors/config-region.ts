// Per-region EC2 configuration, one collector per describe call so one denied permission costs only
// that document. Pages are merged into the one document the AWS CLI would print for the command.
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcsCommand,
  DescribeSubnetsCommand,
  DescribeNetworkAclsCommand,
  DescribeFlowLogsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { PullContext } from '../context.ts';
import { sha256 } from '../case-sink.ts';
import type { ConfigKind } from '../../ingest/types.ts';

type Page = Record<string, unknown> & { NextToken?: string };
type Describe = { kind: ConfigKind; permission: string; listKey: string; send: (c: EC2Client, token: string | undefined, signal?: AbortSignal) => Promise<Page> };

// MaxResults is set where the API allows it, so a large region comes back in pages rather than timing out.
export const REGION_DESCRIBES: Describe[] = [
  { kind: 'describe-instances', permission: 'ec2:DescribeInstances', listKey: 'Reservations', send: (c, t, s) => c.send(new DescribeInstancesCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-security-groups', permission: 'ec2:DescribeSecurityGroups', listKey: 'SecurityGroups', send: (c, t, s) => c.send(new DescribeSecurityGroupsCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-security-group-rules', permission: 'ec2:DescribeSecurityGroupRules', listKey: 'SecurityGroupRules', send: (c, t, s) => c.send(new DescribeSecurityGroupRulesCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-network-interfaces', permission: 'ec2:DescribeNetworkInterfaces', listKey: 'NetworkInterfaces', send: (c, t, s) => c.send(new DescribeNetworkInterfacesCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-vpcs', permission: 'ec2:DescribeVpcs', listKey: 'Vpcs', send: (c, t, s) => c.send(new DescribeVpcsCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-subnets', permission: 'ec2:DescribeSubnets', listKey: 'Subnets', send: (c, t, s) => c.send(new DescribeSubnetsCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-network-acls', permission: 'ec2:DescribeNetworkAcls', listKey: 'NetworkAcls', send: (c, t, s) => c.send(new DescribeNetworkAclsCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
  { kind: 'describe-flow-logs', permission: 'ec2:DescribeFlowLogs', listKey: 'FlowLogs', send: (c, t, s) => c.send(new DescribeFlowLogsCommand({ NextToken: t, MaxResults: 1000 }), { abortSignal: s }) as unknown as Promise<Page> },
];

/** SDK output → the CLI's JSON: no $metadata, dates as ISO strings, binary as base64. */
export function cliDocument(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => {
      if (k === '$metadata') return undefined;
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return v;
    }),
  );
}

export async function describeAll(ctx: PullContext, region: string, d: Describe, tracker: ReturnType<PullContext['track']>): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await tracker.call(d.permission, (signal) => d.send(ctx.clients.ec2(region), token, signal));
    items.push(...((page[d.listKey] as unknown[]) ?? []));
    token = page.NextToken;
  } while (token);
  return items;
}

export function pullRegionConfig(ctx: PullContext, region: string) {
  const observedAt = Date.now();
  return Promise.all(
    REGION_DESCRIBES.map((d) => {
      const tracker = ctx.track(`config:${d.kind}`, region);
      return tracker.run(async () => {
        const items = await describeAll(ctx, region, d, tracker);
        const document = cliDocument({ [d.listKey]: items });
        const path = `aws://${ctx.account}/${region}/ec2/${d.kind}`;
        const sourceId = ctx.sink.startSource({ path, sha256: sha256(path), size: 0, kind: `config:${d.kind}` });
        ctx.sink.writeConfig(sourceId, d.kind, document, observedAt);
        ctx.sink.finishSource(sourceId, 'done');
        tracker.added({ stored: items.length, duplicates: 0 });
      });
    }),
  );
}
