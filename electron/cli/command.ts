import type { CallName } from '../../shared/api/index.ts';

// The shape every `trailscope` subcommand takes. Commands parse their own flags with parse-flags.ts
// and return an exit code: 0 success, 2 usage error, 3 partial success (some inputs rejected), 1 failure.
export type CliIo = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Aborted on Ctrl-C, so long jobs stop between batches and leave the case consistent. */
  signal: AbortSignal;
  /**
   * stderr before the terminal-safe wrapper (runCli wraps stdout and stderr): for the progress bar's
   * own carriage returns and erase-line, which carry numbers only.
   */
  rawStderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
};

export type CliCommand = {
  name: string;
  summary: string;
  usage: string;
  /** The contract calls the command makes (through case-service.ts): the app and the CLI reach the same answers. */
  calls: readonly CallName[];
  /**
   * Contract calls whose engine the command runs in its own process instead, and why (ingest and pull
   * stream progress to the terminal and stop cleanly on Ctrl-C; the app runs the same engine as a job).
   */
  mirrors?: { calls: readonly CallName[]; why: string };
  run(argv: string[], io: CliIo): Promise<number>;
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_PARTIAL = 3;

/** A usage mistake: printed with the command's usage line and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
