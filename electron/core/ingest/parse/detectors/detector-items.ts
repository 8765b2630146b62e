// Turns detector findings found in a JSON input into reader items: a finding alone, the elements of a
// findings list, and the EventBridge envelopes GuardDuty ("GuardDuty Finding") and Security Hub
// ("Security Hub Findings - Imported") send. OCSF records of classes other than findings are
// rejected one by one with their class number, so a Security Lake export says what it held.
import type { Item } from '../classify.ts';
import { detectorFormatOf, findingsListOf, isAsffFinding, isGuardDutyFinding, isOcsfEvent, OCSF_FINDING_CLASSES } from './detector-shapes.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isDetectorShape(o: Obj): boolean {
  return detectorFormatOf(o) !== null;
}

/** One element of a findings list or array, or a finding on its own. */
export function detectorElementItem(v: unknown, pos: string): Item {
  if (!isObj(v)) return { t: 'rej', r: { position: pos, reason: 'finding that is not a JSON object' } };
  const format = detectorFormatOf(v);
  if (format === null) {
    return { t: 'rej', r: { position: pos, reason: 'not a detector finding (no GuardDuty type/resource/service, ASFF ProductArn/Id or OCSF class_uid)' } };
  }
  if (format === 'ocsf') {
    const cls = Number(v.class_uid);
    if (!OCSF_FINDING_CLASSES.has(cls)) {
      const shown = Number.isInteger(cls) && cls >= 0 && cls < 1e6 ? String(cls) : 'not a number';
      return { t: 'rej', r: { position: pos, reason: `OCSF record of class ${shown}, not a finding (Trailscope reads OCSF Security Finding 2001 and Detection Finding 2004)` } };
    }
  }
  return { t: 'finding', format, list: [v], pos };
}

const GUARDDUTY_ENVELOPE = 'GuardDuty Finding';
const SECURITY_HUB_ENVELOPES = new Set(['Security Hub Findings - Imported', 'Security Hub Findings - Custom Action']);

/** An EventBridge event whose detail-type says it carries detector findings. */
export function isDetectorEnvelope(o: Obj): boolean {
  const type = o['detail-type'];
  return type === GUARDDUTY_ENVELOPE || (typeof type === 'string' && SECURITY_HUB_ENVELOPES.has(type));
}

/** An EventBridge event carrying GuardDuty or Security Hub findings; null for any other detail-type. */
export function detectorEnvelopeItem(o: Obj, pos: string): Item | null {
  const type = o['detail-type'];
  if (type === GUARDDUTY_ENVELOPE) {
    const detail = o.detail;
    // Some forwarders wrap the finding in {"findings": [...]} inside detail.
    const list = isObj(detail) && !isGuardDutyFinding(detail) ? findingsListOf(detail) : null;
    const findings = list ?? [detail];
    if (!findings.every((f) => isObj(f) && isGuardDutyFinding(f))) {
      return { t: 'rej', r: { position: pos, reason: 'GuardDuty Finding event whose detail is not a GuardDuty finding' } };
    }
    return { t: 'finding', format: 'guardduty', list: findings, pos, via: 'EventBridge events: findings from detail' };
  }
  if (typeof type === 'string' && SECURITY_HUB_ENVELOPES.has(type)) {
    const list = isObj(o.detail) ? findingsListOf(o.detail) : null;
    if (list === null || list.length === 0 || !list.every((f) => isObj(f) && isAsffFinding(f))) {
      return { t: 'rej', r: { position: pos, reason: `${type} event whose detail.findings is not a list of ASFF findings` } };
    }
    return { t: 'finding', format: 'asff', list, pos, via: 'EventBridge events: findings from detail.findings' };
  }
  return null;
}

/**
 * A document holding a findings list under a key the stream path does not take (`findings`), or an
 * empty one: items, or null when the object is not a findings document.
 */
export function findingsContainerItems(o: Obj, prefix: string): Item[] | null {
  const list = findingsListOf(o);
  if (list === null) return null;
  if (list.length === 0) return 'Findings' in o || 'findings' in o ? [{ t: 'unknown', reason: 'findings document with no findings' }] : null;
  const first = list[0];
  if (!isObj(first) || !(isAsffFinding(first) || isGuardDutyFinding(first) || isOcsfEvent(first))) return null;
  return list.map((v, i) => detectorElementItem(v, prefix ? `${prefix}, finding ${i + 1}` : `finding ${i + 1}`));
}
