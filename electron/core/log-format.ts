// One way to turn an error into a log line, with secrets and account ids redacted:
// error messages can carry SDK request details, and logs get pasted into tickets.
import { isDamageError } from './db/damaged-case-error.ts';

const ACCESS_KEY = /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const SECRET = /((?:secret|session|token|password|signature)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi;
// Unnamed secrets: a run of the base64 alphabet that is 40 characters long (a secret access key) or
// 100 and more (a session token), mixing upper and lower case (so hex digests and words stay).
const BASE64_RUN = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40,}/g;
const mixedCase = (s: string) => /[A-Z]/.test(s) && /[a-z]/.test(s);

/** Bare secret access keys and session tokens, wherever they appear in a text. */
export function redactBareSecrets(text: string): string {
  return text.replace(BASE64_RUN, (run) => {
    const body = run.replace(/=+$/, '');
    const secretKey = body.length === 40 && !body.includes('=');
    return (secretKey || run.length >= 100) && mixedCase(run) && /\d|[/+]/.test(run) ? '[redacted]' : run;
  });
}

export function redactSecrets(text: string): string {
  return redactBareSecrets(text.replace(ACCESS_KEY, (k) => `${k.slice(0, 4)}…${k.slice(-4)}`).replace(SECRET, '$1[redacted]'));
}

export function toLogFormat(err: unknown): string {
  // SQLite says "database disk image is malformed" for a damaged page met after the case opened
  // (openCase checks the header and schema pages, not every page): say which file that is.
  if (isDamageError(err)) return redactSecrets(`the case file is damaged (${err.code}: ${err.message})`);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const prefix = typeof code === 'string' && !err.message.includes(code) ? `${code}: ` : '';
    return redactSecrets(prefix + err.message);
  }
  return redactSecrets(String(err));
}
