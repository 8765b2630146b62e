// The one gate every API call passes, whatever the transport (Electron IPC or the loopback server):
// refuse names outside the contract, parse the input with the contract's schema, and turn any
// thrown error into a Result so nothing is thrown across the bridge.
import { isCallName, schemas, fail, ok } from '../../../shared/api/index.ts';
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

export function createDispatcher(handlers: Handlers, log: (line: string) => void = () => {}): Dispatch {
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
      const ms = performance.now() - started;
      if (ms > SLOW_MS) log(`slow call ${name}: ${ms.toFixed(0)} ms`);
      return ok(value);
    } catch (err) {
      if (err instanceof ApiFailure) return fail(err.kind, err.message);
      log(`call ${name} failed: ${toLogFormat(err)}`);
      // The message crosses to the page (and into screenshots and tickets): redacted like the log line.
      return fail('internal', err instanceof Error ? toLogFormat(err).slice(0, 500) : 'internal error');
    }
  };
}
