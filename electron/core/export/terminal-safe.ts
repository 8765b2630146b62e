// Record values are attacker-controlled: a user agent can carry ANSI escapes that rewrite a
// terminal. Text output shows control characters as visible escapes instead.
export function safe(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
