// The one service, as a typed function: `invoke(name, input)` answers a contract call with its value
// or throws a ServiceError carrying the contract's error kind. It runs over the same dispatcher as
// Electron IPC and the loopback server (schema parsing, answer bounds, error mapping), so the CLI and
// the app cannot disagree about what a call means.
import type { ApiErrorKind, ApiResults, CallInput, CallName } from '../../../shared/api/index.ts';
import type { Dispatch } from './dispatch.ts';

export type Invoke = <K extends CallName>(name: K, input: CallInput<K>) => Promise<ApiResults[K]>;

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function invokeThrough(dispatch: Dispatch): Invoke {
  return async <K extends CallName>(name: K, input: CallInput<K>) => {
    const result = await dispatch(name, input);
    if (!result.ok) throw new ServiceError(result.error.kind, result.error.message);
    return result.value as ApiResults[K];
  };
}
