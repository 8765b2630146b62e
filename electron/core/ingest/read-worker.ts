// The reader worker: walks the inputs, hashes each, and (when the writer wants it) reads, parses,
// normalizes and compresses it, sending prepared batches. It runs one batch ahead of the writer and
// no further (it waits for an ack), so memory stays bounded whatever the input size. A source that
// yields far more rejected records than usable ones is stopped (rejection-limits.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { countInputs, openSource, ownInputs, SourceError, walkInputs, type InputFile, type ReadLimits } from './parse/index.ts';
import { BATCH_BYTES } from './parse/item-batches.ts';
import { prepareCloudTrailBatch, prepareConfig, prepareFindings } from './prepare-batch.ts';
import { forPosting, movableMemory } from './event-batch-codec.ts';
import {
  BATCHES_IN_FLIGHT, CONFIG_ROWS_PER_MESSAGE, EVENTS_PER_MESSAGE, GROUP_BYTES, GROUP_FILE_RECORDS, GROUP_FILES, GROUP_RECORDS, type FromReader, type GroupedFile,
  type ToReader, type WorkerInput,
} from './read-protocol.ts';
import { toLogFormat } from '../log-format.ts';
import { openCase } from '../db/open-case.ts';
import { tooManyRejected } from './rejection-limits.ts';
import type { ConfigSnapshot, RecordRejection } from './types.ts';
import { flowBlockOf } from '../db/flow-block.ts';
import type { FlowColumnsBuilder } from '../db/flow-columns-builder.ts';
import { readSourceEvidence } from './source-evidence.ts';
import { sourcesByContent } from './sources-by-content.ts';
import { WalkPrinter } from './walk-print.ts';

const port = parentPort!;

/** Acks and decisions interleave freely, so each kind has its own queue. */
class Mailbox<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | null = null;

  put(item: T): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(item);
    } else this.items.push(item);
  }

  take(): Promise<T> {
    const item = this.items.shift();
    return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => (this.waiter = resolve));
  }
}

const acks = new Mailbox<true>();
const decisions = new Mailbox<boolean>();
port.on('message', (m: ToReader) => {
  if (m.t === 'stop') process.exit(0);
  else if (m.t === 'ack') acks.put(true);
  else decisions.put(m.read);
});

let unacked = 0;
/** Sends a batch, first waiting while BATCHES_IN_FLIGHT are not yet stored by the writer. */
async function sendBatch(message: FromReader, transfer: ArrayBuffer[] = []): Promise<void> {
  if (unacked >= BATCHES_IN_FLIGHT) {
    await acks.take();
    unacked--;
  }
  port.postMessage(message, transfer);
  unacked++;
}

async function drainAcks(): Promise<void> {
  while (unacked > 0) {
    await acks.take();
    unacked--;
  }
}

function send(message: FromReader): void {
  port.postMessage(message);
}

async function main(): Promise<void> {
  const { paths, casePath, share, limits, reading } = workerData as WorkerInput;
  const at = new Int32Array(reading);
  Atomics.store(at, 0, -1);
  if (casePath) completed = completedSources(casePath);
  if (share.count) send({ t: 'listed', ...(await countInputs(paths, limits)) });
  // Every worker walks the same inputs in the same order and reads every share.of-th position of the
  // walk, as it walks: a list of its share, held for the whole ingest, took about 280 bytes an input (a
  // year of CloudTrail is over a million files), and the heap it grew to between collections several
  // times that. Its own positions are opened here (parse/enumerate-inputs.ts); `position` counts the
  // inputs they hold, which are what it announces.
  let walked = 0;
  let position = -1;
  const printer = new WalkPrinter();
  for await (const walkedInput of walkInputs(paths, limits)) {
    printer.add(walkedInput.path);
    if (walked++ % share.of !== share.index) continue;
    for await (const input of ownInputs(walkedInput, limits)) {
      position++;
      // A worker restarted after a crash skips what its predecessors already handled.
      if (position < share.skip) continue;
      Atomics.store(at, 0, position);
      const crash = share.crashed.find((c) => c.position === position);
      if (crash) {
        await sendGroup();
        send({ t: 'input', path: input.path, size: input.size, sha256: null, error: `${crash.reason} while reading this file`, known: null });
      } else await readOne(input, limits);
      // Walking on: a crash there is no input's fault (the pool blames none, and the held files are read again).
      Atomics.store(at, 0, -1);
    }
  }
  await sendGroup();
  await drainAcks();
  send({ t: 'finished', walk: printer.print });
}

/**
 * Small CloudTrail files read whole and clean (no rejected record, no reading note), not yet
 * announced: sent together as one 'files' message (read-protocol.ts), their records in one batch.
 * Inputs are announced in their order, since a replacement after a crash skips as many as were
 * announced: anything else announced sends the group first. A crash loses only unannounced files,
 * which the replacement reads again.
 */
type HeldFile = { file: Omit<GroupedFile, 'events'>; records: unknown[]; bytes: number; release?: () => void };
let group: HeldFile[] = [];

async function sendGroup(): Promise<void> {
  if (group.length === 0) return;
  const members = group;
  group = [];
  try {
    const batch = prepareCloudTrailBatch(members.flatMap((m) => m.records), [], 0);
    if (batch.rejected.length === 0) {
      const posted = forPosting(batch);
      await sendBatch({ t: 'files', files: members.map((m) => ({ ...m.file, events: m.records.length })), batch: posted }, movableMemory(posted));
      return;
    }
    // A record refused on its way in is its file's: each file goes as it would have alone.
    for (const { file, records } of members) {
      send({ t: 'input', path: file.path, size: file.size, sha256: file.sha256, error: null, known: false });
      send({ t: 'opened', kind: 'cloudtrail' });
      const posted = forPosting(prepareCloudTrailBatch(records, [], 0));
      await sendBatch({ t: 'events', batch: posted, bytesRead: file.bytesRead }, movableMemory(posted));
      send({ t: 'source-end', bytesRead: file.bytesRead, evidence: file.evidence });
    }
  } finally {
    for (const m of members) m.release?.();
  }
}

async function readOne(input: InputFile, limits: ReadLimits): Promise<void> {
  let sha256: string;
  let held: Buffer | null;
  try {
    ({ sha256, held } = await hashInput(input));
  } catch (err) {
    // Unreadable paths, corrupt archives and links out of the evidence folder come here: the writer
    // records them as rejected sources.
    await sendGroup();
    send({ t: 'input', path: input.path, size: input.size, sha256: null, error: err instanceof SourceError ? err.message : `cannot read: ${toLogFormat(err)}`, known: null });
    return;
  }
  /** This file's 'input' and 'opened', held back while it may still go in a group: sent before anything else of it. */
  let unsent: FromReader[] | null = null;
  const announce = async () => {
    if (unsent === null) return;
    const messages = unsent;
    unsent = null;
    await sendGroup();
    for (const m of messages) send(m);
  };
  if (completed) {
    const known = completed(sha256);
    const message: FromReader = { t: 'input', path: input.path, size: input.size, sha256, error: null, known };
    if (known) {
      await sendGroup();
      send(message);
      return;
    }
    unsent = [message];
  } else {
    // Without a case file of its own to ask, the writer decides each file: no groups.
    send({ t: 'input', path: input.path, size: input.size, sha256, error: null, known: null });
    if (!(await decisions.take())) return;
  }

  let bytesRead = 0;
  const counted: InputFile = {
    ...input,
    async open() {
      // Bytes already read whole are handed on as they are (no counting stream: a stream pipeline
      // costs about 50 µs a file, much of a small file's reading).
      if (held) {
        const bytes = held;
        held = null;
        bytesRead += bytes.length;
        return Readable.from([bytes], { objectMode: false });
      }
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytesRead += chunk.length;
          done(null, chunk);
        },
      });
      // pipeline, not pipe: a reader that stops early (a bound reached) destroys the counter, and
      // that must close the file too, not leave it to the garbage collector.
      pipeline(await input.open(), counter, () => {});
      return counter;
    },
    ...(input.openRandom ? {
      async openRandom() {
        const file = await input.openRandom!();
        return { ...file, read: async (position: number, length: number) => {
          const bytes = await file.read(position, length);
          bytesRead += bytes.length;
          return bytes;
        } };
      },
    } : {}),
  };
  let opened;
  try {
    opened = await openSource(counted, limits);
  } catch (err) {
    await announce();
    send({ t: 'open-failed', reason: reasonOf(err) });
    return;
  }
  if (unsent) unsent.push({ t: 'opened', kind: opened.kind });
  else send({ t: 'opened', kind: opened.kind });
  let grouped = false;
  let recordsSeen = 0;
  let records: unknown[] = [];
  /** The JSON behind `records`: a message goes once it passes BATCH_BYTES, as a batch does. */
  let recordBytes = 0;
  let recordRejections: RecordRejection[] = [];
  const readAs = new Set<string>();
  let usable = 0;
  let rejected = 0;
  /** Counts a sent batch; past the bound the source stops here, its stored batches kept. */
  const tally = (good: number, bad: number) => {
    usable += good;
    rejected += bad;
    const reason = tooManyRejected(rejected, usable);
    if (reason !== null) throw new SourceError(reason, input.path);
  };
  const flushEvents = async () => {
    if (records.length === 0 && recordRejections.length === 0) return;
    const batch = prepareCloudTrailBatch(records, recordRejections, recordsSeen, [...readAs]);
    recordsSeen += records.length;
    records = [];
    recordBytes = 0;
    recordRejections = [];
    readAs.clear();
    const posted = forPosting(batch);
    await announce();
    await sendBatch({ t: 'events', batch: posted, bytesRead }, movableMemory(posted));
    tally(batch.events.length, batch.rejected.length);
  };
  /** A source's flow records come a block's worth at a time (FLOW_PART_RECORDS): each is one message. */
  const sendFlows = async (part: FlowColumnsBuilder, bad: RecordRejection[], readAs: string[] | undefined) => {
    const read = part.length;
    // The block is built here, beside the parsing, so that the writer's thread only stores it.
    const message: FromReader = { t: 'flows', block: flowBlockOf(part), rejected: bad, ...(readAs?.length ? { readAs } : {}), bytesRead };
    await announce();
    await sendBatch(message);
    tally(read, bad.length);
  };
  try {
    for await (const batch of opened.batches) {
      if (batch.type === 'cloudtrail') {
        for (const r of batch.records) records.push(r);
        for (const r of batch.rejected) recordRejections.push(r);
        for (const note of batch.readAs ?? []) readAs.add(note);
        recordBytes += batch.bytes;
        if (records.length >= EVENTS_PER_MESSAGE || recordRejections.length >= EVENTS_PER_MESSAGE || recordBytes >= BATCH_BYTES) await flushEvents();
      } else if (batch.type === 'flows') {
        await sendFlows(batch.records, batch.rejected, batch.readAs);
      } else if (batch.type === 'findings') {
        // Findings come in batches of at most a thousand: each is one message.
        const { rows, rejected: bad } = prepareFindings(batch.findings, batch.rejected);
        await announce();
        await sendBatch({ t: 'findings', rows, rejected: bad, readAs: batch.readAs ?? [], bytesRead });
        tally(rows.length, bad.length);
      } else {
        const snapshot = prepareConfig(batch.kind, batch.document, snapshotTime(input));
        await announce();
        for (const part of snapshotParts(snapshot)) await sendBatch({ t: 'config', snapshot: part, bytesRead });
      }
    }
    const evidence = await readSourceEvidence(input, opened.kind, opened.content);
    const bytes = opened.content?.length ?? bytesRead;
    if (unsent !== null && opened.kind === 'cloudtrail' && records.length < GROUP_FILE_RECORDS && recordRejections.length === 0 && readAs.size === 0 && bytes <= GROUP_BYTES) {
      // Nothing of this small, clean file was sent: it joins the group, announced by it.
      if (group.reduce((n, m) => n + m.records.length, records.length) > GROUP_RECORDS || group.reduce((n, m) => n + m.bytes, bytes) > GROUP_BYTES) await sendGroup();
      group.push({ file: { path: input.path, size: input.size, sha256, bytesRead, evidence }, records, bytes, release: opened.release });
      grouped = true;
      if (group.length >= GROUP_FILES) await sendGroup();
      return;
    }
    await flushEvents();
    await announce();
    // No wait for the writer here: messages are handled in order, and the next file's hashing and
    // parsing overlaps with the writing of this one.
    send({ t: 'source-end', bytesRead, evidence });
  } catch (err) {
    // Records read before the failure are still sent: they are valid and stay stored.
    await announce();
    try {
      await flushEvents();
    } catch {
      // the failure above is the one to report
    }
    send({ t: 'source-failed', reason: reasonOf(err), bytesRead });
  } finally {
    // Every record is packed and posted by now (a grouped file's when its group goes): the file's
    // decoded bytes go at once, not at the next full collection (a reader otherwise kept tens of
    // files' worth, and the malloc arena with them).
    if (!grouped) opened.release?.();
  }
}

let completed: ((sha256: string) => boolean) | null = null;

/**
 * Whether the case already holds a source with this content, read through the worker's own connection.
 * A case that held no completed source when the worker started (a new case) holds none but this
 * ingest's own, and those only when one input repeats another's content: that one is then read again,
 * its records counted as duplicates, as it is whenever both are read at once. So such a case is not
 * asked: each question takes a read snapshot of the case (16–20 µs a file in the readers' profiles of
 * a quiet account's 90 days, 32,548 small files).
 */
function completedSources(casePath: string): (sha256: string) => boolean {
  const sources = sourcesByContent(openCase(casePath, { readonly: true }));
  if (!sources.anyCompleted()) return () => false;
  return (sha256) => sources.completed(sha256) !== undefined;
}

/**
 * A snapshot in messages of at most CONFIG_ROWS_PER_MESSAGE rows of each kind, so the writer thread
 * never holds a whole large document's rows at once. Writing them apart stores the same rows: every
 * config write is idempotent.
 */
function* snapshotParts(snapshot: ConfigSnapshot): Generator<ConfigSnapshot> {
  const n = Math.max(snapshot.resources.length, snapshot.versions.length, snapshot.edges.length, snapshot.principals.length);
  if (n <= CONFIG_ROWS_PER_MESSAGE) {
    yield snapshot;
    return;
  }
  for (let i = 0; i < n; i += CONFIG_ROWS_PER_MESSAGE) {
    const part = <T>(rows: T[]) => rows.slice(i, i + CONFIG_ROWS_PER_MESSAGE);
    yield { resources: part(snapshot.resources), versions: part(snapshot.versions), edges: part(snapshot.edges), principals: part(snapshot.principals) };
  }
}

function reasonOf(err: unknown): string {
  return err instanceof SourceError ? err.message : toLogFormat(err);
}

/** When a configuration snapshot was taken: the file's modification time, else now. */
function snapshotTime(input: InputFile): number {
  const mtime = input.mtimeMs;
  return typeof mtime === 'number' && Number.isFinite(mtime) ? Math.round(mtime) : Date.now();
}

/**
 * An input up to this size is kept from its hashing to its parsing: read once, not twice (each read
 * of a file is a few buffers of its own, left for the reader's next full collection), and the bytes
 * parsed are the very bytes hashed. A CloudTrail object is tens of KB to a few MB as stored.
 */
const HELD_INPUT = 4 * 1024 * 1024;

/** The input's sha256, and its bytes when it is small enough to keep for the parse (else null: opened again). */
async function hashInput(input: InputFile): Promise<{ sha256: string; held: Buffer | null }> {
  const hash = createHash('sha256');
  let pieces: Buffer[] | null = [];
  let total = 0;
  for await (const chunk of await input.open()) {
    hash.update(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (pieces && total <= HELD_INPUT) pieces.push(chunk as Buffer);
    else pieces = null;
  }
  const held = pieces === null ? null : pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, total);
  return { sha256: hash.digest('hex'), held };
}

main().catch((err) => {
  send({ t: 'source-failed', reason: `reader failed: ${toLogFormat(err)}`, bytesRead: 0 });
  send({ t: 'finished', walk: null });
});
