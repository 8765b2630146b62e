// Single calls that matter on their own: persistence (new keys, users, passwords, policies, trust)
// and covering tracks (logging stopped or deleted). A CreateAccessKey for a user other than the
// caller is a backdoor key and gets its own finding. Failed calls are kept as attempts, one level lower.
import type { Finding, FindingSeverity, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { stmt } from '../prepared.ts';
import { eventFacts, findingOf, lower, shortArn } from './finding-events.ts';
import type { ActorScope } from './new-values.ts';

export const PERSISTENCE_CALLS: Record<string, FindingSeverity> = {
  CreateAccessKey: 'medium', CreateUser: 'medium', CreateLoginProfile: 'medium', UpdateLoginProfile: 'medium',
  AttachUserPolicy: 'medium', AttachRolePolicy: 'medium', AttachGroupPolicy: 'medium', PutUserPolicy: 'medium', PutRolePolicy: 'medium',
  PutGroupPolicy: 'medium', CreatePolicyVersion: 'medium', SetDefaultPolicyVersion: 'medium', UpdateAssumeRolePolicy: 'medium',
  AddUserToGroup: 'medium', CreateRole: 'low', GetFederationToken: 'low', CreateTrustAnchor: 'medium', CreateProfile: 'low',
  AddPermission20150331v2: 'low', UpdateFunctionCode20150331v2: 'low', PublishLayerVersion20181031: 'low', CreateServiceSpecificCredential: 'medium',
};

export const COVERING_CALLS: Record<string, FindingSeverity> = {
  StopLogging: 'high', DeleteTrail: 'high', UpdateTrail: 'medium', PutEventSelectors: 'medium', PutInsightSelectors: 'low',
  DeleteFlowLogs: 'high', DeleteDetector: 'high', DisassociateFromMasterAccount: 'medium', StopConfigurationRecorder: 'high',
  DeleteConfigurationRecorder: 'high', DeleteResolverQueryLogConfig: 'high', DisassociateResolverQueryLogConfig: 'high',
  DeleteLogGroup: 'medium', DeleteLogStream: 'low', LeaveOrganization: 'high', DisableSecurityHub: 'high', DeleteWebACL: 'low',
};

type Params = Record<string, unknown>;

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').join(', ') || null;
  return null;
}

/** What the call was aimed at, from its request parameters. */
function targetOf(p: Params | null): string | null {
  if (!p) return null;
  for (const k of ['userName', 'roleName', 'groupName', 'name', 'trailName', 'detectorId', 'logGroupName', 'policyArn', 'functionName', 'resolverQueryLogConfigId']) {
    const v = str(p[k]);
    if (v) return v;
  }
  const ids = (p.DeleteFlowLogsRequest as Params | undefined)?.FlowLogId ?? p.flowLogIds;
  return str(ids) ?? (typeof ids === 'object' && ids ? str((ids as Params).items) : null);
}

export function sensitiveCallFindings(db: CaseDb, actors: Map<number, ResolvedActor>, scope?: ActorScope): Finding[] {
  const names = { ...PERSISTENCE_CALLS, ...COVERING_CALLS };
  const ids = scope ? scopedEvents(db, Object.keys(names), scope) : stmt(db, `SELECT e.id FROM event_rows e WHERE e.event_name IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))
    ORDER BY e.event_time, e.id`).pluck().all(JSON.stringify(Object.keys(names))) as number[];
  const out: Finding[] = [];
  for (const id of ids) {
    const e = eventFacts(db, id);
    const raw = readRawEvent(db, id);
    const params = (raw?.requestParameters as Params | null | undefined) ?? null;
    const target = targetOf(params);
    const covering = e.name in COVERING_CALLS;
    let severity = names[e.name];
    const who = shortArn(e.arn);
    const attempt = e.error ? ` (failed: ${e.error})` : '';
    if (e.name === 'CreateAccessKey' && target && !isSelf(e, target)) {
      const newKey = str(((raw?.responseElements as Params | null)?.accessKey as Params | undefined)?.accessKeyId);
      out.push(findingOf(db, actors, {
        kind: 'access-key-for-other-user', category: 'persistence', severity: e.error ? 'medium' : 'high', value: target,
        title: `CreateAccessKey for user ${target} by ${who}${attempt}`,
        detail: `${who} created an access key${newKey ? ` (${newKey})` : ''} for another user, ${target}: a key the attacker holds that outlives the stolen one.`,
      }, [e]));
      continue;
    }
    if (e.error) severity = lower(severity);
    out.push(findingOf(db, actors, {
      kind: covering ? 'covering-tracks' : 'persistence', category: covering ? 'defense-evasion' : 'persistence', severity, value: target,
      title: `${e.name}${target ? ` on ${target}` : ''} by ${who}${attempt}`,
      detail: covering ? `${e.name} reduces what is logged or watched from here on.` : `${e.name} gives lasting access or privileges.`,
    }, [e]));
  }
  return out;
}

/**
 * The sensitive calls some credentials made: their name roll-ups say which of the calls they made at
 * all, and each such name is an index range (a busy key's other calls are never read).
 */
function scopedEvents(db: CaseDb, names: string[], scope: ActorScope): number[] {
  const ids = JSON.stringify(scope.actorIds);
  const made = stmt(db, `SELECT DISTINCT value FROM actor_facets WHERE facet = 'name' AND actor IN (SELECT value FROM json_each(?))
    AND value IN (SELECT value FROM json_each(?))`).pluck().all(ids, JSON.stringify(names)) as string[];
  if (!made.length) return [];
  return stmt(db, `SELECT e.id FROM event_rows e JOIN event_actors ea ON ea.event = e.id
    WHERE e.event_name IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?))) AND ea.actor IN (SELECT value FROM json_each(?))
    ORDER BY e.event_time, e.id`).pluck().all(JSON.stringify(made), ids) as number[];
}

/** Whether the key was created for the caller itself (no userName means the caller's own key). */
function isSelf(e: { identityType: string | null; userName: string | null; arn: string | null }, target: string): boolean {
  if (e.identityType !== 'IAMUser') return false;
  const name = e.userName ?? (e.arn ? e.arn.slice(e.arn.lastIndexOf('/') + 1) : null);
  return name === target;
}
