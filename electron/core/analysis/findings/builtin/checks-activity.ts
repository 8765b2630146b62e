// Checks on execution, sign-in, logging changes and unusual usage: what a command or session
// targeted, whether a console sign-in used MFA, whether event selectors still log management events,
// which instance types were asked for.
import { items, member, num, path, str, strings } from '../../../json-values.ts';
import { rp } from './checks-iam.ts';
import type { CheckResult, Rec } from '../rules/rule-types.ts';

/** ModifyInstanceAttribute that sets user data (the script the instance runs at boot). */
export function userDataChanged(r: Rec): CheckResult {
  const attr = str(rp(r, 'attribute'));
  if (rp(r, 'userData') === undefined && attr !== 'userData') return null;
  const id = str(rp(r, 'instanceId'));
  return { value: id, summary: `user data of ${id ?? 'an instance'} replaced` };
}

/** DescribeInstanceAttribute for userData: boot scripts often hold credentials. */
export function userDataRead(r: Rec): CheckResult {
  if (str(rp(r, 'attribute')) !== 'userData') return null;
  const id = str(rp(r, 'instanceId'));
  return { value: id, summary: `user data of ${id ?? 'an instance'}` };
}

/** SendCommand: the document run and where. */
export function commandSent(r: Rec): CheckResult {
  const doc = str(rp(r, 'documentName'));
  const targets = [...strings(rp(r, 'instanceIds')), ...items(rp(r, 'targets')).map((t) => `${str(member(t, 'key')) ?? '?'}=${strings(member(t, 'values')).join('|')}`)];
  return { value: targets.join(', ') || null, summary: `${doc ?? 'a document'} on ${targets.slice(0, 5).join(', ') || 'instances'}${targets.length > 5 ? ` and ${targets.length - 5} more` : ''}` };
}

/** StartSession, SendSSHPublicKey, SendSerialConsoleSSHPublicKey: the instance (and OS user) reached. */
export function instanceReached(r: Rec): CheckResult {
  const id = str(rp(r, 'target')) ?? str(rp(r, 'instanceId'));
  const user = str(rp(r, 'instanceOSUser'));
  const doc = str(rp(r, 'documentName'));
  return { value: id, summary: `${id ?? 'an instance'}${user ? ` as ${user}` : ''}${doc ? ` (${doc})` : ''}` };
}

/** UpdateFunctionConfiguration / CreateFunction with layers: which layers, and from which account. */
export function layersAdded(r: Rec): CheckResult {
  const layers = strings(rp(r, 'layers'));
  if (!layers.length) return null;
  const own = str(member(r, 'recipientAccountId'));
  const foreign = [...new Set(layers.map((l) => /^arn:aws[\w-]*:lambda:[^:]*:(\d{12}):/.exec(l)?.[1]).filter((a): a is string => !!a && a !== own))];
  const fn = str(rp(r, 'functionName'));
  return {
    value: fn, severity: foreign.length ? 'high' : undefined,
    summary: `${fn ?? 'a function'} now loads ${layers.map((l) => l.slice(l.indexOf(':layer:') >= 0 ? l.indexOf(':layer:') + 7 : 0)).join(', ')}${foreign.length ? ` from account ${foreign.join(', ')}` : ''}`,
  };
}

/** ConsoleLogin that succeeded without MFA (IAM users and root: federated sign-ins do MFA at their identity provider). */
export function consoleLoginWithoutMfa(r: Rec): CheckResult {
  if (str(path(r, 'responseElements', 'ConsoleLogin')) !== 'Success') return null;
  const type = str(path(r, 'userIdentity', 'type'));
  if (type !== 'IAMUser' && type !== 'Root') return null;
  const mfa = str(path(r, 'additionalEventData', 'MFAUsed'));
  const who = type === 'Root' ? 'root' : str(path(r, 'userIdentity', 'userName')) ?? str(path(r, 'userIdentity', 'arn'));
  if (mfa?.toLowerCase() === 'yes') {
    return type === 'Root' ? { value: 'root', severity: 'medium', summary: 'root signed in to the console (with MFA)', detail: 'The root user signed in. It used MFA, but root should hardly ever be used: check why.' } : null;
  }
  return {
    value: who, severity: type === 'Root' ? 'critical' : undefined,
    summary: `${type === 'Root' ? 'root' : `user ${who ?? '?'}`} signed in without MFA`,
    detail: `A console password alone was enough to sign in${type === 'Root' ? ' as root, which can do anything in the account and cannot be restricted' : ''}: a stolen or guessed password is all an attacker needs. MFAUsed: ${mfa ?? 'not recorded'}.`,
  };
}

/** PutEventSelectors: management events no longer logged, or only reads/writes. */
export function selectorsNarrowed(r: Rec): CheckResult {
  const trail = str(rp(r, 'trailName'));
  const basic = items(rp(r, 'eventSelectors'));
  const advanced = items(rp(r, 'advancedEventSelectors'));
  const managementOff = basic.length > 0 && basic.every((s) => member(s, 'includeManagementEvents') === false);
  const partial = basic.some((s) => (str(member(s, 'readWriteType')) ?? 'All') !== 'All');
  const advancedMgmt = JSON.stringify(advanced).includes('"Management"');
  if (!managementOff && !partial && !(advanced.length && !advancedMgmt)) return { value: trail, severity: 'low', summary: `event selectors of ${trail ?? 'a trail'} changed` };
  return {
    value: trail, severity: managementOff || (advanced.length > 0 && !advancedMgmt) ? 'high' : 'medium',
    summary: `${trail ?? 'a trail'} ${managementOff || (advanced.length > 0 && !advancedMgmt) ? 'no longer logs management events' : 'logs only some management events (read or write)'}`,
  };
}

/** UpdateDetector only when it disables GuardDuty; the other GuardDuty calls always count. */
export function detectorDisabled(r: Rec): CheckResult {
  const name = str(member(r, 'eventName'));
  const id = str(rp(r, 'detectorId'));
  if (name === 'UpdateDetector') {
    const enable = rp(r, 'enable');
    if (enable !== false && str(enable) !== 'false') return null;
    return { value: id, summary: `GuardDuty detector ${id ?? '?'} disabled` };
  }
  return { value: id, summary: `${name}${id ? ` on detector ${id}` : ''}` };
}

const GPU_OR_HUGE = /^(p\d|g\d|inf\d|trn\d|dl\d|f\d|vt\d|x\d|u-|hpc\d)|\.metal|\.(1[2-9]|[2-9]\d|\d{3})xlarge$/i;

/** RunInstances asking for GPU, accelerator or very large types, or many instances at once: mining, cost attacks. */
export function unusualInstances(r: Rec): CheckResult {
  const type = str(rp(r, 'instanceType'));
  const sets = items(rp(r, 'instancesSet'));
  const count = Math.max(0, ...sets.map((s) => num(member(s, 'maxCount')) ?? 1));
  const odd = type !== null && GPU_OR_HUGE.test(type);
  if (!odd && count < 10) return null;
  return {
    value: type, severity: odd && count >= 10 ? 'high' : undefined,
    summary: `${count > 1 ? `up to ${count} ` : ''}${type ?? 'instances'}${odd ? ' (GPU, accelerator or very large type)' : ''}`,
  };
}

/** Bedrock calls that run a model: which model. */
export function modelInvoked(r: Rec): CheckResult {
  const model = str(rp(r, 'modelId'));
  return { value: model, summary: `model ${model ?? '?'}` };
}
