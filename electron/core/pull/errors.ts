// Errors a pull reports to the user. Every message passes through redact() on its way out.
import { errorText, redact } from './redact.ts';

const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
]);

export function isAccessDenied(err: unknown): boolean {
  if (err instanceof AccessDeniedError) return true;
  const e = err as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e?.Code ?? e?.code ?? e?.name ?? '';
  return DENIED_CODES.has(code) || DENIED_CODES.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 403;
}

/** A collector could not run because the credentials lack one permission; the others go on. */
export class AccessDeniedError extends Error {
  readonly permission: string;
  constructor(permission: string, cause: unknown) {
    super(redact(`access denied: needs ${permission} (${errorText(cause)})`));
    this.name = 'AccessDeniedError';
    this.permission = permission;
  }
}

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (err as { name?: string })?.name === 'AbortError';
}
