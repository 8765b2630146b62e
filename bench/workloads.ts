// The CloudTrail workloads the ingest and CLI benchmarks measure: one busy account (60 users, 60
// instances, 20 Lambda functions, 8 CI pipelines) in two shapes. Typical: temporary keys make about
// 50 calls each (instance keys rotated hourly, a key per Lambda cold start and per CI run). Worst:
// a new key for every call. The ingest also reads the typical account from files of ten records, from
// a JSON Lines export, from Security Lake's OCSF export, spread over 90 days, and as one of an
// organisation trail's twenty accounts, and with S3 data events; and the worst with ECS tasks, each
// key's session named per task, and with none of its keys' issues in the files.
// Generated data and ingested cases are cached under bench/out/.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAccount, type GenerateSummary } from '../tools/gen/generate.ts';
import type { AccountShape } from '../tools/gen/types.ts';
import { rewriteAsJsonLines } from './json-lines-export.ts';
import { asSecurityLakeOcsf } from '../test-support/security-lake-ocsf.ts';

export const OUT = new URL('./out/', import.meta.url).pathname;

const ACCOUNT = { users: 60, instances: 60, seed: 1 };
const CHURN: AccountShape = { instanceKeyHours: 1, lambdas: 20, ciPipelines: 8 };

export const WORKLOADS = {
  realistic: { label: 'sessions of ~50 calls (typical)', shape: { ...CHURN, callsPerKey: 50 } },
  'one-key-per-call': { label: 'a new key for every call (worst)', shape: { ...CHURN, callsPerKey: 1 } },
  // The typical account as a quiet region delivers it: files of a few records, ten times as many files.
  'small-files': { label: 'files of 10 records (typical keys)', shape: { ...CHURN, callsPerKey: 50, recordsPerFile: 10 } },
  // The typical account as another tool exports it: JSON Lines files of 100,000 records, streamed.
  exported: { label: 'JSON Lines export (typical keys)', shape: { ...CHURN, callsPerKey: 50 }, jsonLinesPerFile: 100_000 },
  // The typical account as Security Lake keeps it: OCSF events exported as JSON Lines files of 100,000.
  'security-lake': { label: 'Security Lake (OCSF) JSON Lines export (typical keys)', shape: { ...CHURN, callsPerKey: 50 }, jsonLinesPerFile: 100_000, ocsf: true },
  // The typical account over 90 days instead of one, as real cases span: the same calls in many more,
  // smaller files, and a new instance key every hour of the 90 days, so many more credentials of a few calls each.
  months: { label: 'typical keys over 90 days', shape: { ...CHURN, callsPerKey: 50 }, hours: 90 * 24 },
  // The typical account as one of an organisation trail's twenty (AWSLogs/o-…/<account>/…): the same
  // number of calls spread over twenty accounts, each with its own users, instances and churn, so each
  // account's regions deliver their own, smaller files, and many more credentials of a few calls each.
  organization: { label: 'an organisation of 20 accounts (typical keys)', shape: { ...CHURN, callsPerKey: 50, accounts: 20 } },
  // A new key for every call, and 20 ECS services beside the churn above, whose every task's session is
  // named after the task: a session name of its own for each of their keys, as ECS, CodeBuild,
  // Terraform and the SDKs' default names give them.
  'task-sessions': { label: 'a new key for every call, ECS tasks named per task', shape: { ...CHURN, ecsServices: 20, callsPerKey: 1 } },
  // A new key for every call, none of them issued in the files: the calls that issued them are left out,
  // as an export filtered to the services under investigation, a window that starts after the keys were
  // issued, or roles assumed through another account's trail deliver them. Each key is then resolved by
  // inference (the session's name, a console sign-in, the role's other issues) instead of by its issue.
  'unrecorded-issues': { label: 'a new key for every call, none issued in the files', shape: { ...CHURN, callsPerKey: 1, unrecordedIssues: 1 } },
  // The typical account whose trail logs S3 data events: half the calls of its instances, functions and
  // tasks read or write objects, each write a new object, so the case names many more resources.
  'data-events': { label: 'typical keys, S3 data events', shape: { ...CHURN, callsPerKey: 50, s3DataEvents: 0.5 } },
} satisfies Record<string, { label: string; shape: AccountShape; jsonLinesPerFile?: number; ocsf?: boolean; hours?: number }>;

export type Workload = keyof typeof WORKLOADS;
/** The two credential shapes every benchmark measures. */
export const WORKLOAD_NAMES: Workload[] = ['realistic', 'one-key-per-call'];
/**
 * bench:ingest measures the files' shape too: the same records cost more read from many small files,
 * and are streamed from an export's large files.
 */
export const INGEST_WORKLOAD_NAMES: Workload[] = [...WORKLOAD_NAMES, 'small-files', 'exported', 'security-lake', 'months', 'organization', 'task-sessions', 'unrecorded-issues', 'data-events'];

/** The fewest flow records the generator accepts (the planted incident's own). */
export const MIN_FLOWS = 400;

/**
 * Generated data of a workload (generated once, then reused), with the generator's summary.
 * `config: false` leaves out the configuration snapshots (an account with CloudTrail and flow logs only).
 */
export async function generated(workload: Workload, events: number, flows = MIN_FLOWS, { config = true } = {}): Promise<{ dir: string; summary: GenerateSummary }> {
  const dir = join(OUT, `gen-${workload}-${events}-${flows}${config ? '' : '-noconfig'}`);
  const done = join(dir, 'summary.json');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const t = performance.now();
    const spec: { shape: AccountShape; jsonLinesPerFile?: number; ocsf?: boolean; hours?: number } = WORKLOADS[workload];
    const summary = await generateAccount({ ...ACCOUNT, events, flows, out: dir, ...(spec.hours ? { hours: spec.hours } : {}), shape: { ...spec.shape, config } });
    if (spec.jsonLinesPerFile) await rewriteAsJsonLines(dir, spec.jsonLinesPerFile, spec.ocsf ? asSecurityLakeOcsf : undefined);
    console.error(`generated ${workload}: ${events.toLocaleString('en-US')} events, ${flows.toLocaleString('en-US')} flow records in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    // Written last: a directory without it is an interrupted run and is generated again.
    writeFileSync(done, JSON.stringify(summary));
  }
  return { dir, summary: JSON.parse(readFileSync(done, 'utf8')) };
}

/** Generated data of a workload at this size already on disk (any flow count), else null. */
export function existingData(workload: Workload, events: number): string | null {
  if (!existsSync(OUT)) return null;
  const name = readdirSync(OUT).find((d) => d.startsWith(`gen-${workload}-${events}-`) && !d.endsWith('-noconfig') && existsSync(join(OUT, d, 'summary.json')));
  return name ? join(OUT, name) : null;
}

/** Where the CloudTrail (and configuration) case of a workload is kept once ingested. */
export function casePath(workload: Workload, events: number, { config = true } = {}): string {
  return join(OUT, `case-${workload}-${events}${config ? '' : '-noconfig'}.case`);
}
