// Redaction for exports and the report (--redact): account ids, IP addresses, e-mail addresses, IAM
// names (user/role/group/session) and access keys become pseudonyms. Pseudonyms are an HMAC of the
// value under a key drawn per report, so one value maps to one pseudonym everywhere in that report
// (the story stays readable) while another report, with another key, cannot be joined to it.
import { createHmac, randomBytes } from 'node:crypto';

export type Redactor = (text: string) => string;

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const ACCESS_KEY = /\b(AKIA|ASIA|AIDA|AROA|ANPA|AGPA|AIPA|ANVA|ABIA|ACCA)[A-Z0-9]{12,124}\b/g;
// user/alice, role/Admin, assumed-role/Admin/session, group/ops, federated-user/x: every name segment.
const IAM_NAME = /\b(user|role|group|assumed-role|federated-user|instance-profile)\/([\w+=,.@/-]+)/g;
// Twelve digits standing alone: not the tail of an event id (a UUID) or part of a longer token. An
// underscore is a boundary: CloudTrail's file names start with the account (111122223333_CloudTrail_…).
const ACCOUNT = /(?<![\dA-Za-z-])\d{12}(?![\dA-Za-z-])/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?![\w:])/gi;

export function createRedactor(key: Buffer = randomBytes(32)): Redactor {
  const cache = new Map<string, string>();
  const pseudonym = (kind: string, value: string): string => {
    const k = `${kind}\u0000${value}`;
    let p = cache.get(k);
    if (!p) {
      p = createHmac('sha256', key).update(k).digest('hex').slice(0, 10);
      cache.set(k, p);
    }
    return p;
  };
  return (text) =>
    text
      .replace(EMAIL, (v) => `person-${pseudonym('email', v.toLowerCase())}@example.invalid`)
      .replace(ACCESS_KEY, (v, prefix: string) => `${prefix}REDACTED${pseudonym('key', v).toUpperCase()}`)
      .replace(IAM_NAME, (_v, kind: string, names: string) => `${kind}/${names.split('/').map((n) => (n ? `name-${pseudonym('name', n)}` : n)).join('/')}`)
      .replace(ACCOUNT, (v) => `acct-${pseudonym('account', v)}`)
      .replace(IPV4, (v) => `ip-${pseudonym('ip', v)}`)
      .replace(IPV6, (v) => `ip-${pseudonym('ip', v.toLowerCase())}`);
}

/** No redaction: the identity. */
export const noRedaction: Redactor = (text) => text;
