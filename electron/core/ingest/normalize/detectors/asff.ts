// A Security Hub finding in the AWS Security Finding Format → one DetectorFindingRow. Resources name
// keys, principals and instances; Action and Network name the API and the remote addresses; a
// GuardDuty finding carried by Security Hub keeps its own fields in ProductFields ("aws/guardduty/…").
import type { FindingSeverity } from '../../../../../shared/engine-types.ts';
import type { DetectorFindingRow, NormalizeResult } from '../../types.ts';
import { account, getObj, Links, list, MAX_DESCRIPTION, MAX_TITLE, MAX_TYPE, MAX_UID, obj, rawJson, region, text, time, type Obj } from './detector-fields.ts';

const LABELS: Record<string, FindingSeverity | null> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low', INFORMATIONAL: 'low' };

/** Severity.Label, else Severity.Normalized (0–100: 90 critical, 70 high, 40 medium, else low). */
export function asffSeverity(s: Obj | null): { severity: FindingSeverity; shown: string } | null {
  const label = text(s?.Label, 16)?.toUpperCase() ?? null;
  if (label !== null && LABELS[label]) return { severity: LABELS[label]!, shown: label };
  const n = typeof s?.Normalized === 'number' ? s.Normalized : NaN;
  if (Number.isFinite(n) && n >= 0 && n <= 100) {
    return { severity: n >= 90 ? 'critical' : n >= 70 ? 'high' : n >= 40 ? 'medium' : 'low', shown: `${n}/100` };
  }
  return null;
}

const KEY_IN_TEXT = /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/;
/** ProductFields read at most: the map is free-form and as long as a producer likes. */
const MAX_PRODUCT_FIELDS = 200;

export function normalizeAsff(f: Obj): NormalizeResult<DetectorFindingRow> {
  const id = text(f.Id, MAX_UID);
  if (id === null) return { ok: false, reason: 'ASFF finding without an Id' };
  const sev = asffSeverity(getObj(f, 'Severity'));
  if (sev === null) return { ok: false, reason: 'ASFF finding without a Severity Label or Normalized score' };
  const created = time(f.CreatedAt);
  const updated = time(f.UpdatedAt) ?? created;
  const first = time(f.FirstObservedAt) ?? created ?? updated;
  const last = time(f.LastObservedAt) ?? updated ?? first;
  if (first === null || last === null || updated === null) return { ok: false, reason: 'ASFF finding without a readable time (CreatedAt, UpdatedAt, FirstObservedAt)' };
  const accountId = account(f.AwsAccountId);
  const links = new Links();

  let regionName = region(f.Region);
  for (const r of list(f.Resources)) {
    const res = obj(r);
    if (res === null) continue;
    regionName ??= region(res.Region);
    const type = text(res.Type, 64);
    const rid = text(res.Id, 2048);
    const details = obj(res.Details);
    if (type === 'AwsIamAccessKey') {
      const d = obj(details?.AwsIamAccessKey);
      links.add('access-key', d?.AccessKeyId ?? (rid !== null ? KEY_IN_TEXT.exec(rid)?.[1] : null));
      links.add('principal-id', d?.PrincipalId);
      links.add('user-name', d?.PrincipalName ?? d?.UserName);
      links.addNamedPrincipal(accountId, text(d?.PrincipalType, 32), text(d?.PrincipalName ?? d?.UserName, 128));
    } else if (type === 'AwsEc2Instance') {
      links.add('instance', rid);
    } else if (type === 'AwsIamUser' || type === 'AwsIamRole') {
      links.add('principal', rid);
    } else if (rid !== null) {
      links.add('resource', rid);
    }
  }
  const action = getObj(f, 'Action');
  const api = obj(action?.AwsApiCallAction);
  if (api) {
    links.add('api', api.Api);
    links.add('address', obj(api.RemoteIpDetails)?.IpAddressV4);
  }
  links.add('address', obj(obj(action?.NetworkConnectionAction)?.RemoteIpDetails)?.IpAddressV4);
  for (const p of list(obj(action?.PortProbeAction)?.PortProbeDetails)) links.add('address', obj(obj(p)?.RemoteIpDetails)?.IpAddressV4);
  const network = getObj(f, 'Network');
  if (text(network?.Direction, 8) === 'IN') links.add('address', network?.SourceIpV4);

  // A GuardDuty finding imported into Security Hub keeps its API and caller in ProductFields.
  const fields = getObj(f, 'ProductFields');
  let productName = text(f.ProductName, 128) ?? text(fields?.['aws/securityhub/ProductName'], 128);
  if (fields) {
    let n = 0;
    for (const [k, v] of Object.entries(fields)) {
      if (++n > MAX_PRODUCT_FIELDS) break;
      if (k.endsWith('/awsApiCallAction/api')) links.add('api', v);
      else if (k.endsWith('/remoteIpDetails/ipAddressV4')) links.add('address', v);
      else if (k.endsWith('/accessKeyDetails/accessKeyId')) links.add('access-key', v);
      else if (k.endsWith('/accessKeyDetails/principalId')) links.add('principal-id', v);
    }
  }
  if (productName === 'Security Hub') productName = null;

  const types = list(f.Types);
  return {
    ok: true,
    value: {
      detector: 'Security Hub', findingUid: id, product: productName, type: text(types[0], MAX_TYPE),
      title: text(f.Title, MAX_TITLE) ?? 'Security Hub finding',
      description: text(f.Description, MAX_DESCRIPTION),
      severity: sev.severity, detectorSeverity: sev.shown,
      firstTime: Math.min(first, last), lastTime: Math.max(first, last), updatedAt: updated,
      accountId, region: regionName, links: links.all, raw: rawJson(f),
    },
  };
}
