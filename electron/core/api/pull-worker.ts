// Runs one live pull on a worker thread so the API keeps answering while AWS is read. The worker
// opens its own connection to the case (WAL: the API's reads never wait on this writer) and
// resolves credentials itself through the standard chain: nothing secret is passed in or out.
// Before anything is written it asks STS who these credentials are, and refuses to pull if that is
// not the account the dialog showed ("Check account"); the pull then runs on those same credentials.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../db/open-case.ts';
import { pullAccount, parseWhen, redact, type PullEvent, type PullReport, type CollectorGroup, type AthenaOptions } from '../pull/index.ts';
import { toLogFormat } from '../log-format.ts';
import { callerOf, identityChain, IdentityError, whoLabel } from '../pull/identity.ts';

export type PullWorkerIn = {
  casePath: string;
  profile?: string;
  regions: string[];
  since: string;
  until?: string;
  what: CollectorGroup[];
  trailBucket?: string;
  athena?: AthenaOptions;
  /**
   * The account "Check account" showed; the pull refuses to run as any other. `pull:start` always
   * sends it; absent (a direct caller of this worker) the pull runs as whoever the chain gives.
   */
  account?: string;
};
export type PullWorkerOut =
  | { type: 'event'; event: PullEvent }
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
    // One provider for the check and the pull: the SDK memoizes it, so both run as the same identity.
    const credentials = identityChain(input.profile);
    const region = input.regions.find((r) => r !== 'all') ?? 'us-east-1';
    const who = input.account ? await callerOf(credentials, input.profile, { region, signal: controller.signal }) : null;
    if (who && who.account !== input.account) {
      throw new IdentityError(
        `Refused to pull: ${whoLabel(input.profile)} now signs in to account ${who.account} (${who.arn}), not account ${input.account} shown by "Check account". Check the account again before pulling.`,
      );
    }
    return pullAccount(
      db,
      { profile: input.profile, credentials, regions: input.regions, since, until, what: input.what, trailBucket: input.trailBucket, athena: input.athena },
      {
        signal: controller.signal,
        onEvent: (event) => {
          // The pull's own GetCallerIdentity: if it somehow differs from the check, stop before any collector has run far.
          if (event.kind === 'account' && input.account && event.account !== input.account) {
            controller.abort(new IdentityError(`Refused to pull: the credentials now lead to account ${event.account}, not ${input.account}.`));
          }
          port.postMessage({ type: 'event', event } satisfies PullWorkerOut);
        },
      },
    );
  };
  const refused = () => (controller.signal.reason instanceof IdentityError ? controller.signal.reason : null);
  const fail = (err: unknown) => port.postMessage({ type: 'failed', error: redact(toLogFormat(err)) } satisfies PullWorkerOut);
  run()
    .then((report) => (refused() ? fail(refused()) : port.postMessage({ type: 'done', report } satisfies PullWorkerOut)))
    .catch((err: unknown) => fail(refused() ?? err))
    .finally(() => {
      db.close();
      port.close();
    });
}
