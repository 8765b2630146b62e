// Credentials must never reach the case, a log line or an error message. Everything that leaves the
// pull as text goes through redact(): access key ids, secret keys, session tokens, signatures.
import { redactBareSecrets } from '../log-format.ts';

const PATTERNS: [RegExp, string][] = [
  // Long-term (AKIA) and temporary (ASIA) access key ids: keep the prefix so a reader knows the kind.
  [/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '$1…[redacted]'],
  [/(aws_secret_access_key|secretAccessKey|SecretAccessKey|aws_session_token|sessionToken|SessionToken|X-Amz-Security-Token|X-Amz-Signature|Signature|Credential)(["'\s:=]+)[^"'\s&,}]+/gi, '$1$2[redacted]'],
  // A bare 40-character secret key shape (base64 alphabet), not inside a longer token.
  [/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  // Session tokens without a name in front (a bare 40-character secret is caught above).
  return redactBareSecrets(out);
}

/** One line for an error, safe to print: its name, code and message, redacted. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { Code?: string; code?: string }).Code ?? (err as { code?: string }).code;
    const name = err.name && err.name !== 'Error' ? err.name : code;
    return redact(name && !err.message.startsWith(name) ? `${name}: ${err.message}` : err.message);
  }
  return redact(String(err));
}
