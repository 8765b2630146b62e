// Runs the `trailscope` entry (runCli) in the test's own process and collects what it prints.
import { PassThrough } from 'node:stream';
import { runCli } from '../electron/cli/main.ts';

export type CliOutput = { code: number; out: string; err: string };

export async function runTrailscope(args: string[]): Promise<CliOutput> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(args, { stdout, stderr, signal: new AbortController().signal });
  return { code, out, err };
}
