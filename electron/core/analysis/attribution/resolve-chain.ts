// Walks from the identity recorded on a call back to the original identity behind it. The proof of a
// link is an issued key: the AssumeRole (or GetSessionToken, …) whose responseElements carried the
// access key that the later call used. Without one, weaker evidence (onBehalfOf, an instance-id
// session name, an earlier AssumeRole with the same role and session name) is used and marked inferred.
import type { ActorFlag, ActorOrigin, ChainLink, IdentityKind } from '../../../../shared/engine-types.ts';
import { iamArnWithoutPath, roleOfSession, sessionNameOf } from '../../../../shared/resource-ids.ts';
import type { IssuedCredential } from '../../ingest/types.ts';
import { isPlaceholderKey } from '../../ingest/normalize/placeholders.ts';
import { identityCenterPerson } from './identity-center.ts';
import { DATE_LIMIT_MS, isoInstant } from '../../../../shared/iso-time.ts';

export type RecordedIdentity = {
  accessKeyId: string | null;
  identityType: string | null;
  identityArn: string | null;
  identityAccount: string | null;
  principalId: string | null;
  userName: string | null;
  sessionIssuerArn: string | null;
  sessionName: string | null;
  invokedBy: string | null;
  sourceIdentity: string | null;
  onBehalfOf: string | null;
  /** First time and source IP this credential was seen acting: for inferred session matches. */
  firstSeen: number | null;
  sourceIp: string | null;
};

/** A row of the credentials table (what ingest stores as an IssuedCredential) with its issuing event. */
export type IssuedCredentialRow = Omit<IssuedCredential, 'issuedAt'> & {
  issuedAt: number | null;
  eventId: string | null;
  eventName: string | null;
  eventTime: number | null;
  /** The user agent of the issuing call, when recorded. */
  callerAgent?: string | null;
  /** The issuing call's event row (event_rows.id), when read from the case: what an actor row keeps of it (chain-shapes.ts). */
  eventRow?: number | null;
  /** Set when the caller was read from the other account's copy of the issuing call (shared-event-twin.ts). */
  sharedEventId?: string;
  /** The issuing call's userIdentity.accountId, when read from the case: a cross-account caller (AWSAccount) has no ARN to hold it. */
  callerAccount?: string | null;
};

export type ChainLookups = {
  credential(accessKeyId: string): IssuedCredentialRow | undefined;
  /** The AssumeRole issued for this role and session name that best explains a use at `at` from `ip`. */
  credentialBySession(roleArn: string, sessionName: string, at: number | null, ip: string | null): { row: IssuedCredentialRow; ipMatched: boolean; agentMatched: boolean } | undefined;
  /** The issue that set this sourceIdentity on the chain a use at `at` belongs to. */
  credentialBySourceIdentity(sourceIdentity: string, at: number | null): IssuedCredentialRow | undefined;
  /** The successful ConsoleLogin of this identity that opened the console session acting at `at`. */
  consoleSignIn(identityArn: string, at: number | null): IssuedBy | undefined;
  /** The one issuer the case's AssumeRoleWithSAML / WithWebIdentity calls give for this subject, if only one. */
  subjectIssuer(kind: FederationKind, subject: string): string | undefined;
  /** The names records give for an Identity Center user id, with the first record that ties one to it. */
  storeUserNames(userId: string): StoreUserNames | undefined;
  /** The Identity Center user ids records give this user name. */
  storeUserIdsNamed(userName: string): string[];
};

export type FederationKind = 'AssumeRoleWithSAML' | 'AssumeRoleWithWebIdentity';
/** Names of an Identity Center user id, oldest first, and the record that gave each. */
export type StoreUserNames = { names: string[]; sources: IssuedBy[] };

export type IssuedBy = NonNullable<ChainLink['issuedBy']>;

export type Resolution = {
  chain: ChainLink[];
  origin: ActorOrigin;
  proven: boolean;
  flags: ActorFlag[];
  instanceId: string | null;
};

/** A session named after an EC2 instance: the walk tells an instance's session from a service's by it (resolution-templates.ts too). */
export const INSTANCE_ID = /^i-[0-9a-z]{8,17}$/i;
const MAX_DEPTH = 12;

export function resolveChain(identity: RecordedIdentity, lookups: ChainLookups): Resolution {
  const chain: ChainLink[] = [];
  const flags: ActorFlag[] = [];
  const seenKeys = new Set<string>();
  let current: RecordedIdentity = identity;
  let basis: ChainLink['basis'] = 'identity';
  let proof: ChainLink['proof'] = 'proven';
  let detail = 'as recorded in the event';
  let instanceId: string | null = null;

  /** Steps to the caller of an issue tied to the current identity by inference; true when that caller ends the chain. */
  const inferFrom = (row: IssuedCredentialRow, how: string, linkBasis: ChainLink['basis']): boolean => {
    const next = callerStep(row, current, row.accessKeyId);
    proof = 'inferred';
    basis = linkBasis;
    if (next.terminal) {
      chain.push({ ...next.terminal, proof, basis, detail: how, issuedBy: null });
      if (next.terminal.kind === 'instance') instanceId = next.terminal.id;
      return true;
    }
    current = next.identity!;
    detail = how;
    return false;
  };
  // The console's own keys are issued by no recorded call: the sign-in that opened the session stands in.
  const noteConsoleSignIn = (depth: number, key: string | null) => {
    const first = chain[0];
    if (depth > 0 || first.issuedBy || !current.identityArn || (key !== null && !key.startsWith('ASIA'))) return;
    const signIn = lookups.consoleSignIn(current.identityArn, current.firstSeen);
    if (!signIn) return;
    first.issuedBy = signIn;
    first.detail += `; console session opened by ConsoleLogin at ${signIn.eventTime}`;
  };

  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const type = current.identityType ?? guessType(current.identityArn) ?? serviceOnly(current);
    const account = current.identityAccount ?? accountOf(current.identityArn);
    // A masked key (AKIA****…) is no key: ingest keeps it out of the columns, and a case ingested
    // before that must not prove a link with it either.
    const key = current.accessKeyId !== null && !isPlaceholderKey(current.accessKeyId) ? current.accessKeyId : null;
    const cred = key && !seenKeys.has(key) ? lookups.credential(key) : undefined;
    if (key) seenKeys.add(key);
    const issuedBy = cred?.eventId && cred.eventName && cred.eventTime !== null
      ? { eventId: cred.eventId, eventName: cred.eventName, eventTime: isoTime(cred.eventTime) }
      : null;

    const push = (kind: IdentityKind, id: string, label: string) =>
      chain.push({ kind, id, label, accountId: account, accessKeyId: key, proof, basis, detail, issuedBy });

    if (type === 'Root') {
      push('root', current.identityArn ?? `arn:aws:iam::${account ?? '?'}:root`, `root (${account ?? 'unknown account'})`);
      flags.push({ kind: 'root', detail: 'the account root user acted' });
      // Root of an account the record does not name (redacted or a placeholder) proves nobody.
      return done(current.identityArn !== null || account !== null);
    }
    if (type === 'IAMUser') {
      if (!current.identityArn && !current.userName) {
        // Nothing naming the user survived (redacted, or a placeholder): an unknown user, not a proven one.
        push('iam-user', 'user/?', 'unknown IAM user (no ARN or name in the record)');
        flags.push({ kind: 'chain-broken', accessKeyId: key, detail: 'the record names no IAM user (redacted or placeholder values)' });
        return done(false);
      }
      const arn = current.identityArn ? iamArnWithoutPath(current.identityArn) : `user/${current.userName}`;
      push('iam-user', arn, `user/${current.userName ?? arn.split('/').pop()}`);
      if (!cred) noteConsoleSignIn(depth, key);
      return done();
    }
    if (type === 'AWSService') {
      const svc = current.invokedBy ?? current.principalId ?? 'unknown service';
      push('aws-service', svc, svc);
      return done();
    }
    if (type === 'IdentityCenterUser') {
      const id = current.onBehalfOf ?? current.userName ?? current.principalId ?? 'unknown';
      push('identity-center-user', id, `identity center ${current.userName ?? id}`);
      nameStoreUser(chain[chain.length - 1], current.onBehalfOf, lookups);
      return done();
    }
    if (type === 'SAMLUser' || type === 'WebIdentityUser') {
      const id = current.userName ?? current.principalId ?? current.identityArn ?? 'unknown';
      // The record is the federation call itself; its subject's issuer is in its own response (the credentials row).
      const issuer = current.userName ? lookups.subjectIssuer(type === 'SAMLUser' ? 'AssumeRoleWithSAML' : 'AssumeRoleWithWebIdentity', current.userName) : undefined;
      push(type === 'SAMLUser' ? 'saml-user' : 'web-identity-user', id, fromIssuer(id, issuer ?? null));
      if (issuer) chain[chain.length - 1].issuer = issuer;
      return done();
    }

    // Sessions: assumed roles, federated users, cross-account callers, and unknowns with a key.
    const sessionLabel = current.identityArn ? shortArn(current.identityArn) : (key ?? 'unknown session');
    const kind: IdentityKind = type === 'FederatedUser' ? 'federated-user' : type === 'AWSAccount' ? 'aws-account' : type === 'AssumedRole' ? 'role-session' : 'unknown';
    const id = current.identityArn ?? (kind === 'aws-account' ? (account ?? current.principalId ?? 'unknown') : (key ?? 'unknown'));
    push(kind, id, kind === 'aws-account' ? `account ${account ?? '?'}` : sessionLabel);

    if (cred) {
      const caller = callerIdentity(cred);
      if (caller.account && account && caller.account !== account) {
        flags.push({ kind: 'cross-account', fromAccount: caller.account, toAccount: account, detail: `${cred.kind} from account ${caller.account} into ${account}` });
      }
      const next = callerStep(cred, current, key!);
      if (next.terminal) {
        basis = 'key';
        proof = 'proven';
        chain.push({ ...next.terminal, proof, basis, detail: next.detail, issuedBy: null });
        if (next.terminal.kind === 'instance') instanceId = next.terminal.id;
        return done();
      }
      current = next.identity!;
      basis = 'key';
      proof = 'proven';
      detail = next.detail;
      continue;
    }

    // No issuing call in the case: fall back to what the record itself says, then to inference.
    noteConsoleSignIn(depth, key);
    if (current.onBehalfOf) {
      chain.push(link('identity-center-user', current.onBehalfOf, `identity center ${current.sourceIdentity ?? current.onBehalfOf}`, null, null, 'proven', 'on-behalf-of', 'userIdentity.onBehalfOf names the Identity Center user'));
      nameStoreUser(chain[chain.length - 1], current.onBehalfOf, lookups);
      return done();
    }
    const sessionName = current.sessionName ?? sessionNameOf(current.identityArn);
    if (sessionName && INSTANCE_ID.test(sessionName)) {
      instanceId = sessionName;
      chain.push(link('instance', sessionName, `${sessionName} (instance)`, account, null, 'inferred', 'instance-session-name',
        'instance-profile credentials are issued to a session named after the instance'));
      return done();
    }
    const roleArn = current.sessionIssuerArn ?? roleOfSession(current.identityArn);
    const match = roleArn && sessionName ? lookups.credentialBySession(iamArnWithoutPath(roleArn), sessionName, current.firstSeen, current.sourceIp) : undefined;
    if (match && !seenKeys.has(match.row.accessKeyId)) {
      seenKeys.add(match.row.accessKeyId);
      chain[chain.length - 1].issuedBy = match.row.eventId && match.row.eventName && match.row.eventTime !== null
        ? { eventId: match.row.eventId, eventName: match.row.eventName, eventTime: isoTime(match.row.eventTime) }
        : null;
      const how = `key ${key ?? '?'} not issued in the case; ${match.row.kind} at ${iso(match.row.issuedAt)} gave role session '${sessionName}'` +
        (match.ipMatched ? ' from the same source IP' : '') + (match.agentMatched ? ' with the same user agent' : '');
      if (inferFrom(match.row, how, match.ipMatched ? 'session-name-ip-time' : 'session-name')) return done();
      continue;
    }
    const person = identityCenterPerson(roleArn, sessionName, current.principalId);
    if (person) {
      chain.push(link('identity-center-user', person, `identity center ${person}`, account, null, 'inferred', 'sso-session-name',
        `${shortArn(roleArn!)} is an Identity Center role; Identity Center names its sessions after the signed-in user` +
        (key ? ` (key ${key} not issued in the case)` : '')));
      idOfStoreName(chain[chain.length - 1], person, lookups);
      return done();
    }
    if (current.sourceIdentity) {
      // Set on the first hop and carried by every later one: the issue that set it names who started the chain.
      const setter = lookups.credentialBySourceIdentity(current.sourceIdentity, current.firstSeen);
      if (setter && !seenKeys.has(setter.accessKeyId)) {
        seenKeys.add(setter.accessKeyId);
        const how = `key ${key ?? '?'} not issued in the case; sourceIdentity '${current.sourceIdentity}' was set by ${setter.kind} at ${iso(setter.issuedAt)}`;
        if (inferFrom(setter, how, 'source-identity')) return done();
        continue;
      }
      chain.push(link('unknown', current.sourceIdentity, current.sourceIdentity, null, null, 'inferred', 'source-identity',
        'sts sourceIdentity set by whoever first assumed a role in this chain'));
      return done();
    }
    flags.push({ kind: 'chain-broken', accessKeyId: key, detail: key ? `no call issuing ${key} is in the case` : 'the record carries no access key' });
    return done(false);
  }
  flags.push({ kind: 'chain-broken', accessKeyId: current.accessKeyId, detail: 'chain longer than the walk allows (a loop?)' });
  return done(false);

  function done(reachedOrigin = true): Resolution {
    const last = chain[chain.length - 1];
    const proven = reachedOrigin && chain.every((l) => l.proof === 'proven');
    return {
      chain,
      origin: { kind: last.kind, id: last.id, label: last.label, accountId: last.accountId, proven },
      proven,
      flags,
      instanceId,
    };
  }
}

type CallerStep = { terminal?: Omit<ChainLink, 'proof' | 'basis' | 'detail' | 'issuedBy'>; identity?: RecordedIdentity; detail: string };

/** The identity that asked for `cred`: either the end of the chain or the next identity to walk. */
function callerStep(cred: IssuedCredentialRow, session: RecordedIdentity, key: string): CallerStep {
  const caller = callerIdentity(cred);
  const when = iso(cred.issuedAt ?? cred.eventTime);
  const subject = cred.subject !== null && !caller.arn ? `subject ${fromIssuer(cred.subject, cred.issuer)}` : null;
  const detail = `${key} issued by ${cred.kind} at ${when} to ${caller.arn ?? subject ?? cred.callerType ?? 'an unknown caller'}` +
    (cred.sharedEventId ? ` (named by the caller's copy of the call, sharedEventID ${cred.sharedEventId})` : '');
  const terminalBase = { accountId: caller.account, accessKeyId: cred.callerKey, ...(cred.issuer ? { issuer: cred.issuer } : {}) };
  const federated = federatedCaller(cred);
  if (federated === 'saml-user') {
    const id = cred.subject ?? cred.callerArn ?? 'unknown SAML user';
    return { terminal: { ...terminalBase, kind: 'saml-user', id, label: fromIssuer(id, cred.issuer) }, detail };
  }
  if (federated === 'web-identity-user') {
    const id = cred.subject ?? cred.callerArn ?? 'unknown web identity';
    return { terminal: { ...terminalBase, kind: 'web-identity-user', id, label: fromIssuer(id, cred.issuer) }, detail };
  }
  if (cred.callerType === 'AWSService') {
    const sessionName = cred.sessionName ?? session.sessionName ?? sessionNameOf(session.identityArn);
    // A service caller has no ARN; its name is in invokedBy / sourceIPAddress (e.g. ec2.amazonaws.com).
    const svc = cred.callerArn ?? (cred.callerIp && /amazonaws\.com$/.test(cred.callerIp) ? cred.callerIp : null) ?? 'an AWS service';
    if (sessionName && INSTANCE_ID.test(sessionName) && (/ec2\.amazonaws\.com/.test(svc) || svc === 'an AWS service')) {
      return { terminal: { ...terminalBase, accountId: accountOf(cred.roleArn), kind: 'instance', id: sessionName, label: `${sessionName} (instance)` }, detail };
    }
    return { terminal: { ...terminalBase, kind: 'aws-service', id: svc, label: svc }, detail };
  }
  const type = cred.callerType ?? guessType(cred.callerArn);
  const arn = cred.callerArn;
  return {
    identity: {
      accessKeyId: cred.callerKey,
      identityType: type,
      identityArn: arn,
      identityAccount: caller.account,
      principalId: null,
      userName: type === 'IAMUser' && arn ? arn.split('/').pop() ?? null : null,
      sessionIssuerArn: roleOfSession(arn),
      sessionName: sessionNameOf(arn),
      invokedBy: null,
      sourceIdentity: cred.sourceIdentity,
      onBehalfOf: null,
      firstSeen: cred.issuedAt,
      sourceIp: cred.callerIp,
    },
    detail,
  };
}

/**
 * The federated subject that asked for `cred`, the end of its chain: named by the subject and its
 * issuer, never by the call's source address, which the walk then does not read (resolution-templates.ts
 * leaves it out of such a key's template: a CI runner calls from a new address at every run).
 */
export function federatedCaller(cred: IssuedCredentialRow): 'saml-user' | 'web-identity-user' | null {
  if (cred.kind === 'AssumeRoleWithSAML' || cred.callerType === 'SAMLUser') return 'saml-user';
  if (cred.kind === 'AssumeRoleWithWebIdentity' || cred.callerType === 'WebIdentityUser') return 'web-identity-user';
  return null;
}

/** "subject from issuer Y": a SAML or web identity subject means something only with who vouched for it. */
function fromIssuer(subject: string, issuer: string | null): string {
  return issuer ? `${subject} from issuer ${issuer}` : subject;
}

/**
 * Names an Identity Center user link after the user name records pair with its id ("alice
 * (identity-store user 94482488…)"). The id stays the link's id: the name is what records say, the id is
 * who acted. Several names (a renamed user) are all given.
 */
function nameStoreUser(l: ChainLink, onBehalfOf: string | null, lookups: ChainLookups): void {
  if (!onBehalfOf) return;
  const userId = storeUserId(onBehalfOf);
  const known = lookups.storeUserNames(userId);
  if (!known) return;
  const first = known.sources[0];
  l.names = known.names;
  l.nameSource = first;
  l.label = `${known.names.join(' / ')} (identity-store user ${shortId(userId)})`;
  l.detail += `; ${first.eventName} at ${first.eventTime} names identity-store user ${userId} '${known.names.join("' / '")}'`;
}

/**
 * An Identity Center session is named after the user's identity-store user name: when records give
 * that name to exactly one user id, the link says which ("alice (identity-store user 94482488…)"), so
 * the session meets that user's portal and sign-in activity. The id is told, not made the link's id:
 * the session name itself is only inferred to be the user.
 */
function idOfStoreName(l: ChainLink, person: string, lookups: ChainLookups): void {
  const ids = lookups.storeUserIdsNamed(person);
  if (ids.length !== 1) return;
  const known = lookups.storeUserNames(ids[0]);
  const source = known?.sources[known.names.indexOf(person)];
  if (!source) return;
  l.names = [person];
  l.nameSource = source;
  l.label = `${person} (identity-store user ${shortId(ids[0])})`;
  l.detail += `; ${source.eventName} at ${source.eventTime} names identity-store user ${ids[0]} '${person}'`;
}

function shortId(userId: string): string {
  return userId.length > 12 ? `${userId.slice(0, 10)}…` : userId;
}

/** The user id of an onBehalfOf value ("<identityStoreArn>/user/<id>", or the id alone). */
export function storeUserId(onBehalfOf: string): string {
  const i = onBehalfOf.lastIndexOf('/user/');
  return i >= 0 ? onBehalfOf.slice(i + 6) : onBehalfOf;
}

/**
 * The caller: its ARN, and its account from the ARN or, for a caller of another account that
 * the role owner's copy names only as AWSAccount (no ARN), from the call's userIdentity.accountId.
 */
function callerIdentity(cred: IssuedCredentialRow): { arn: string | null; account: string | null } {
  return { arn: cred.callerArn, account: accountOf(cred.callerArn) ?? (cred.callerType === 'AWSAccount' ? cred.callerAccount ?? null : null) };
}

function link(kind: IdentityKind, id: string, label: string, accountId: string | null, accessKeyId: string | null,
  proof: ChainLink['proof'], basis: ChainLink['basis'], detail: string): ChainLink {
  return { kind, id, label, accountId, accessKeyId, proof, basis, detail, issuedBy: null };
}

function guessType(arn: string | null): string | null {
  if (!arn) return null;
  if (/:assumed-role\//.test(arn)) return 'AssumedRole';
  if (/:federated-user\//.test(arn)) return 'FederatedUser';
  if (/:iam::\d+:user\//.test(arn)) return 'IAMUser';
  if (/:iam::\d+:root$/.test(arn)) return 'Root';
  if (/amazonaws\.com$/.test(arn)) return 'AWSService';
  return null;
}

/**
 * AWS's own events (eventType AwsServiceEvent: a Spot reclaim, a scheduled maintenance) carry an
 * identity of an account and `invokedBy` alone: no type, ARN or key. The service is the actor.
 */
function serviceOnly(identity: RecordedIdentity): string | null {
  return identity.invokedBy !== null && identity.identityArn === null && identity.accessKeyId === null && identity.principalId === null ? 'AWSService' : null;
}

export function accountOf(arn: string | null): string | null {
  const m = arn ? /^arn:[\w-]+:[\w-]+:[\w-]*:(\d{12}):/.exec(arn) : null;
  return m ? m[1] : null;
}

function shortArn(arn: string): string {
  const m = /:(assumed-role|federated-user|user|role)\/(.+)$/.exec(arn);
  return m ? `${m[1]}/${m[2]}` : arn;
}

function iso(ms: number | null): string {
  return ms === null ? 'an unknown time' : isoTime(ms);
}

// A link's issuing time and the detail of the next link name the same instant: formatting it once
// saves a fifth of a chain walk (Date#toISOString is the dearest step of one). Keys are issued day
// after day, so the date part is formatted once a day and the time of day by hand.
const DAY_MS = 86_400_000;
let lastMs = NaN;
let lastIso = '';
let lastDay = NaN;
let dayPrefix = '';
/** An instant as toISOString gives it (a chain's issuing times are formatted by this alone). */
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastIso;
  if (!Number.isInteger(ms) || Math.abs(ms) > DATE_LIMIT_MS) {
    lastIso = isoInstant(ms);
  } else {
    const day = Math.floor(ms / DAY_MS);
    if (day !== lastDay) {
      const full = new Date(ms).toISOString();
      dayPrefix = full.slice(0, full.indexOf('T') + 1);
      lastDay = day;
    }
    const inDay = ms - day * DAY_MS;
    const h = Math.floor(inDay / 3_600_000);
    const m = Math.floor(inDay / 60_000) % 60;
    const s = Math.floor(inDay / 1000) % 60;
    const milli = inDay % 1000;
    lastIso = `${dayPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  }
  lastMs = ms;
  return lastIso;
}
