// A sliding-window rate limiter: at most `limit` grants in any window of `windowMs` (+ a safety
// margin, because the service measures arrival, not departure, and clocks and sockets jitter).
// CloudTrail LookupEvents allows 2 requests per second per account and region; one Pacer per region.
import { abortableSleep } from './sleep.ts';

export type PacerOptions = { limit: number; windowMs: number; safetyMs?: number; now?: () => number };

export class Pacer {
  readonly #limit: number;
  readonly #span: number;
  readonly #now: () => number;
  /** Times of the last `limit` grants, oldest first. */
  readonly #grants: number[] = [];
  /** Serialises waiters so grants are handed out in call order. */
  #queue: Promise<void> = Promise.resolve();
  /** Requests granted so far (every attempt, retries included). */
  granted = 0;

  constructor(options: PacerOptions) {
    this.#limit = options.limit;
    this.#span = options.windowMs + (options.safetyMs ?? 25);
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  /** Resolves when one more request may go out; rejects if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(signal));
    // A rejected turn (aborted) must not block the callers behind it.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#grants.length >= this.#limit) {
      const oldest = this.#grants[this.#grants.length - this.#limit];
      const delay = oldest + this.#span - this.#now();
      if (delay > 0) await abortableSleep(delay, signal);
    }
    this.#grants.push(this.#now());
    if (this.#grants.length > this.#limit) this.#grants.shift();
    this.granted++;
  }
}
