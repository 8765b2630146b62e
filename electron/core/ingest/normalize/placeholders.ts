// Placeholders are never identity. Published samples, SIEM exports and redacting pipelines replace
// keys, accounts and names with masks (AKIA****************, XXXXXXXXXXXX), redaction tokens
// (HIDDEN_DUE_TO_SECURITY_REASONS, "..."), all-zero accounts or the AWS documentation's example
// values. The same mask stands for many principals, so used as a join key it links events of
// different people and the attribution calls the link proven. The raw record keeps the value as seen;
// these checks keep it out of every column that links events (access keys, issued credentials,
// identity ARNs, principal ids, session names, accounts, addresses).
//
// Not placeholders, by decision: the documentation's example account ids (123456789012,
// 111122223333…). They are the one account of a sample set or of Trailscope's generator, and an
// account alone links no two events (identity ARNs carry the principal's name as well).

/** How many texts each test keeps its answers for, and the longest text kept. */
const REMEMBERED = 10_000;
const REMEMBERED_LENGTH = 256;

/** Exact values that redaction writes in place of a value (compared upper-cased). */
const REDACTION_TOKENS = new Set([
  'HIDDEN_DUE_TO_SECURITY_REASONS', 'REDACTED', '[REDACTED]', '<REDACTED>', '(REDACTED)', 'MASKED', '[MASKED]', '<MASKED>',
  'REMOVED', '[REMOVED]', 'OMITTED', '[OMITTED]', 'SANITIZED', '[SANITIZED]', 'ANONYMIZED', '[ANONYMIZED]',
]);

const LONGEST_TOKEN = Math.max(...[...REDACTION_TOKENS].map((t) => t.length));

/** Characters a mask is made of: a value consisting only of these names nothing ("x" alone is too short to call). */
const MASK_ONLY = /^[*#.?_\-\u2026\s]+$|^[xX*#.?_\-\u2026\s]{3,}$/;

/**
 * True when a text value is a mask or a redaction token rather than a value: empty or blank, a
 * redaction token, anything with '*', '...' or '…', only mask characters, or six X in a row
 * (AROAXXXXXXXXXXXXXXXXX:user, arn:aws:iam::XXXXXXXXXXXX:root).
 */
function rawPlaceholderText(v: string): boolean {
  const s = v.trim();
  if (s === '' || MASK_ONLY.test(s)) return true;
  if (s.includes('*') || s.includes('...') || s.includes('\u2026')) return true;
  // Upper-casing never shortens a text, so one longer than every token is none (and is not copied).
  if ((s.length <= LONGEST_TOKEN && REDACTION_TOKENS.has(s.toUpperCase())) || s.includes('HIDDEN_DUE_TO_SECURITY_REASONS') || s.includes('REDACTED')) return true;
  return /X{6,}|x{6,}/.test(s);
}

/**
 * Access key ids: on top of the text masks, anything that is not letters and digits
 * (SAMPLE_ACCESS_KEY, ASIA-MOCKACCESSKEYID-1), all digits ("1", "1111"), one character repeated,
 * XXXX straight after the four-letter prefix or at the end (ASIAXXXXNLMHSP3MFXX,
 * ASIAWDWBPTM3RJH7XXXX), and the documentation's
 * …EXAMPLE keys, which the AWS guides and the sample sets built from them give to unrelated users.
 */
function rawPlaceholderKey(v: string): boolean {
  if (rawPlaceholderText(v)) return true;
  const s = v.trim();
  if (!/^[A-Za-z0-9]+$/.test(s) || /^[0-9]+$/.test(s) || /^(.)\1*$/.test(s)) return true;
  return /^[A-Z]{4}XXXX|XXXX$/.test(s) || s.includes('EXAMPLE');
}

/** Principal ids (AIDA…, AROA…:session): the text masks and the documentation's …EXAMPLE ids. */
function rawPlaceholderPrincipalId(v: string): boolean {
  return rawPlaceholderText(v) || /^A[A-Z]{3}[A-Z0-9]*(EXAMPLE|XXXX)(:|$)/.test(v.trim());
}

/**
 * Event ids deduplicate, so a shared placeholder ("...", "1", "EXAMPLE-1234-…") would fold distinct
 * records into one: such a record gets a derived id instead.
 */
function rawPlaceholderEventId(v: string): boolean {
  return rawPlaceholderText(v) || /^[0-9]+$/.test(v.trim()) || v.includes('EXAMPLE');
}

/** Account ids: the text masks and all zeros (which no AWS account has). */
function rawPlaceholderAccount(v: string): boolean {
  return rawPlaceholderText(v) || /^0+$/.test(v.trim());
}

/** ARNs: the text masks, or an account field that is itself a placeholder (arn:aws:iam::000000000000:root). */
function rawPlaceholderArn(v: string): boolean {
  if (rawPlaceholderText(v)) return true;
  const parts = v.split(':');
  return parts.length > 5 && parts[0] === 'arn' && parts[4] !== '' && rawPlaceholderAccount(parts[4]);
}

/**
 * Every test above is a pure function of the text, and the texts repeat from event to event (the same
 * ARNs, accounts, addresses, agents): each test keeps its answers for short texts, so a repeated one
 * costs a Map look-up instead of a trim, regular expressions and an upper-cased copy (profiled: 8–12 µs
 * of the reader's ~90 µs an event went to these tests). Bounded: a test starts afresh past
 * REMEMBERED texts (a new key for every call brings texts seen once), and a long text is never kept.
 */
function remembered(test: (v: string) => boolean): (v: string) => boolean {
  let answers = new Map<string, boolean>();
  return (v) => {
    if (v.length > REMEMBERED_LENGTH) return test(v);
    let answer = answers.get(v);
    if (answer === undefined) {
      answer = test(v);
      if (answers.size >= REMEMBERED) answers = new Map();
      answers.set(v, answer);
    }
    return answer;
  };
}

// Each test is remembered once, around the whole test: the tests call one another unremembered, so
// a text is looked up (and kept) once per question, not once per test it passes through.
export const isPlaceholderText = remembered(rawPlaceholderText);
export const isPlaceholderKey = remembered(rawPlaceholderKey);
/** The same for a key asked about once (an actor's own key: each has its actor), where remembering it only costs. */
export const isPlaceholderKeyAskedOnce = rawPlaceholderKey;
export const isPlaceholderPrincipalId = remembered(rawPlaceholderPrincipalId);
// Not remembered: an eventID is one record's own, so keeping it only costs a map entry per record.
export const isPlaceholderEventId = rawPlaceholderEventId;
export const isPlaceholderAccount = remembered(rawPlaceholderAccount);
export const isPlaceholderArn = remembered(rawPlaceholderArn);

/** The value, or null when it is a placeholder by `test`: what goes into a linking column. */
export function usable(v: string | null, test: (v: string) => boolean = isPlaceholderText): string | null {
  return v !== null && !test(v) ? v : null;
}
