// Runs a real ingest of hostile inputs placed beside known good ones, into a real case file, and
// measures it: peak resident memory (the readers are threads of this process, so they count) and
// wall time. Tests assert generous ceilings on both and exact counts for the good files.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { normalizeConfig } from '../electron/core/ingest/normalize/index.ts';
import { ingestPaths, type IngestOptions, type IngestSummary, type SourceSummary } from '../electron/core/ingest/pipeline.ts';
import { count, flowCount, tempCase, type TempCase } from './temp-case.ts';
import { REAL } from './real-data.ts';

const STRATUS = join(REAL, 'stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json');
const SECURITY_GROUPS = join(REAL, 'cloudmapper-demo/account-data/demo/us-east-1/ec2-describe-security-groups.json');
const FLOW_LINES = [
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
  '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
];

/** What the good files hold, counted without the pipeline. */
export const GOOD = {
  events: (JSON.parse(readFileSync(STRATUS, 'utf8')) as unknown[]).length,
  flows: FLOW_LINES.length,
  versions: normalizeConfig('describe-security-groups', JSON.parse(readFileSync(SECURITY_GROUPS, 'utf8')), 0).versions.length,
};

export type HostileRun = {
  c: TempCase;
  input: string;
  summary: IngestSummary;
  peakRssMiB: number;
  seconds: number;
  source(nameEnd: string): SourceSummary;
};

/**
 * Writes `files` (relative path → content) into an input folder beside the good files (`good/…`),
 * ingests the folder and measures the run. `prepare` may add more (links, say) before the ingest.
 */
export async function ingestBeside(
  label: string,
  files: Record<string, string | Buffer>,
  options: IngestOptions = {},
  prepare?: (input: string, c: TempCase) => void,
): Promise<HostileRun> {
  const c = tempCase(label);
  const input = join(c.dir, 'evidence');
  mkdirSync(join(input, 'good'), { recursive: true });
  copyFileSync(STRATUS, join(input, 'good/stratus.json'));
  writeFileSync(join(input, 'good/flows.log.gz'), gzipSync(FLOW_LINES.join('\n') + '\n'));
  copyFileSync(SECURITY_GROUPS, join(input, 'good/security-groups.json'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(input, name)), { recursive: true });
    writeFileSync(join(input, name), content);
  }
  prepare?.(input, c);

  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  const started = performance.now();
  let summary: IngestSummary;
  try {
    summary = await ingestPaths(c.db, [input], options);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  const peakRssMiB = Math.round(peak / 2 ** 20);
  console.log(`# ${label}: ${seconds.toFixed(1)} s, peak RSS ${peakRssMiB} MiB, ${summary.sources.length} sources`);
  const source = (nameEnd: string) => {
    const found = summary.sources.find((s) => s.path.endsWith(nameEnd));
    assert.ok(found, `no source ${nameEnd} in ${summary.sources.map((s) => s.path).join(', ')}`);
    return found;
  };
  return { c, input, summary, peakRssMiB, seconds, source };
}

/**
 * The good files beside the hostile ones were stored exactly, each once, in the same run. `extra`:
 * records the hostile files hold beside their bad ones (kept, as after any mid-file failure).
 */
export function assertGoodStored(run: HostileRun, extra: { events?: number; flows?: number } = {}): void {
  const { c, source } = run;
  assert.equal(source('good/stratus.json').status, 'done');
  assert.equal(source('good/stratus.json').stored, GOOD.events);
  assert.equal(source('good/flows.log.gz').status, 'done');
  assert.equal(source('good/flows.log.gz').stored, GOOD.flows);
  assert.equal(source('good/security-groups.json').status, 'done');
  assert.equal(source('good/security-groups.json').stored, GOOD.versions);
  assert.equal(count(c.db, 'events'), GOOD.events + (extra.events ?? 0));
  assert.equal(flowCount(c.db), GOOD.flows + (extra.flows ?? 0));
  assert.equal(count(c.db, 'resource_versions'), GOOD.versions);
}

/**
 * A gzip of `head`, `unit` repeated `count` times, then `tail`, built from concatenated gzip members
 * (gunzip reads them as one stream): a 2 MB file that decodes to gigabytes costs nothing to make.
 */
export function gzipRepeat(head: string, unit: string, count: number, tail: string): Buffer {
  const perBlock = Math.max(1, Math.floor((1 << 21) / unit.length));
  const block = gzipSync(unit.repeat(perBlock), { level: 9 });
  const parts = [gzipSync(head)];
  for (let left = count; left > 0; left -= perBlock) parts.push(left >= perBlock ? block : gzipSync(unit.repeat(left), { level: 9 }));
  parts.push(gzipSync(tail));
  return Buffer.concat(parts);
}
