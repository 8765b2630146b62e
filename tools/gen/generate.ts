// generateAccount: writes CloudTrail, flow logs, config snapshots and incident.json for a synthetic
// account. Deterministic: same options give byte-identical files (seeded PRNG, fixed base time).
import { mkdir } from 'node:fs/promises';
import type { GenerateOptions, GenerateSummary, Region } from './types.ts';
import { checkShape, maskAccessKey, memberAccounts } from './shape.ts';
import { createRng, hashString, ALNUM } from './prng.ts';
import type { Rng } from './prng.ts';
import { buildAccount } from './model.ts';
import { Traffic } from './background.ts';
import { buildIncident, planIncident } from './incident.ts';
import { buildBaseline, planBaseline } from './baseline.ts';
import { FLOW_HEADER, FlowTraffic } from './flows.ts';
import type { FlowLine } from './flows.ts';
import type { CloudTrailRecord } from './records.ts';
import { globalConfig, regionConfig } from './config.ts';
import type { KeyUse } from './config.ts';
import { GzipSink } from './sink.ts';
import { generatorSigningKey, signDigest } from './digest-signing.ts';
import { compactMinute, datePath, isoSeconds } from './time-ip.ts';

export type { GenerateOptions, GenerateSummary } from './types.ts';

export const DEFAULT_START = '2025-03-10T00:00:00Z';
const FIVE_MIN = 300_000;
const MAX_RECORDS_PER_FILE = 1000;
const DIGEST_HOURS = 3;

export async function generateAccount(options: GenerateOptions): Promise<GenerateSummary> {
  const hours = options.hours ?? 24;
  if (!(hours >= 6)) throw new Error('--hours must be at least 6 (the planted incident spans about four hours)');
  const startMs = Date.parse(options.start ?? DEFAULT_START);
  if (Number.isNaN(startMs)) throw new Error(`bad --start ${options.start}`);
  const endMs = startMs + hours * 3600_000;
  const seed = options.seed ?? 1;
  const master = createRng(typeof seed === 'number' ? seed : hashString(String(seed)));
  // Independent streams, so that changing one count does not move the ids of everything else.
  const rngModel = master.fork('model');
  const rngIncident = master.fork('incident');
  const rngTraffic = master.fork('traffic');
  const rngFlows = master.fork('flows');
  const rngFiles = master.fork('files');
  const rngConfig = master.fork('config');
  // Forked after the others, so an account without a shape draws exactly what it always did.
  const rngShape = master.fork('shape');
  const shape = checkShape(options.shape);
  const shaped = Object.keys(shape).length > 0;

  const { account, cast } = buildAccount(rngModel, { users: options.users ?? 20, instances: options.instances ?? 16, startMs });
  const plan = planIncident(startMs, endMs);
  cast.victimInstance.terminatedAt = plan.terminateMs;
  const baselinePlan = planBaseline(account, startMs, endMs);
  const incident = buildIncident(rngIncident, account, cast, plan);
  const baseline = buildBaseline(rngIncident.fork('baseline'), account, cast, baselinePlan, startMs, endMs);
  const scriptedRecords = [...incident.records, ...baseline.records];
  if (options.events < scriptedRecords.length + 10) throw new Error(`--events must be at least ${scriptedRecords.length + 10}`);
  if (options.flows < incident.flows.length + 10) throw new Error(`--flows must be at least ${incident.flows.length + 10}`);

  await mkdir(options.out, { recursive: true });
  const sink = new GzipSink(options.out, options.gzipLevel ?? 4);
  const keyUse = new Map<string, KeyUse>();
  const consoleUse = new Map<string, number>();
  const roleUse = new Map<string, KeyUse>();

  // CloudTrail.
  const traffic = new Traffic(rngTraffic, account, cast, { startMs, endMs, victimInstanceUntil: plan.victimInstanceQuietFrom, shape });
  // An organisation trail delivers every member account's records beside the management account's.
  const org = memberAccounts(rngShape.fork('members'), shape, { startMs, endMs, exclude: [account.id, account.foreignId] });
  const trails = new Map<string, CloudTrailFiles>();
  for (const id of [account.id, ...org.members.map((m) => m.account.id)]) {
    trails.set(id, new CloudTrailFiles(sink, org.id ? `AWSLogs/${org.id}/${id}` : `AWSLogs/${id}`, id, account.trailName, account.trailBucket, rngFiles, startMs,
      shape.recordsPerFile ?? MAX_RECORDS_PER_FILE));
  }
  const ct = trails.get(account.id)!;
  const traffics = [traffic, ...org.members.map((m) => m.traffic)];
  const rngRedact = rngShape.fork('redact');
  let temporaryKeys = 0;
  let redactedRecords = 0;
  const write = async (r: CloudTrailRecord, ms: number): Promise<void> => {
    await (trails.size > 1 ? trails.get(r.recipientAccountId as string)! : ct).add(r, ms);
  };
  const scripted = scriptedRecords.map((r) => ({ ms: Date.parse(r.eventTime), r })).sort((a, b) => a.ms - b.ms);
  const bgTarget = options.events - scripted.length;
  const step = (endMs - startMs) / bgTarget;
  let si = 0;
  let emitted = 0;
  const batch: CloudTrailRecord[] = [];
  const track = (r: CloudTrailRecord, ms: number): void => {
    const id = r.userIdentity as Record<string, unknown>;
    const key = id.accessKeyId as string | undefined;
    if (key && key.startsWith('AKIA') && !r.errorCode) keyUse.set(key, { ms, region: r.awsRegion, service: (r.eventSource as string).split('.')[0] });
    if (r.eventName === 'ConsoleLogin' && !r.errorMessage) consoleUse.set(id.arn as string, ms);
    const issuer = (id.sessionContext as { sessionIssuer?: { arn: string } } | undefined)?.sessionIssuer;
    if (issuer) roleUse.set(issuer.arn, { ms, region: r.awsRegion, service: '' });
    if ((r.eventName === 'AssumeRole' || r.eventName === 'AssumeRoleWithWebIdentity') && !r.errorCode) temporaryKeys++;
  };
  while (emitted < bgTarget) {
    const t = startMs + Math.floor((emitted + rngTraffic.next() * 0.9) * step);
    while (si < scripted.length && scripted[si].ms <= t) {
      track(scripted[si].r, scripted[si].ms);
      await ct.add(scripted[si].r, scripted[si].ms);
      si++;
    }
    batch.length = 0;
    const source = traffics.length > 1 ? traffics[Math.floor(rngShape.next() * traffics.length)] : traffic;
    emitted += source.step(t, batch, bgTarget - emitted);
    for (let r of batch) {
      track(r, t);
      // Masking touches background records only: the planted incident keeps its keys, so its answers hold.
      if (shape.redactedKeys && rngRedact.chance(shape.redactedKeys)) {
        const masked = maskAccessKey(r);
        if (masked !== r) redactedRecords++;
        r = masked;
      }
      await write(r, t);
    }
  }
  for (; si < scripted.length; si++) {
    track(scripted[si].r, scripted[si].ms);
    await ct.add(scripted[si].r, scripted[si].ms);
  }
  for (const trail of trails.values()) await trail.flush();

  // Flow logs.
  const fl = new FlowFiles(sink, account.id, new Map(account.vpcs.map((v) => [v.id, { region: v.region, flowLogId: v.flowLogId }])), rngFiles);
  const flowGen = new FlowTraffic(rngFlows, account);
  const flowTarget = options.flows - incident.flows.length;
  const fstep = (endMs - startMs) / flowTarget;
  let fi = 0;
  for (let n = 0; n < flowTarget; n++) {
    const t = startMs + Math.floor((n + rngFlows.next() * 0.9) * fstep);
    while (fi < incident.flows.length && incident.flows[fi].start <= t) await fl.add(incident.flows[fi++]);
    await fl.add(flowGen.next(t));
  }
  while (fi < incident.flows.length) await fl.add(incident.flows[fi++]);
  await fl.flush();

  // Digests for the first hours, then config snapshots and the ground truth.
  for (const trail of trails.values()) await trail.writeDigests();
  for (const role of account.roles) {
    const use = roleUse.get(role.arn);
    if (use) {
      role.lastUsedMs = use.ms;
      role.lastUsedRegion = use.region;
    }
  }
  const configFiles = shape.config === false ? [] : [...account.regions.flatMap((region) => regionConfig(account, rngConfig, region, endMs)), ...globalConfig(account, endMs, keyUse, consoleUse)];
  // Snapshots show the state at the end of the window, and say so through their files' times.
  for (const f of configFiles) await sink.writePlain(f.path, JSON.stringify(f.json, null, 4) + '\n', endMs);
  await sink.drain();

  const truth = {
    generator: { seed, events: options.events, flows: options.flows, users: account.users.length, instances: account.instances.length, hours, start: isoSeconds(startMs), ...(shaped ? { shape } : {}) },
    window: { start: isoSeconds(startMs), end: isoSeconds(endMs) },
    account: account.id,
    foreignAccount: account.foreignId,
    regions: account.regions,
    ...incident.truth,
    benign: baseline.truth,
    // What the shaped account holds besides the incident: the population detection has to search.
    ...(shaped ? { population: { organizationId: org.id, accounts: [...trails.keys()], temporaryKeys, redactedRecords } } : {}),
  };
  const incidentFile = 'incident.json';
  await sink.writePlain(incidentFile, JSON.stringify(truth, null, 2) + '\n');
  return {
    out: options.out,
    events: [...trails.values()].reduce((n, trail) => n + trail.records, 0),
    flows: fl.records,
    cloudTrailFiles: [...trails.values()].reduce((n, trail) => n + trail.files, 0),
    cloudTrailJsonBytes: [...trails.values()].reduce((n, trail) => n + trail.jsonBytes, 0),
    flowLogFiles: fl.files,
    digestFiles: [...trails.values()].reduce((n, trail) => n + trail.digests, 0),
    configFiles: configFiles.length,
    bytesWritten: sink.bytes,
    windowStart: isoSeconds(startMs),
    windowEnd: isoSeconds(endMs),
    incidentFile,
    temporaryKeys,
    redactedRecords,
  };
}

type Delivered = { s3Object: string; hash?: string; oldest: string; newest: string };

/** Buffers records per region for the current five-minute slot and writes them as delivered to S3. */
class CloudTrailFiles {
  private bucket = -1;
  private readonly buffers = new Map<string, { ms: number; json: string; time: string }[]>();
  private readonly delivered = new Map<string, Delivered[]>();
  records = 0;
  files = 0;
  digests = 0;
  /** Uncompressed size of the log files written. */
  jsonBytes = 0;

  constructor(
    private readonly sink: GzipSink,
    /** `AWSLogs/<account>`, or `AWSLogs/<org id>/<account>` in an organisation trail. */
    private readonly prefix: string,
    private readonly account: string,
    private readonly trail: string,
    private readonly s3Bucket: string,
    private readonly rng: Rng,
    private readonly startMs: number,
    private readonly recordsPerFile: number,
  ) {}

  async add(r: CloudTrailRecord, ms: number): Promise<void> {
    const b = Math.floor(ms / FIVE_MIN);
    if (b !== this.bucket) {
      await this.flush();
      this.bucket = b;
    }
    let buf = this.buffers.get(r.awsRegion);
    if (!buf) this.buffers.set(r.awsRegion, (buf = []));
    buf.push({ ms, json: JSON.stringify(r), time: r.eventTime });
    this.records++;
  }

  async flush(): Promise<void> {
    if (this.bucket < 0) return;
    const deliveredMs = (this.bucket + 1) * FIVE_MIN;
    for (const region of [...this.buffers.keys()].sort()) {
      const buf = this.buffers.get(region)!;
      for (let i = 0; i < buf.length; i += this.recordsPerFile) {
        const chunk = buf.slice(i, i + this.recordsPerFile);
        const name = `${this.account}_CloudTrail_${region}_${compactMinute(deliveredMs)}_${this.rng.chars(ALNUM, 16)}.json.gz`;
        const rel = `${this.prefix}/CloudTrail/${region}/${datePath(deliveredMs)}/${name}`;
        const text = '{"Records":[' + chunk.map((c) => c.json).join(',') + ']}';
        let times = chunk.map((c) => c.time);
        times = [times.reduce((a, b) => (a < b ? a : b)), times.reduce((a, b) => (a > b ? a : b))];
        let entry: Delivered | undefined;
        if (deliveredMs <= this.startMs + DIGEST_HOURS * 3600_000) {
          entry = { s3Object: rel, oldest: times[0], newest: times[1] };
          const list = this.delivered.get(region) ?? [];
          list.push(entry);
          this.delivered.set(region, list);
        }
        await this.sink.write(rel, text, entry ? (h) => (entry!.hash = h) : undefined);
        this.files++;
        this.jsonBytes += Buffer.byteLength(text);
      }
    }
    this.buffers.clear();
  }

  /**
   * Hourly digest files for the first hours, each listing the log files delivered in its hour and
   * signed as CloudTrail signs them (digest-signing.ts): a folder holds no S3 metadata, so each digest's
   * own signature reaches a reader only through the next digest's previousDigestSignature, and the fake
   * AWS (test-support/fake-aws/from-generated.ts) serves each with the same signature in its metadata.
   */
  async writeDigests(): Promise<void> {
    await this.sink.drain();
    const key = generatorSigningKey();
    for (const [region, list] of [...this.delivered.entries()].sort()) {
      let previous: { object: string; hash: string; signature: string } | null = null;
      for (let h = 0; h < DIGEST_HOURS; h++) {
        const from = this.startMs + h * 3600_000;
        const to = from + 3600_000;
        const files = list.filter((d) => {
          const m = /_(\d{8}T\d{4}Z)_/.exec(d.s3Object)![1];
          const ms = Date.parse(`${m.slice(0, 4)}-${m.slice(4, 6)}-${m.slice(6, 8)}T${m.slice(9, 11)}:${m.slice(11, 13)}:00Z`);
          return ms > from && ms <= to;
        });
        const stamp = isoSeconds(to + 15 * 60_000).replace(/[-:]/g, '');
        const rel = `${this.prefix}/CloudTrail-Digest/${region}/${datePath(to)}/${this.account}_CloudTrail-Digest_${region}_${this.trail}_${region}_${stamp}.json.gz`;
        const digest: Record<string, unknown> = {
          awsAccountId: this.account,
          digestStartTime: isoSeconds(from),
          digestEndTime: isoSeconds(to),
          digestS3Bucket: this.s3Bucket,
          digestS3Object: rel,
          digestPublicKeyFingerprint: key.fingerprint,
          digestSignatureAlgorithm: 'SHA256withRSA',
          newestEventTime: files.length ? files[files.length - 1].newest : null,
          oldestEventTime: files.length ? files[0].oldest : null,
          previousDigestS3Bucket: previous ? this.s3Bucket : null,
          previousDigestS3Object: previous?.object ?? null,
          previousDigestHashValue: previous?.hash ?? null,
          previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
          previousDigestSignature: previous?.signature ?? null,
          logFiles: files.map((f) => ({ s3Bucket: this.s3Bucket, s3Object: f.s3Object, hashValue: f.hash, hashAlgorithm: 'SHA-256', newestEventTime: f.newest, oldestEventTime: f.oldest })),
        };
        let hash = '';
        const text: string = JSON.stringify(digest);
        await this.sink.write(rel, text, (x) => (hash = x));
        await this.sink.drain();
        previous = { object: rel, hash, signature: signDigest(key, this.s3Bucket, rel, text) };
        this.digests++;
      }
    }
  }
}

/** Buffers flow lines per flow log (one per VPC) for the current five-minute slot. */
class FlowFiles {
  private bucket = -1;
  private readonly buffers = new Map<string, string[]>();
  records = 0;
  files = 0;

  constructor(
    private readonly sink: GzipSink,
    private readonly account: string,
    private readonly logs: Map<string, { region: Region; flowLogId: string }>,
    private readonly rng: Rng,
  ) {}

  async add(f: FlowLine): Promise<void> {
    const b = Math.floor(f.start / FIVE_MIN);
    if (b !== this.bucket) {
      await this.flush();
      this.bucket = b;
    }
    let buf = this.buffers.get(f.vpcId);
    if (!buf) this.buffers.set(f.vpcId, (buf = []));
    buf.push(f.line);
    this.records++;
  }

  async flush(): Promise<void> {
    if (this.bucket < 0) return;
    // Files are named after the end of their five-minute slot and delivered a few minutes later.
    const ms = (this.bucket + 1) * FIVE_MIN;
    for (const vpcId of [...this.buffers.keys()].sort()) {
      const { region, flowLogId } = this.logs.get(vpcId)!;
      const name = `${this.account}_vpcflowlogs_${region}_${flowLogId}_${compactMinute(ms)}_${this.rng.hex(8)}.log.gz`;
      const rel = `AWSLogs/${this.account}/vpcflowlogs/${region}/${datePath(ms)}/${name}`;
      await this.sink.write(rel, FLOW_HEADER + '\n' + this.buffers.get(vpcId)!.join('\n') + '\n');
      this.files++;
    }
    this.buffers.clear();
  }
}
