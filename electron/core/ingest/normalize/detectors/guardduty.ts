// A GuardDuty finding (GetFindings prints PascalCase; EventBridge events and the S3 export camelCase)
// → one DetectorFindingRow. What links it to the case: the access key and principal of an AccessKey
// finding, the instance of an Instance finding, the API it names, and the remote addresses of its action.
import type { FindingSeverity } from '../../../../../shared/engine-types.ts';
import type { DetectorFindingRow, NormalizeResult } from '../../types.ts';
import { account, get, getObj, Links, list, MAX_DESCRIPTION, MAX_TITLE, MAX_TYPE, MAX_UID, rawJson, region, text, time } from './detector-fields.ts';

/** GuardDuty's scale: 1–3.9 low, 4–6.9 medium, 7–8.9 high, 9–10 critical (attack sequences). */
export function guardDutySeverity(v: unknown): FindingSeverity | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10) return null;
  return n >= 9 ? 'critical' : n >= 7 ? 'high' : n >= 4 ? 'medium' : 'low';
}

export function normalizeGuardDuty(f: unknown): NormalizeResult<DetectorFindingRow> {
  const id = text(get(f, 'id'), MAX_UID);
  if (id === null) return { ok: false, reason: 'GuardDuty finding without an id' };
  const severity = guardDutySeverity(get(f, 'severity'));
  if (severity === null) return { ok: false, reason: 'GuardDuty finding without a severity between 0 and 10' };
  const service = getObj(f, 'service');
  const created = time(get(f, 'createdAt'));
  const updated = time(get(f, 'updatedAt')) ?? created;
  const first = time(get(service, 'eventFirstSeen')) ?? created ?? updated;
  const last = time(get(service, 'eventLastSeen')) ?? updated ?? first;
  if (first === null || last === null || updated === null) return { ok: false, reason: 'GuardDuty finding without a readable time (createdAt, updatedAt, service.eventFirstSeen)' };
  const accountId = account(get(f, 'accountId'));
  const type = text(get(f, 'type'), MAX_TYPE);

  const links = new Links();
  const resource = getObj(f, 'resource');
  const keyDetails = getObj(resource, 'accessKeyDetails');
  if (keyDetails) {
    links.add('access-key', get(keyDetails, 'accessKeyId'));
    links.add('principal-id', get(keyDetails, 'principalId'));
    const userName = text(get(keyDetails, 'userName'), 128);
    links.add('user-name', userName);
    links.addNamedPrincipal(accountId, text(get(keyDetails, 'userType'), 32), userName);
  }
  const instance = getObj(resource, 'instanceDetails');
  if (instance) links.add('instance', get(instance, 'instanceId'));
  for (const b of list(get(resource, 's3BucketDetails'))) links.add('resource', get(b, 'arn'));

  const action = getObj(service, 'action');
  const api = getObj(action, 'awsApiCallAction');
  if (api) {
    links.add('api', get(api, 'api'));
    links.add('address', get(getObj(api, 'remoteIpDetails'), 'ipAddressV4'));
    links.add('address', get(getObj(api, 'remoteIpDetails'), 'ipAddressV6'));
  }
  for (const key of ['networkConnectionAction', 'rdsLoginAttemptAction', 'kubernetesApiCallAction']) {
    const a = getObj(action, key);
    links.add('address', get(getObj(a, 'remoteIpDetails'), 'ipAddressV4'));
  }
  for (const p of list(get(getObj(action, 'portProbeAction'), 'portProbeDetails'))) {
    links.add('address', get(getObj(p, 'remoteIpDetails'), 'ipAddressV4'));
  }

  return {
    ok: true,
    value: {
      detector: 'GuardDuty', findingUid: id, product: null, type,
      title: text(get(f, 'title'), MAX_TITLE) ?? type ?? 'GuardDuty finding',
      description: text(get(f, 'description'), MAX_DESCRIPTION),
      severity, detectorSeverity: text(get(f, 'severity'), 16),
      firstTime: Math.min(first, last), lastTime: Math.max(first, last), updatedAt: updated,
      accountId, region: region(get(f, 'region')), links: links.all, raw: rawJson(f),
    },
  };
}
