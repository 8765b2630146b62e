// Account-wide IAM: the authorization details (every page merged into one document, policy documents
// decoded as the AWS CLI prints them), access keys with their last use, and the credential report.
import {
  GetAccountAuthorizationDetailsCommand,
  ListAccessKeysCommand,
  GetAccessKeyLastUsedCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
} from '@aws-sdk/client-iam';
import type { PullContext } from '../context.ts';
import { sha256 } from '../case-sink.ts';
import { cliDocument } from './config-region.ts';
import { abortableSleep } from '../sleep.ts';
import type { ConfigKind } from '../../ingest/types.ts';

const POLICY_FIELDS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

/** IAM returns policy documents URL-encoded; the CLI (and every reader of its output) sees JSON. */
export function decodePolicies(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodePolicies);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (POLICY_FIELDS.has(k) && typeof v === 'string') {
        try {
          return [k, JSON.parse(decodeURIComponent(v))];
        } catch {
          return [k, v];
        }
      }
      return [k, decodePolicies(v)];
    }),
  );
}

function store(ctx: PullContext, kind: ConfigKind, document: unknown, observedAt: number): void {
  const path = `aws://${ctx.account}/global/iam/${kind}`;
  const sourceId = ctx.sink.startSource({ path, sha256: sha256(path), size: 0, kind: `config:${kind}` });
  ctx.sink.writeConfig(sourceId, kind, document, observedAt);
  ctx.sink.finishSource(sourceId, 'done');
}

export async function pullIamConfig(ctx: PullContext) {
  const observedAt = Date.now();
  const iam = ctx.clients.iam();
  const users: { name: string; arn: string | undefined }[] = [];

  const gaad = ctx.track('config:get-account-authorization-details', 'global');
  const gaadResult = await gaad.run(async () => {
    const merged = { UserDetailList: [] as unknown[], GroupDetailList: [] as unknown[], RoleDetailList: [] as unknown[], Policies: [] as unknown[] };
    let marker: string | undefined;
    do {
      const page = await gaad.call('iam:GetAccountAuthorizationDetails', (signal) =>
        iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: marker, MaxItems: 1000 }), { abortSignal: signal }),
      );
      merged.UserDetailList.push(...(page.UserDetailList ?? []));
      merged.GroupDetailList.push(...(page.GroupDetailList ?? []));
      merged.RoleDetailList.push(...(page.RoleDetailList ?? []));
      merged.Policies.push(...(page.Policies ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    for (const u of merged.UserDetailList as { UserName?: string; Arn?: string }[]) if (u.UserName) users.push({ name: u.UserName, arn: u.Arn });
    store(ctx, 'get-account-authorization-details', decodePolicies(cliDocument(merged)), observedAt);
    gaad.added({ stored: merged.UserDetailList.length + merged.GroupDetailList.length + merged.RoleDetailList.length + merged.Policies.length, duplicates: 0 });
  });

  const keys = ctx.track('config:list-access-keys', 'global');
  const keysResult = await keys.run(async () => {
    if (gaadResult.status !== 'done') throw new Error('needs the user list from GetAccountAuthorizationDetails');
    const all: unknown[] = [];
    for (const user of users) {
      let marker: string | undefined;
      do {
        const listed = await keys.call('iam:ListAccessKeys', (signal) => iam.send(new ListAccessKeysCommand({ UserName: user.name, Marker: marker }), { abortSignal: signal }));
        for (const key of listed.AccessKeyMetadata ?? []) {
          const used = await keys.call('iam:GetAccessKeyLastUsed', (signal) =>
            iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }), { abortSignal: signal }),
          );
          // UserArn is not in ListAccessKeys' answer: it names the user's account, which the edge
          // user → key needs (the user's id is its ARN).
          all.push({ ...key, UserArn: user.arn, AccessKeyLastUsed: used.AccessKeyLastUsed });
        }
        marker = listed.IsTruncated ? listed.Marker : undefined;
      } while (marker);
    }
    store(ctx, 'list-access-keys', cliDocument({ AccessKeyMetadata: all }), observedAt);
    keys.added({ stored: all.length, duplicates: 0 });
  });

  const report = ctx.track('config:get-credential-report', 'global');
  const reportResult = await report.run(async () => {
    // The report is generated asynchronously; poll until it is ready (seconds on a real account).
    for (let i = 0; i < 30; i++) {
      const state = await report.call('iam:GenerateCredentialReport', (signal) => iam.send(new GenerateCredentialReportCommand({}), { abortSignal: signal }));
      if (state.State === 'COMPLETE') break;
      await abortableSleep(1000, ctx.signal);
    }
    const out = await report.call('iam:GetCredentialReport', (signal) => iam.send(new GetCredentialReportCommand({}), { abortSignal: signal }));
    store(ctx, 'get-credential-report', cliDocument({ Content: out.Content, ReportFormat: out.ReportFormat, GeneratedTime: out.GeneratedTime }), observedAt);
    report.added({ stored: 1, duplicates: 0 });
  });
  return [gaadResult, keysResult, reportResult];
}
