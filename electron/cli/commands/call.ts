// trailscope call --case FILE NAME [JSON|-]: any call of the app's contract, answered by the same
// service, its answer printed as JSON. What the app can ask, the command line can ask: the calls that
// have no command of their own (saved layouts, field chunks, job status) included. A call that starts
// a job (import, pull) waits for it to end and prints its final status.
import { readFileSync } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { CALL_NAMES, isCallName, type CallName } from '../../../shared/api/index.ts';
import type { Invoke } from '../../core/api/service.ts';
import type { JobStatus } from '../../../shared/api/types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

// An input is a few filters and ids; a megabyte is far beyond any the contract accepts.
const INPUT_BYTES = 1024 * 1024;
const JOB_POLL_MS = 250;
// Calls that change the case: the case is opened for writing only for these.
const WRITES: ReadonlySet<CallName> = new Set<CallName>([
  'graph:savePositions', 'import:start', 'pull:start', 'notes:add', 'notes:remove', 'findings:suppress', 'findings:unsuppress', 'sigma:load', 'sigma:remove', 'views:save', 'views:remove',
]);

export const command: CliCommand = {
  name: 'call',
  summary: 'Any call of the app\'s API with a JSON input, answered as JSON (trailscope call --list names them)',
  usage: 'trailscope call --case FILE NAME [JSON | -]   (or: trailscope call --list)',
  calls: CALL_NAMES,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, list: { type: 'boolean', default: false } });
    if (values.list) {
      io.stdout.write(CALL_NAMES.join('\n') + '\n');
      return EXIT_OK;
    }
    const casePath = requireString(values.case, '--case FILE');
    const [name, inputText] = positionals;
    if (!name || positionals.length > 2) throw new UsageError('give a call name and optionally its input as JSON (or - to read it from stdin)');
    if (!isCallName(name)) throw new UsageError(`no call named '${name.slice(0, 80)}' (trailscope call --list)`);
    const input = parseInput(inputText === '-' ? readStdin() : (inputText ?? '{}'));
    return withCase(casePath, { writes: WRITES.has(name) }, async (invoke) => {
      const answer = await (invoke as (n: CallName, i: unknown) => Promise<unknown>)(name, input);
      const jobId = name === 'import:start' || name === 'pull:start' ? (answer as { jobId: string }).jobId : null;
      if (!jobId) {
        io.stdout.write(JSON.stringify(answer) + '\n');
        return EXIT_OK;
      }
      const status = await waitForJob(invoke, jobId, io.signal, (s) => io.stderr.write(`${s.state}: ${s.records} records, ${s.flows} flows, ${s.filesDone} files${s.current ? `, ${safe(s.current)}` : ''}\n`));
      io.stdout.write(JSON.stringify(status) + '\n');
      return status.state === 'done' ? EXIT_OK : EXIT_FAILURE;
    });
  },
};

function readStdin(): string {
  const buf = readFileSync(0);
  if (buf.length > INPUT_BYTES) throw new UsageError(`the input is over ${INPUT_BYTES} bytes`);
  return buf.toString('utf8');
}

function parseInput(text: string): unknown {
  if (Buffer.byteLength(text) > INPUT_BYTES) throw new UsageError(`the input is over ${INPUT_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the input is not JSON: ${(err as Error).message}`);
  }
}

async function waitForJob(invoke: Invoke, jobId: string, signal: AbortSignal, report: (s: JobStatus) => void): Promise<JobStatus> {
  let last = '';
  for (;;) {
    const status = await invoke('job:status', { jobId });
    const line = `${status.state}|${status.records}|${status.filesDone}`;
    if (line !== last) report(status);
    last = line;
    if (status.state !== 'running') return status;
    if (signal.aborted) await invoke('job:cancel', { jobId });
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
  }
}
