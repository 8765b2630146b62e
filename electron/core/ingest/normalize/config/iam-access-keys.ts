// list-access-keys: each key (id, status, creation, and its last use when the pull merged
// GetAccessKeyLastUsed in) as an 'access-key' resource with one version, and the user → key edge.
// `aws iam list-access-keys` prints no account, and a user's id is its ARN (shared/resource-ids.ts):
// the edge is drawn when an entry carries `UserArn` (Trailscope's pull adds it from
// GetAccountAuthorizationDetails); a bare CLI document still gives the keys, their owner's name in
// the version, and no guessed edge.
import { iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { child, obj, text } from '../../../json-values.ts';
import type { SnapshotBuilder } from './snapshot-builder.ts';
import { listOf } from './snapshot-builder.ts';

function accountOfUserArn(arn: string | null): string | null {
  const m = arn === null ? null : /^arn:aws[\w-]*:iam::(\d{12}):user\//.exec(arn);
  return m ? m[1] : null;
}

export function listAccessKeys(b: SnapshotBuilder, document: unknown): void {
  for (const entry of listOf(document, 'AccessKeyMetadata')) {
    const o = obj(entry);
    const keyId = text(o, 'AccessKeyId');
    if (o === null || keyId === null) continue;
    const userName = text(o, 'UserName');
    const userArn = text(o, 'UserArn');
    const accountId = accountOfUserArn(userArn);
    const key = b.resource(keyId, 'access-key', { accountId });
    const used = child(o, 'AccessKeyLastUsed');
    b.version(key, {
      AccessKeyId: keyId,
      UserName: userName,
      Status: text(o, 'Status'),
      CreateDate: text(o, 'CreateDate'),
      // Kept as AWS says it: a key never used has no LastUsedDate and "N/A" service and region.
      ...(used === null ? {} : { AccessKeyLastUsed: { LastUsedDate: text(used, 'LastUsedDate'), ServiceName: text(used, 'ServiceName'), Region: text(used, 'Region') } }),
    });
    if (userArn === null || accountId === null) continue;
    const user = b.resource(iamArnWithoutPath(userArn), 'user', { arn: userArn, accountId, name: userName });
    b.principal(userArn, 'IAMUser', accountId, userName);
    b.edge(user, key, 'user-access-key');
  }
}
