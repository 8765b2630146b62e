// Retries for every AWS call of a pull. The SDK clients run with maxAttempts 1 so that every attempt
// goes through this loop and, for LookupEvents, through the pacer middleware (clients.ts): retries
// are counted, cancellable and paced like first attempts. Throttling, 5xx, timeouts and dropped connections
// are retried with capped exponential backoff and full jitter; anything else is returned at once.
import { abortableSleep } from './sleep.ts';
import { AccessDeniedError, isAccessDenied } from './errors.ts';

export type RetryOptions = {
  signal?: AbortSignal;
  /** The IAM permission the call needs, named in the error if it is denied. */
  permission: string;
  maxAttempts?: number;
  baseMs?: number;
  capMs?: number;
  /** Called before each wait so progress can say why the pull is slower. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; throttled: boolean }) => void;
};

const THROTTLE_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
]);

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

type SdkLikeError = {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
};

export function errorCode(err: unknown): string {
  const e = err as SdkLikeError;
  return e?.Code ?? e?.code ?? e?.name ?? 'Error';
}

export function isThrottle(err: unknown): boolean {
  const e = err as SdkLikeError;
  return THROTTLE_CODES.has(errorCode(err)) || THROTTLE_CODES.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

export function isTransient(err: unknown): boolean {
  const e = err as SdkLikeError;
  if (isThrottle(err)) return true;
  if (TRANSIENT_CODES.has(errorCode(err)) || TRANSIENT_CODES.has(e?.name ?? '')) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (e?.$fault === 'server') return true;
  // Node's http client reports a dropped connection with these messages and no code.
  return /socket hang up|ECONNRESET|other side closed|premature close|aborted/i.test(e?.message ?? '');
}

export async function withRetry<T>(call: (signal?: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 12;
  const base = options.baseMs ?? 250;
  const cap = options.capMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await call(options.signal);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (isAccessDenied(err)) throw new AccessDeniedError(options.permission, err);
      if (!isTransient(err) || attempt >= maxAttempts) throw err;
      const throttled = isThrottle(err);
      // Full jitter: spreads parallel regions apart instead of retrying in lockstep.
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1) * (throttled ? 2 : 1));
      const delayMs = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      options.onRetry?.({ attempt, delayMs, reason: errorCode(err), throttled });
      await abortableSleep(delayMs, options.signal);
    }
  }
}
