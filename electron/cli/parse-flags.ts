// A small strict flag parser over node:util parseArgs: unknown flags are usage errors, not ignored.
import { parseArgs } from 'node:util';
import { UsageError } from './command.ts';

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
