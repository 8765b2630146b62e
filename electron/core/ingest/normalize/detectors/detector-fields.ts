// Bounded readers shared by the detector normalizers. A finding is the detector's verdict but its
// fields are still attacker-reachable text (a user name, a user agent, a domain an attacker chose):
// every string is cut, every list capped, times kept to plausible years, and placeholders (masked
// keys, GuardDuty's sample "GeneratedFinding…" values) never become a link.
import type { DetectorLinkKind } from '../../types.ts';
import { iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { isPlaceholderArn, isPlaceholderKey, isPlaceholderPrincipalId, isPlaceholderText } from '../placeholders.ts';
import { parseAwsTime } from '../time.ts';

import { obj, type Obj } from '../../../json-values.ts';

export { obj, type Obj };

export const MAX_UID = 512;
export const MAX_TITLE = 300;
export const MAX_DESCRIPTION = 4000;
export const MAX_TYPE = 256;
const MAX_LINK_VALUE = 512;
/** Links kept per finding: a port probe names hundreds of addresses; the first ones make the point. */
export const MAX_LINKS = 100;
/** Elements read from any list in a finding (resources, probe details, evidences). */
export const MAX_LIST = 50;
/** A finding's JSON kept whole up to this size; past it, a note and the fields read. */
export const MAX_RAW = 256 * 1024;

/** 1990 to 2100: anything else in a time field is a fault, not a time. */
const MIN_TIME = Date.UTC(1990, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);

/** `o.name`, else `o.Name`: GuardDuty prints both casings (API vs. EventBridge and S3 export). */
export function get(o: unknown, camel: string): unknown {
  const x = obj(o);
  if (x === null) return undefined;
  return x[camel] ?? x[camel[0].toUpperCase() + camel.slice(1)];
}

export function getObj(o: unknown, camel: string): Obj | null {
  return obj(get(o, camel));
}

/** The first MAX_LIST elements of a list (anything else: none). */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v.slice(0, MAX_LIST) : [];
}

/** Text cut to `max` characters with control characters removed; null when empty or not text. Numbers become text. */
export function text(v: unknown, max: number): string | null {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else return null;
   
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  if (s === '') return null;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A time in ms from ISO text, epoch seconds or epoch ms; null outside 1990–2100. */
export function time(v: unknown): number | null {
  const t = parseAwsTime(v);
  return t !== null && t >= MIN_TIME && t < MAX_TIME ? t : null;
}

const ACCESS_KEY = /^(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,124}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}$/;
const INSTANCE = /^i-[0-9a-f]{8,17}$/;

/** GuardDuty's sample findings fill every field with "GeneratedFinding…": never a real value. */
function isSample(v: string): boolean {
  return v.startsWith('GeneratedFinding');
}

/** The links of one finding, deduplicated and capped; values that are placeholders or malformed are left out. */
export class Links {
  readonly all: { kind: DetectorLinkKind; value: string }[] = [];
  private readonly seen = new Set<string>();

  add(kind: DetectorLinkKind, v: unknown): void {
    if (this.all.length >= MAX_LINKS) return;
    let value = text(v, MAX_LINK_VALUE);
    if (value === null || isSample(value) || isPlaceholderText(value)) return;
    switch (kind) {
      case 'access-key':
        if (!ACCESS_KEY.test(value) || isPlaceholderKey(value)) return;
        break;
      case 'principal-id':
        if (isPlaceholderPrincipalId(value)) return;
        break;
      case 'principal':
        if (!value.startsWith('arn:') || isPlaceholderArn(value)) return;
        value = iamArnWithoutPath(value);
        break;
      case 'address':
        if (!IPV4.test(value) && !(value.includes(':') && IPV6.test(value))) return;
        break;
      case 'instance': {
        const m = /(?:^|instance\/)(i-[0-9a-f]{8,17})$/.exec(value);
        if (!m || !INSTANCE.test(m[1])) return;
        value = m[1];
        break;
      }
      case 'resource':
        if (value.startsWith('arn:') && isPlaceholderArn(value)) return;
        break;
      default:
        break;
    }
    const key = `${kind}\u0000${value}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.all.push({ kind, value });
  }

  /** An IAM principal ARN for a user or role name the detector gives without an ARN. */
  addNamedPrincipal(account: string | null, userType: string | null, name: string | null): void {
    if (account === null || !/^\d{12}$/.test(account) || name === null || !/^[\w+=,.@-]{1,128}$/.test(name) || isSample(name) || isPlaceholderText(name)) return;
    if (userType === 'IAMUser') this.add('principal', `arn:aws:iam::${account}:user/${name}`);
    else if (userType === 'AssumedRole' || userType === 'Role') this.add('principal', `arn:aws:iam::${account}:role/${name}`);
  }
}

/** The finding's JSON for the case: whole up to MAX_RAW, else a note (what was read is in the columns and links). */
export function rawJson(v: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(v);
  } catch {
    return JSON.stringify({ note: 'finding could not be serialized whole' });
  }
  return json.length <= MAX_RAW ? json : JSON.stringify({ note: `finding of ${json.length.toLocaleString('en-US')} characters: not kept whole (over ${MAX_RAW / 1024} KB)` });
}

/** An account id as 12 digits (integers lose their leading zeros in some pipelines), else null. */
export function account(v: unknown): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e12) return String(v).padStart(12, '0');
  const s = text(v, 32);
  return s !== null && /^\d{12}$/.test(s) && !/^0+$/.test(s) ? s : null;
}

export function region(v: unknown): string | null {
  const s = text(v, 32);
  return s !== null && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(s) ? s : null;
}
