// What every collector gets: clients, the case sink, the window, and a tracker per collector and
// region that counts requests, retries and throttling and reports progress.
import type { Clients } from './clients.ts';
import { withRetry } from './retry.ts';
import { AccessDeniedError } from './errors.ts';
import { errorText } from './redact.ts';
import type { PullOptions, PullProgress, PullSink } from './types.ts';

export type PullContext = {
  clients: Clients;
  sink: PullSink;
  account: string;
  since: Date;
  until: Date;
  options: PullOptions;
  signal?: AbortSignal;
  track(collector: string, region: string): Tracker;
};

export class Tracker {
  readonly progress: PullProgress;
  readonly #emit: (p: PullProgress) => void;
  readonly #options: PullOptions;
  readonly #signal?: AbortSignal;
  /** What the user must still read when the collector is done (a part it could not do); a retry's note is not. */
  #warning?: string;

  constructor(collector: string, region: string, emit: (p: PullProgress) => void, options: PullOptions, signal?: AbortSignal) {
    this.progress = { collector, region, status: 'running', stored: 0, duplicates: 0, rejected: 0, requests: 0, retries: 0, throttled: 0 };
    this.#emit = emit;
    this.#options = options;
    this.#signal = signal;
  }

  emit(): void {
    this.#emit({ ...this.progress });
  }

  /** A lasting note: part of the work could not be done, the rest went on. Kept as the message when done. */
  warn(text: string): void {
    this.#warning = this.#warning ? `${this.#warning}; ${text}` : text;
    this.progress.message = this.#warning;
    this.emit();
  }

  added(counts: { stored: number; duplicates: number; rejected?: number }): void {
    this.progress.stored += counts.stored;
    this.progress.duplicates += counts.duplicates;
    this.progress.rejected += counts.rejected ?? 0;
    this.emit();
  }

  /** One AWS call with retries; `permission` is named if the call is denied. */
  call<T>(permission: string, send: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    return withRetry(
      (signal) => {
        this.progress.requests++;
        return send(signal);
      },
      {
        permission,
        signal: this.#signal,
        ...this.#options.retry,
        onRetry: (info) => {
          this.progress.retries++;
          if (info.throttled) this.progress.throttled++;
          this.progress.message = `retrying after ${info.reason} (${info.delayMs} ms)`;
          this.emit();
        },
      },
    );
  }

  /** Runs a collector body and records how it ended; never throws (except on cancel) so the others go on. */
  async run(body: () => Promise<void>): Promise<PullProgress> {
    this.emit();
    try {
      await body();
      this.progress.status = 'done';
      this.progress.message = this.#warning;
    } catch (err) {
      if (this.#signal?.aborted) {
        this.progress.status = 'cancelled';
        this.progress.message = 'cancelled';
      } else if (err instanceof AccessDeniedError) {
        this.progress.status = 'denied';
        this.progress.permission = err.permission;
        this.progress.message = err.message;
      } else {
        this.progress.status = 'failed';
        this.progress.message = errorText(err);
      }
    }
    this.emit();
    return { ...this.progress };
  }
}
