// Runs one live pull on a worker thread so the API keeps answering while AWS is read. The worker
// opens its own connection to the case (WAL: the API's reads never wait on this writer) and
// resolves credentials itself through the standard chain: nothing secret is passed in or out.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/open-case.ts';
import { pullAccount, parseWhen, redact, type PullProgress, type PullReport, type CollectorGroup } from '../pull/index.ts';
import { toLogFormat } from '../log-format.ts';

export type PullWorkerIn = {
  casePath: string;
  profile?: string;
  regions: string[];
  since: string;
  until?: string;
  what: CollectorGroup[];
  trailBucket?: string;
};
export type PullWorkerOut =
  | { type: 'progress'; progress: PullProgress }
  | { type: 'done'; report: PullReport }
  | { type: 'failed'; error: string };

const port = parentPort;
if (port) {
  const input = workerData as PullWorkerIn;
  const controller = new AbortController();
  port.on('message', (m: { type: string }) => {
    if (m.type === 'cancel') controller.abort(new Error('cancelled by the user'));
  });
  const db = openCase(input.casePath, { cacheMiB: 128 });
  const run = async () => {
    const now = Date.now();
    const since = parseWhen(input.since, now);
    const until = input.until ? parseWhen(input.until, now) : new Date(now);
    if (since >= until) throw new Error('the window is empty: "since" must be before "until"');
    return pullAccount(
      db,
      { profile: input.profile, regions: input.regions, since, until, what: input.what, trailBucket: input.trailBucket },
      { signal: controller.signal, onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies PullWorkerOut) },
    );
  };
  run()
    .then((report) => port.postMessage({ type: 'done', report } satisfies PullWorkerOut))
    .catch((err: unknown) => port.postMessage({ type: 'failed', error: redact(toLogFormat(err)) } satisfies PullWorkerOut))
    .finally(() => {
      db.close();
      port.close();
    });
}
