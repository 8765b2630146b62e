// The one gate every API call passes, whatever the transport (Electron IPC or the loopback server):
// refuse names outside the contract, parse the input with the contract's schema, and turn any
// thrown error into a Result so nothing is thrown across the bridge. It also bounds every answer:
// no string longer than the call's field limit, and no answer larger than its ceiling (one hostile
// value must not stall or crash the page that asked).
import { isCallName, schemas, fail, ok } from '../../../shared/api/index.ts';
import { ANSWER_CHARS, DETAIL_FIELD_CHARS, EXPORT_CHARS, FIELD_CHUNK_BYTES, LIST_FIELD_CHARS, RAW_TEXT_CHARS, clipStrings, jsonChars } from '../../../shared/api/bounds.ts';
import type { CallName, ParsedInput, Result, ApiResults } from '../../../shared/api/index.ts';
import { toLogFormat } from '../log-format.ts';

export type Handlers = { [K in CallName]: (input: ParsedInput<K>) => ApiResults[K] | Promise<ApiResults[K]> };

export class ApiFailure extends Error {
  constructor(
    readonly kind: 'not-found' | 'no-case' | 'busy' | 'invalid-input',
    message: string,
  ) {
    super(message);
  }
}

export type Dispatch = (name: string, input: unknown) => Promise<Result<unknown>>;

const SLOW_MS = 40;

// The longest string an answer may carry, per call. Timeline rows, event details and field chunks are
// cut by their own builders (with the full sizes noted, see shared/api/bounds.ts); this is the net for
// the answers whose engines do not clip (graph labels, findings, reports), cut with the same note.
// Lists keep LIST_FIELD_CHARS, single-item answers DETAIL_FIELD_CHARS.
const FIELD_LIMIT: Partial<Record<CallName, number>> = {
  'event:get': RAW_TEXT_CHARS + 1024,
  'event:field': FIELD_CHUNK_BYTES,
  'history:forResource': DETAIL_FIELD_CHARS,
  'actor:report': DETAIL_FIELD_CHARS,
  'flows:chains': DETAIL_FIELD_CHARS,
  'export:timeline': Number.POSITIVE_INFINITY,
  'evidence:verify': DETAIL_FIELD_CHARS,
  // The report is one document (escaped HTML, or a PDF in base64): cut, it would be broken.
  'report:build': Number.POSITIVE_INFINITY,
};
// The largest answer, in JSON characters: an export carries its content (cut by its builder at EXPORT_CHARS).
const CEILING: Partial<Record<CallName, number>> = { 'export:timeline': EXPORT_CHARS + 1024 * 1024, 'report:build': EXPORT_CHARS + 1024 * 1024 };

export type AnswerBounds = { fieldChars?: number; maxChars?: number };

/** The answer of `name` within its bounds, or why it is refused. */
export function boundAnswer(name: CallName, value: unknown, bounds: AnswerBounds = {}): { ok: true; value: unknown } | { ok: false; chars: number; max: number } {
  const limit = bounds.fieldChars ?? FIELD_LIMIT[name] ?? LIST_FIELD_CHARS;
  const clipped = Number.isFinite(limit) ? clipStrings(value, limit) : value;
  const max = bounds.maxChars ?? CEILING[name] ?? ANSWER_CHARS;
  const chars = jsonChars(clipped, max);
  return chars > max ? { ok: false, chars, max } : { ok: true, value: clipped };
}

export function createDispatcher(handlers: Handlers, log: (line: string) => void = () => {}, bounds: AnswerBounds = {}): Dispatch {
  return async (name, input) => {
    if (typeof name !== 'string' || !isCallName(name)) return fail('unknown-call', `unknown call: ${String(name).slice(0, 80)}`);
    const parsed = schemas[name].safeParse(input ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return fail('invalid-input', `${name}: ${first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'invalid input'}`);
    }
    const started = performance.now();
    try {
      const handler = handlers[name] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      const bounded = boundAnswer(name, value, bounds);
      const ms = performance.now() - started;
      if (ms > SLOW_MS) log(`slow call ${name}: ${ms.toFixed(0)} ms`);
      if (!bounded.ok) {
        log(`call ${name} refused: answer of ${bounded.chars} characters, over ${bounded.max}`);
        return fail('too-large', `${name}: the answer is larger than ${(bounded.max / 1024 / 1024).toFixed(0)} MB; narrow the filter or the time window`);
      }
      return ok(bounded.value);
    } catch (err) {
      if (err instanceof ApiFailure) return fail(err.kind, err.message);
      log(`call ${name} failed: ${toLogFormat(err)}`);
      // The message crosses to the page (and into screenshots and tickets): redacted like the log line.
      return fail('internal', err instanceof Error ? toLogFormat(err).slice(0, 500) : 'internal error');
    }
  };
}
