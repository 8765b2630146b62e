// A small strict flag parser over node:util parseArgs: unknown flags are usage errors, not ignored.
import { parseArgs } from 'node:util';
import { UsageError } from './command.ts';
import { MAX_ACCOUNT_FILTER } from '../../shared/api/schemas.ts';

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function requireString(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing ${flag}`);
  return value;
}

/** An optional whole-number flag within bounds. */
export function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}`);
  return n;
}

/**
 * An optional time flag as the contract's ISO 8601 instant: the CLI also takes epoch milliseconds and
 * the shorter forms Date.parse reads (2024-08-01, 2024-08-01T12:00Z).
 */
export function timeFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new UsageError(`${flag}: not a time: '${value}' (use ISO 8601, e.g. 2024-08-01T12:00:00Z)`);
  return new Date(ms).toISOString();
}

/**
 * `--account ID` given once or more, each a 12-digit id or a comma list of them, as the contract's
 * account filter (at most MAX_ACCOUNT_FILTER ids); absent: undefined, every account.
 */
export function accountsFlag(values: string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined;
  const ids = [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
  for (const id of ids) if (!/^\d{12}$/.test(id)) throw new UsageError(`--account: '${id}' is not a 12-digit account id`);
  if (ids.length > MAX_ACCOUNT_FILTER) throw new UsageError(`--account: at most ${MAX_ACCOUNT_FILTER} accounts`);
  return ids.length ? ids : undefined;
}
