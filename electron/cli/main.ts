// Entry of the `trailscope` command line: dispatches to a subcommand and maps errors to exit codes.
import { COMMANDS } from './commands/index.ts';
import { EXIT_FAILURE, EXIT_USAGE, UsageError, type CliIo } from './command.ts';
import { toLogFormat } from '../core/log-format.ts';
import { terminalSafeStream } from '../core/export/terminal-safe.ts';
import { limitHeapGrowth } from '../core/heap-growth.ts';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'trailscope: investigate AWS incidents from CloudTrail, VPC flow logs and configuration, offline.',
    '',
    'Usage: trailscope <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `trailscope <command> --help` for the options of one command.',
  ].join('\n');
}

export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  // Every line any command prints (paths, reasons, record values, error messages) shows control
  // characters as escapes; only the progress bar writes its own \r and erase-line to the raw stream.
  const io: CliIo = { ...rawIo, stdout: terminalSafeStream(rawIo.stdout), stderr: terminalSafeStream(rawIo.stderr), rawStderr: rawIo.rawStderr ?? rawIo.stderr };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help() + '\n');
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`trailscope: unknown command '${name}'\n\n${help()}\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`trailscope ${name}: ${err.message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`trailscope ${name}: ${toLogFormat(err)}\n`);
    return EXIT_FAILURE;
  }
}

export async function main(): Promise<void> {
  limitHeapGrowth();
  // `trailscope timeline … | head` closes the pipe early: that is the reader saying it has enough.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
  process.exitCode = code;
}
