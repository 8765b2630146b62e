// One way to turn an error into a log line, with secrets and account ids redacted:
// error messages can carry SDK request details, and logs get pasted into tickets.
const ACCESS_KEY = /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const SECRET = /((?:secret|session|token|password)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi;

export function redactSecrets(text: string): string {
  return text.replace(ACCESS_KEY, (k) => `${k.slice(0, 4)}…${k.slice(-4)}`).replace(SECRET, '$1[redacted]');
}

export function toLogFormat(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const prefix = typeof code === 'string' && !err.message.includes(code) ? `${code}: ` : '';
    return redactSecrets(prefix + err.message);
  }
  return redactSecrets(String(err));
}
