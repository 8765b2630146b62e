// Checks on data leaving the account (snapshots, images and database snapshots shared, buckets made
// public or replicated elsewhere) and on secrets read. Each names the account or the things read.
import { items, member, path, str, strings } from '../../../json-values.ts';
import { textAt } from '../rules/record-fields.ts';
import { allowedPrincipals, foreignAccounts, policyStatements } from './policy-documents.ts';
import { ownAccount, rp } from './checks-iam.ts';
import type { CheckResult, Rec } from '../rules/rule-types.ts';

function sharedWith(accounts: string[], resource: string | null, what: string, r: Rec): CheckResult {
  if (!accounts.length) return null;
  const own = ownAccount(r);
  const others = accounts.filter((a) => a !== own);
  if (!others.length) return null;
  const pub = others.some((a) => a.toLowerCase() === 'all');
  const named = others.filter((a) => a.toLowerCase() !== 'all');
  return {
    value: resource, severity: pub ? 'critical' : 'high',
    summary: `${what} ${resource ?? '?'} shared with ${pub ? 'everyone (public)' : ''}${pub && named.length ? ' and ' : ''}${named.length ? `account ${named.join(', ')}` : ''}`,
    detail: `${what} ${resource ?? ''} can now be copied ${pub ? 'by any AWS account' : `by account ${named.join(', ')}`}: a copy made there is out of reach of this account's logs and controls.`,
  };
}

/** ModifySnapshotAttribute (createVolumePermission add) and ModifyImageAttribute (launchPermission add). */
export function ec2Shared(r: Rec): CheckResult {
  const snapshot = str(rp(r, 'snapshotId'));
  const perm = snapshot ? rp(r, 'createVolumePermission', 'add') : rp(r, 'launchPermission', 'add');
  const added = items(perm).flatMap((x) => [str(member(x, 'userId')), str(member(x, 'group'))]).filter((x): x is string => !!x);
  return sharedWith(added, snapshot ?? str(rp(r, 'imageId')), snapshot ? 'EBS snapshot' : 'AMI', r);
}

/** ModifyDBSnapshotAttribute / ModifyDBClusterSnapshotAttribute: accounts added to "restore". */
export function rdsShared(r: Rec): CheckResult {
  if ((str(rp(r, 'attributeName')) ?? '').toLowerCase() !== 'restore') return null;
  const added = strings(rp(r, 'valuesToAdd'));
  const id = str(rp(r, 'dBSnapshotIdentifier')) ?? str(rp(r, 'dBClusterSnapshotIdentifier'));
  return sharedWith(added, id, 'RDS snapshot', r);
}

const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/** PutBucketPolicy letting anyone in, PutBucketAcl granting AllUsers/AuthenticatedUsers, public access block removed. */
export function bucketPublic(r: Rec): CheckResult {
  const bucket = str(rp(r, 'bucketName'));
  const name = str(member(r, 'eventName'));
  if (name === 'PutBucketPolicy') {
    const statements = policyStatements(rp(r, 'bucketPolicy') ?? rp(r, 'policy'));
    const open = statements.filter((st) => allowedPrincipals(st).includes('*'));
    if (open.length) {
      const conditional = open.every((st) => member(st, 'Condition') !== undefined);
      return { value: bucket, severity: conditional ? 'medium' : 'high', summary: `bucket ${bucket ?? '?'} policy allows anyone${conditional ? ' (under conditions)' : ''}` };
    }
    const foreign = foreignAccounts(statements, ownAccount(r)).filter((a) => a !== '*');
    if (!foreign.length) return null;
    return { value: bucket, severity: 'medium', summary: `bucket ${bucket ?? '?'} policy lets account ${foreign.join(', ')} in` };
  }
  if (name === 'PutBucketAcl') {
    const text = JSON.stringify(rp(r, 'AccessControlPolicy') ?? member(r, 'requestParameters') ?? null);
    const m = PUBLIC_GRANTEES.exec(text) ?? (/x-amz-acl"?\s*:\s*\[?"?(public-read(-write)?|authenticated-read)/.exec(text));
    if (!m) return null;
    return { value: bucket, severity: 'high', summary: `bucket ${bucket ?? '?'} ACL grants ${m[1]}` };
  }
  // DeleteBucketPublicAccessBlock / PutBucketPublicAccessBlock with the blocks off / the account-level ones.
  const block = rp(r, 'PublicAccessBlockConfiguration');
  if (name?.startsWith('Put')) {
    const off = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].filter((k) => member(block, k) === false || str(member(block, k)) === 'false');
    if (!off.length) return null;
    return { value: bucket, severity: 'medium', summary: `public access block of ${bucket ?? 'the account'} turned off (${off.join(', ')})` };
  }
  return { value: bucket, severity: 'medium', summary: `public access block of ${bucket ?? 'the account'} removed` };
}

/** PutBucketReplication: where the objects will go, and whether that is another account. */
export function replicationDestination(r: Rec): CheckResult {
  const bucket = str(rp(r, 'bucketName'));
  const rules = items(rp(r, 'ReplicationConfiguration', 'Rule'));
  const dests = rules.map((x) => ({ bucket: str(path(x, 'Destination', 'Bucket')), account: str(path(x, 'Destination', 'Account')) }));
  if (!dests.length) return null;
  const own = ownAccount(r);
  const foreign = [...new Set(dests.map((d) => d.account).filter((a): a is string => !!a && a !== own))];
  const targets = [...new Set(dests.map((d) => d.bucket).filter((b): b is string => !!b))];
  const unstated = dests.some((d) => !d.account);
  return {
    value: bucket, severity: foreign.length ? 'high' : unstated ? 'medium' : 'low',
    summary: `${bucket ?? 'a bucket'} replicated to ${targets.join(', ') || '?'}${foreign.length ? ` in account ${foreign.join(', ')}` : unstated ? ' (destination account not stated in the call)' : ' in this account'}`,
  };
}

const MAX_LISTED = 5;

function listed(values: string[]): string {
  const v = [...new Set(values)];
  return v.length <= MAX_LISTED ? v.join(', ') : `${v.slice(0, MAX_LISTED).join(', ')} and ${v.length - MAX_LISTED} more`;
}

/** GetSecretValue / BatchGetSecretValue: which secrets. */
export function secretsRead(r: Rec): CheckResult {
  const ids = [...strings(rp(r, 'secretIdList')), ...(str(rp(r, 'secretId')) ? [str(rp(r, 'secretId'))!] : [])];
  const filters = textAt(r, 'requestParameters.filters');
  return { value: ids.length === 1 ? ids[0] : null, summary: ids.length ? listed(ids) : filters ? `secrets matching ${filters}` : 'secrets' };
}

/** GetParameter(s)/GetParametersByPath: which parameters, and whether decrypted (SecureString). */
export function parametersRead(r: Rec): CheckResult {
  const names = [...strings(rp(r, 'names')), ...[str(rp(r, 'name')), str(rp(r, 'path'))].filter((x): x is string => !!x)];
  const decrypted = rp(r, 'withDecryption') === true || str(rp(r, 'withDecryption')) === 'true';
  return { value: names.length === 1 ? names[0] : null, severity: decrypted ? undefined : 'low', summary: `${listed(names) || 'parameters'}${decrypted ? ' (decrypted)' : ''}` };
}
