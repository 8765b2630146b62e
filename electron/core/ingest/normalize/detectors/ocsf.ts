// An OCSF Security Finding (class 2001, OCSF 1.0: `finding`) or Detection Finding (class 2004, 1.1 on:
// `finding_info`, `evidences`) as Security Lake stores them → one DetectorFindingRow. The actor's user,
// credential and address, the API, and the resources link it to the case.
import type { FindingSeverity } from '../../../../../shared/engine-types.ts';
import type { DetectorFindingRow, NormalizeResult } from '../../types.ts';
import { account, Links, list, MAX_DESCRIPTION, MAX_TITLE, MAX_TYPE, MAX_UID, obj, rawJson, region, text, time, type Obj } from './detector-fields.ts';

/** severity_id: 1 informational, 2 low, 3 medium, 4 high, 5 critical, 6 fatal; 0 and 99 say nothing. */
export function ocsfSeverity(id: unknown, label: unknown): { severity: FindingSeverity; shown: string } | null {
  const n = typeof id === 'number' ? id : typeof id === 'string' ? Number(id) : NaN;
  const shown = text(label, 32);
  const byId: Record<number, FindingSeverity> = { 1: 'low', 2: 'low', 3: 'medium', 4: 'high', 5: 'critical', 6: 'critical' };
  if (byId[n]) return { severity: byId[n], shown: shown ? `${shown} (${n})` : String(n) };
  const byLabel: Record<string, FindingSeverity> = { informational: 'low', low: 'low', medium: 'medium', high: 'high', critical: 'critical', fatal: 'critical' };
  const l = shown?.toLowerCase();
  return l && byLabel[l] ? { severity: byLabel[l], shown: shown! } : null;
}

/** The actor, API and endpoint of the finding or of one of its evidences. */
function addActivity(links: Links, o: Obj | null): void {
  if (o === null) return;
  const user = obj(obj(o.actor)?.user);
  if (user) {
    const uid = text(user.uid, 2048);
    if (uid?.startsWith('arn:')) links.add('principal', uid);
    else links.add('principal-id', uid);
    links.add('access-key', user.credential_uid);
    links.add('user-name', user.name);
  }
  links.add('access-key', obj(obj(o.actor)?.session)?.credential_uid);
  links.add('api', obj(o.api)?.operation);
  links.add('address', obj(o.src_endpoint)?.ip);
}

export function normalizeOcsf(f: Obj): NormalizeResult<DetectorFindingRow> {
  // OCSF 1.0 Security Finding names it `finding`; Detection Finding (1.1 on) `finding_info`.
  const info = obj(f.finding_info) ?? obj(f.finding);
  const id = text(info?.uid, MAX_UID) ?? text(obj(f.metadata)?.uid, MAX_UID);
  if (id === null) return { ok: false, reason: 'OCSF finding without finding_info.uid (or finding.uid, metadata.uid)' };
  const sev = ocsfSeverity(f.severity_id, f.severity);
  if (sev === null) return { ok: false, reason: 'OCSF finding without a severity_id from 1 to 6' };
  const at = time(f.time) ?? time(f.time_dt);
  const created = time(info?.created_time) ?? time(info?.created_time_dt);
  const updated = time(info?.modified_time) ?? time(info?.modified_time_dt) ?? at ?? created;
  const first = time(info?.first_seen_time) ?? time(info?.first_seen_time_dt) ?? created ?? at ?? updated;
  const last = time(info?.last_seen_time) ?? time(info?.last_seen_time_dt) ?? at ?? updated ?? first;
  if (first === null || last === null || updated === null) return { ok: false, reason: 'OCSF finding without a readable time (time, finding_info.first_seen_time, created_time)' };

  const links = new Links();
  addActivity(links, f);
  for (const e of list(f.evidences)) addActivity(links, obj(e));
  for (const r of list(f.resources)) {
    const res = obj(r);
    const uid = text(res?.uid, 2048);
    if (uid === null) continue;
    const type = text(res?.type, 64) ?? '';
    if (/instance/i.test(type) || uid.startsWith('i-') || /:instance\/i-/.test(uid)) links.add('instance', uid);
    else if (/^arn:[\w-]+:iam::\d{12}:(user|role)\//.test(uid)) links.add('principal', uid);
    else if (/AccessKey/i.test(type)) links.add('access-key', uid);
    else links.add('resource', uid);
  }
  const cloud = obj(f.cloud);
  const product = obj(obj(f.metadata)?.product);
  return {
    ok: true,
    value: {
      detector: 'Security Lake', findingUid: id, product: text(product?.name, 128), type: text(list(info?.types)[0], MAX_TYPE),
      title: text(info?.title, MAX_TITLE) ?? text(f.message, MAX_TITLE) ?? 'OCSF finding',
      description: text(info?.desc, MAX_DESCRIPTION),
      severity: sev.severity, detectorSeverity: sev.shown,
      firstTime: Math.min(first, last), lastTime: Math.max(first, last), updatedAt: updated,
      accountId: account(obj(cloud?.account)?.uid ?? cloud?.account_uid), region: region(cloud?.region), links: links.all, raw: rawJson(f),
    },
  };
}
