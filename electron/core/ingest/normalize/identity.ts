// The identity columns of an event, for every userIdentity type CloudTrail writes. Anything of the
// wrong type degrades to null, and so does a placeholder (placeholders.ts): these columns link events.
import type { IdentityColumns } from '../types.ts';
import { isPlaceholderAccount, isPlaceholderArn, isPlaceholderKey, isPlaceholderPrincipalId, usable } from './placeholders.ts';
import { bool, child, obj, str } from '../../json-values.ts';
import { accountId } from './aws-values.ts';
import type { Obj } from '../../json-values.ts';

export const NO_IDENTITY: IdentityColumns = Object.freeze({
  identityType: null, identityArn: null, identityAccount: null, principalId: null, accessKeyId: null,
  userName: null, sessionIssuerArn: null, sessionName: null, invokedBy: null, sourceIdentity: null,
  onBehalfOf: null, mfaAuthenticated: null,
});

/** The part after the last "/": the session name of arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
function lastPart(arn: string | null, marker: string): string | null {
  if (arn === null || !arn.includes(marker)) return null;
  const i = arn.lastIndexOf('/');
  return i >= 0 && i < arn.length - 1 ? arn.slice(i + 1) : null;
}

/**
 * Identity Center users (and sessions propagated from them) name the person as
 * {userId, identityStoreArn}; stored as "<identityStoreArn>/user/<userId>" so one string keeps both.
 */
function onBehalfOf(v: unknown): string | null {
  const o = obj(v);
  if (o === null) return usable(str(v));
  const user = usable(str(o.userId));
  const store = usable(str(o.identityStoreArn), isPlaceholderArn);
  if (user === null) return null;
  return store !== null ? `${store}/user/${user}` : user;
}

export function identityColumns(userIdentity: unknown, requestParameters: Obj | null): IdentityColumns {
  const ui = obj(userIdentity);
  if (ui === null) {
    const sourceIdentity = usable(str(requestParameters?.sourceIdentity));
    return sourceIdentity === null ? NO_IDENTITY : { ...NO_IDENTITY, sourceIdentity };
  }
  const type = str(ui.type);
  const arn = usable(str(ui.arn), isPlaceholderArn);
  const ctx = child(ui, 'sessionContext');
  const issuer = child(ctx, 'sessionIssuer');
  let sessionName: string | null = null;
  if (type === 'AssumedRole') sessionName = lastPart(arn, 'assumed-role/');
  else if (type === 'FederatedUser') sessionName = lastPart(arn, 'federated-user/');
  return {
    identityType: type,
    identityArn: arn,
    identityAccount: usable(accountId(ui.accountId), isPlaceholderAccount),
    principalId: usable(str(ui.principalId), isPlaceholderPrincipalId),
    accessKeyId: usable(str(ui.accessKeyId), isPlaceholderKey),
    userName: usable(str(ui.userName)),
    sessionIssuerArn: usable(str(issuer?.arn), isPlaceholderArn),
    sessionName: usable(sessionName),
    invokedBy: usable(str(ui.invokedBy)),
    sourceIdentity: usable(str(ctx?.sourceIdentity) ?? str(requestParameters?.sourceIdentity)),
    onBehalfOf: onBehalfOf(ui.onBehalfOf),
    mfaAuthenticated: bool(child(ctx, 'attributes')?.mfaAuthenticated),
  };
}
