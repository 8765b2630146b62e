// A rate limiter that guarantees at most `limit` requests reach the service in any window of
// `windowMs`, whatever the jitter between granting a request and its arrival. A request arrives
// somewhere between its grant and its completion (response or failure), so the next-but-`limit`
// request is granted only `windowMs` after that earlier request *completed*: arrival times can then
// never crowd into one window, even when the event loop or a new connection delays a departure.
// The cost is one round trip per window (about 1% at 10 ms, more on a slow link): never throttled
// beats a little faster. A request that ended without an answer (cancelled, timed out, its connection
// lost) may not have arrived yet when the client gives up on it (its bytes on the way, or, with the
// service in the same process, read after the timer fired), so its slot is held one window longer. CloudTrail LookupEvents allows 2 requests per second per account and
// region; one Pacer per region.
import { abortableSleep } from './sleep.ts';

export type PacerOptions = { limit: number; windowMs: number; now?: () => number };

type Slot = { done: number; finished: Promise<void>; finish: () => void };

export class Pacer {
  readonly #limit: number;
  readonly #window: number;
  readonly #now: () => number;
  /** The last `limit` requests, oldest first; done is Infinity while a request is in flight. */
  readonly #slots: Slot[] = [];
  /** Serialises waiters so grants are handed out in call order. */
  #queue: Promise<void> = Promise.resolve();
  /** Requests granted so far (every attempt, retries included). */
  granted = 0;

  constructor(options: PacerOptions) {
    this.#limit = options.limit;
    this.#window = options.windowMs;
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  /**
   * Resolves when one more request may go out, with the function to call when it completes: with
   * `answered` false when it ended without the service's answer.
   */
  acquire(signal?: AbortSignal): Promise<(answered?: boolean) => void> {
    const turn = this.#queue.then(() => this.#wait(signal));
    // A rejected turn (aborted) must not block the callers behind it.
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  async #wait(signal?: AbortSignal): Promise<(answered?: boolean) => void> {
    signal?.throwIfAborted();
    if (this.#slots.length >= this.#limit) {
      const oldest = this.#slots[this.#slots.length - this.#limit];
      if (oldest.done === Number.POSITIVE_INFINITY) await abortable(oldest.finished, signal);
      // A timer may fire a little before its delay by this clock (Node counts from the loop's cached
      // time and whole milliseconds), so the wait is checked again until the window has passed.
      const until = oldest.done + this.#window;
      for (let delay = until - this.#now(); delay > 0; delay = until - this.#now()) await abortableSleep(delay, signal);
    }
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const slot: Slot = { done: Number.POSITIVE_INFINITY, finished, finish };
    this.#slots.push(slot);
    if (this.#slots.length > this.#limit) this.#slots.shift();
    this.granted++;
    return (answered = true) => {
      if (slot.done !== Number.POSITIVE_INFINITY) return;
      slot.done = this.#now() + (answered ? 0 : this.#window);
      slot.finish();
    };
  }
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
