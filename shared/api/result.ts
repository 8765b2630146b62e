// Every API answer crosses the bridge (IPC or HTTP) as a value, never as a thrown error, so the
// renderer handles failures in one shape whatever the transport.
export type ApiErrorKind = 'invalid-input' | 'unknown-call' | 'not-found' | 'no-case' | 'busy' | 'internal' | 'unauthorized' | 'too-large';

export type ApiError = { kind: ApiErrorKind; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(kind: ApiErrorKind, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { kind, message } };
}
