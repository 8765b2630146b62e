// The only code that writes ingested data into a case. Every write* call is one transaction, or part
// of the caller's open one (the pipeline's group commit, which rolls back whole), so a kill -9 or a
// failed write leaves whole batches or none. Everything is idempotent: events are keyed by eventID, flow
// records by a hash of their content, configuration versions by a hash of their JSON, edges by their
// endpoints, so re-reading an input (after a crash, or an overlapping export) stores nothing twice.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from '../db/open-case.ts';
import { RAW_BLOCK_RECORDS, RAW_CODEC } from '../db/raw-events.ts';
import { prepareCloudTrailBatch, type PreparedEventBatch } from './prepare-batch.ts';
import { FlowDedupe } from './flow-dedupe.ts';
import { buildFlowBlock, withoutRecords, type FlowBlock } from '../db/flow-block.ts';
import { FLOW_PART_RECORDS } from '../db/flow-columns-builder.ts';
import { FlowStore } from '../db/flow-store.ts';
import { StoredHashes } from './stored-hashes.ts';
import { StringTable } from '../db/string-table.ts';
import { hashBytes, sourcesByContent, type SourceRow } from './sources-by-content.ts';
import { splitSourcePath } from '../db/source-path.ts';
import { mergeReadAs } from './read-as.ts';
import { FIRST_REJECTIONS, KEPT_REJECTIONS } from './rejection-limits.ts';
import { HourlyCallCounts } from '../db/call-hours.ts';
import { conflictReason, differingFields, STORED_COLUMNS, type StoredColumns } from './conflicting-copies.ts';
import { NAME_REPLACES, NO_PLACE, observedPlace, PLACE_REPLACES, replacesName, type Place } from './resource-observations.ts';
import { ownerOfIdentity } from '../../../shared/resource-ids.ts';
import type {
  ConfigKind,
  ConfigSnapshot,
  DetectorFindingRow,
  FlowRow,
  NormalizedEvent,
  RecordRejection,
  SourceKind,
} from './types.ts';

export type SourceInfo = { path: string; sha256: string; size: number; kind: SourceKind };
export type Checkpoint = { key: string; value: string };
export type WriteCounts = { stored: number; duplicates: number; rejected: number };
/** A run of a batch's events that came from one source, in the batch's order. */
export type EventSpan = { sourceId: number; events: number };

export class CaseWriter {
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly strings: StringTable;
  private readonly sources: ReturnType<typeof sourcesByContent>;
  /**
   * During a bulk load (db/bulk-load.ts) the unique index that deduplicates events is gone; what was
   * stored so far is kept here instead (hashes of event ids, with their rows). The tables
   * were empty when the load began, so they are all there is to compare with.
   */
  private bulk: { eventIds: StoredHashes } | null = null;
  /** The eventID the bulk load's lookup asks for, and the compared columns of the event that holds it once found (isWantedRow). */
  private wantedEventId = '';
  private found: StoredColumns | undefined;
  /** Settles a candidate row of StoredHashes.has: one function for the whole load, not one per event. */
  private readonly isWantedRow = (row: number): boolean => {
    // A row may be gone: the hashes outlive a group that rolled back.
    const candidate = this.s.storedOfRow.get(row) as [eventId: string, ...StoredColumns] | undefined;
    if (candidate?.[0] !== this.wantedEventId) return false;
    this.found = candidate.slice(1) as StoredColumns;
    return true;
  };
  /** Finds the records of a flow block the case already holds (made at the first block this writer stores). */
  private flowDedupe: FlowDedupe | null = null;
  private readonly flowStore: FlowStore;
  /**
   * Search text of events written inside an enclosing transaction (the pipeline's group commit),
   * waiting for flushSearchText(). FTS5 writes its pending terms out as a new segment at every
   * savepoint, so inserting the text batch by batch (each batch was a savepoint) cost about a fifth of
   * the writer's time in small segments and their merges; the enclosing transaction's owner inserts
   * it all at once before it commits.
   */
  private pendingSearch: { rowIds: number[]; texts: string[] } = { rowIds: [], texts: [] };
  /**
   * The largest rowid the resources' search index held when the enclosing transaction began to add
   * resources, also kept in case_meta inside it: rows above it enter the index at flushSearchText, in
   * one statement, instead of a trigger write each (migration 0133: each made FTS5 write a segment).
   */
  private resourcesSearchAfter: number | null = null;
  /**
   * Sources an earlier-attempt lookup could find (reading, or finished rejected): the case's own when
   * this writer began, and those it has left so since. While there are none, a start looks nothing up:
   * the lookup cost 7–16 µs a file, on many small files a tenth of the writer's time. Another writer
   * beside this one (a pull) starts its own sources, under paths of its own.
   */
  private attempts: number;

  constructor(private readonly db: CaseDb) {
    this.s = prepareStatements(db);
    this.strings = new StringTable(db);
    this.sources = sourcesByContent(db);
    this.flowStore = new FlowStore(db);
    this.attempts = this.sources.attempts();
  }

  /**
   * A completed source with the same content: the caller skips it (ingesting it again would change nothing).
   * Interrupted or rejected earlier attempts are not returned: they are read again.
   */
  findCompleted(sha256: string): SourceRow | undefined {
    return this.sources.completed(sha256);
  }

  /** Starts (or resumes) a source; an earlier interrupted or rejected attempt at the same path and content is reused. */
  startSource(info: SourceInfo): number {
    const now = Date.now();
    const earlier = this.earlierAttempt(info);
    if (earlier) {
      this.s.restartSource.run(info.kind, now, earlier.id);
      return earlier.id;
    }
    this.attempts++;
    return Number(this.s.insertSource.run(...this.storedPath(info.path), hashBytes(info.sha256), info.size, info.kind, now).lastInsertRowid);
  }

  /**
   * A source read whole, to be written and finished in the caller's transaction (small files sent
   * together): a new one's row is written finished, not started and then finished (each change of its
   * status moved its entries in two indexes). An earlier attempt at it is resumed and finished as any.
   */
  startReadSource(info: SourceInfo): number {
    const earlier = this.earlierAttempt(info);
    const now = Date.now();
    if (earlier) {
      this.s.restartSource.run(info.kind, now, earlier.id);
      this.finishSource(earlier.id, 'done');
      return earlier.id;
    }
    return Number(this.s.insertReadSource.run(...this.storedPath(info.path), hashBytes(info.sha256), info.size, info.kind, now, now).lastInsertRowid);
  }

  /** The earliest interrupted or rejected attempt at this content and path, looked up only while the case can hold one. */
  private earlierAttempt(info: SourceInfo): SourceRow | undefined {
    return this.attempts > 0 ? this.sources.earlierAttempt(info.sha256, info.path) : undefined;
  }

  /** A source's path as source_rows keeps it: its folder's strings id and its name (migration 0140). */
  private storedPath(path: string): [number | null, string] {
    const { folder, name } = splitSourcePath(path);
    return [this.strings.id(folder), name];
  }

  /** A started source's end; each started source is finished once. */
  finishSource(sourceId: number, status: 'done' | 'rejected' | 'skipped', reason: string | null = null): void {
    this.s.finishSource.run(status, reason, Date.now(), sourceId);
    if (status !== 'rejected') this.attempts--;
  }

  /** Deduplicate in memory from now on (the caller dropped the unique indexes of an empty case). */
  startBulkDeduplication(): void {
    this.bulk = { eventIds: new StoredHashes() };
  }

  stopBulkDeduplication(): void {
    this.bulk = null;
  }

  /** The first `n` rejected records of a source the case keeps, in the order found. */
  firstRejections(sourceId: number, n: number): RecordRejection[] {
    return this.s.firstRejections.all(sourceId, n) as RecordRejection[];
  }

  getCheckpoint(key: string): string | null {
    const row = this.s.getCheckpoint.get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setCheckpoint(checkpoint: Checkpoint): void {
    this.s.setCheckpoint.run(checkpoint.key, checkpoint.value, Date.now());
  }

  /** Normalizes and stores CloudTrail records in one transaction (for callers on the writer's thread, e.g. a live pull). */
  writeCloudTrail(sourceId: number, records: readonly unknown[], rejected: readonly RecordRejection[] = [], checkpoint?: Checkpoint): WriteCounts {
    return this.writeEvents(sourceId, prepareCloudTrailBatch(records, rejected, 0), checkpoint);
  }

  /**
   * Stores prepared events in one transaction. Event i lives in raw block i / RAW_BLOCK_RECORDS at
   * index i % RAW_BLOCK_RECORDS; a block whose events were all duplicates is not stored.
   */
  writeEvents(sourceId: number, batch: PreparedEventBatch, checkpoint?: Checkpoint): WriteCounts {
    return this.writeEventSpans([{ sourceId, events: batch.events.length }], batch, checkpoint)[0];
  }

  /**
   * Stores a batch whose events come from several sources in turn (small files sent together, their
   * records in shared raw blocks: read-worker.ts): the first `events` of the batch are the first
   * span's source's, and so on. Counts come back per span. Only a batch without rejections or
   * reading notes spans sources (each of those belongs to one source).
   */
  writeEventSpans(spans: readonly EventSpan[], batch: PreparedEventBatch, checkpoint?: Checkpoint): WriteCounts[] {
    if (spans.reduce((n, s) => n + s.events, 0) !== batch.events.length) throw new Error('the spans do not cover the batch');
    if (spans.length !== 1 && (batch.rejected.length > 0 || batch.readAs?.length)) throw new Error('a batch with rejections or reading notes has one source');
    const enclosed = this.db.inTransaction;
    this.assertFlushed(enclosed);
    // Kept apart until this batch is written whole: a batch that fails leaves no text behind.
    const search = { rowIds: [] as number[], texts: [] as string[] };
    const perSpan = this.transaction(() => {
      const tallies = spans.map((span, i) => ({
        id: span.sourceId, counts: { stored: 0, duplicates: 0, rejected: i === 0 ? batch.rejected.length : 0 },
        first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY, conflicts: [] as RecordRejection[],
      }));
      let span = 0;
      let spanStart = 0;
      let spanEnd = spans[0]?.events ?? 0;
      // Read inside the transaction: another writer (a pull beside an import) may have added blocks.
      const baseBlockId = ((this.s.maxRawBlock.get() as { m: number | null }).m ?? 0) + 1;
      const blockUsed = new Uint8Array(batch.blocks.length);
      const principals = new Map<string, { type: string; account: string | null; name: string | null; first: number; last: number; n: number }>();
      const resources = new Map<string, {
        type: string; place: Place; name: string | null; nameAt: number | null; arn: string | null; first: number; last: number;
      }>();
      // Who called which service each hour, per owner as the graph overview folds identities (migration 0138).
      const serviceCalls = new HourlyCallCounts();
      const owners = new Map<number, number>();
      const events = batch.events;
      for (let i = 0; i < events.length; i++) {
        while (i >= spanEnd) {
          spanStart = spanEnd;
          spanEnd += spans[++span].events;
        }
        const tally = tallies[span];
        const sourceId = tally.id;
        const counts = tally.counts;
        const e = events[i];
        const block = (i / RAW_BLOCK_RECORDS) | 0;
        const idHash = this.bulk ? this.bulk.eventIds.hashOf(e.eventId) : 0;
        // Its record's number in its file: a span's records are its file's, and a batch of several spans
        // rejected none (writeEventSpans).
        const record = batch.recordNumbers[i] - spanStart;
        this.wantedEventId = e.eventId;
        if (this.bulk?.eventIds.has(idHash, this.isWantedRow)) {
          this.copyOf(e, this.found, counts, tally.conflicts, record);
          continue;
        }
        const t = this.strings;
        const source = t.id(e.eventSource);
        const identity = t.id(e.identityArn);
        const info = this.s.insertEvent.run(
          e.eventId, e.eventTime, source, t.id(e.eventName), t.id(e.awsRegion), t.id(e.accountId),
          t.id(e.identityType), identity, t.id(e.identityAccount), t.id(e.principalId), t.id(e.accessKeyId),
          t.id(e.userName), t.id(e.sessionIssuerArn), t.id(e.sessionName), t.id(e.invokedBy), t.id(e.sourceIdentity),
          t.id(e.onBehalfOf), bool(e.mfaAuthenticated), t.id(e.sourceIp), t.id(e.userAgent), t.id(e.errorCode),
          t.id(e.errorMessage), bool(e.readOnly), t.id(e.eventType), e.sharedEventId, sourceId,
          baseBlockId + block, i % RAW_BLOCK_RECORDS, e.eventIdDerived ? 1 : null,
        );
        if (info.changes === 0) {
          this.copyOf(e, this.s.storedOfEventId.get(e.eventId) as StoredColumns | undefined, counts, tally.conflicts, record);
          continue;
        }
        counts.stored++;
        blockUsed[block] = 1;
        const rowId = Number(info.lastInsertRowid);
        this.bulk?.eventIds.add(idHash, rowId);
        if (e.eventTime < tally.first) tally.first = e.eventTime;
        if (e.eventTime > tally.last) tally.last = e.eventTime;
        for (const r of e.resources) {
          this.s.insertEventResource.run(t.id(r.id), e.eventTime, rowId, t.id(r.type), t.id(r.touch));
          const seen = resources.get(r.id);
          const place = { account: r.accountId ?? e.accountId, region: r.region ?? e.awsRegion, at: e.eventTime };
          if (seen) {
            seen.place = observedPlace(place, seen.place);
            if (e.eventTime < seen.first) seen.first = e.eventTime;
            if (e.eventTime > seen.last) seen.last = e.eventTime;
            if (replacesName(r.name ?? null, e.eventTime, seen.name, seen.nameAt)) {
              seen.name = r.name!;
              seen.nameAt = e.eventTime;
            }
            seen.arn ??= r.arn ?? null;
          } else {
            resources.set(r.id, {
              type: r.type, place: observedPlace(place, NO_PLACE), name: r.name ?? null, nameAt: r.name != null ? e.eventTime : null,
              arn: r.arn ?? null, first: e.eventTime, last: e.eventTime,
            });
          }
        }
        for (const c of e.issuedCredentials) {
          this.s.upsertCredential.run(
            t.id(c.accessKeyId), t.id(c.kind), rowId, c.issuedAt, c.expiresAt, t.id(c.issuedArn), t.id(c.roleArn), t.id(c.sessionName),
            t.id(c.sourceIdentity), t.id(c.callerArn), t.id(c.callerType), t.id(c.callerKey), t.id(c.callerIp), t.id(c.subject), t.id(c.issuer),
          );
        }
        for (const n of e.identityStoreNames) this.s.insertStoreName.run(n.userId, n.userName, rowId);
        if (identity !== null && source !== null) {
          let owner = owners.get(identity);
          if (owner === undefined) owners.set(identity, (owner = t.id(ownerOfIdentity(e.identityArn!))!));
          serviceCalls.add(e.eventTime, owner, source);
        }
        if (e.identityArn) {
          const p = principals.get(e.identityArn);
          if (p) {
            p.n++;
            if (e.eventTime < p.first) p.first = e.eventTime;
            if (e.eventTime > p.last) p.last = e.eventTime;
          } else {
            principals.set(e.identityArn, {
              type: e.identityType ?? 'Unknown', account: e.identityAccount, name: e.userName ?? e.sessionName,
              first: e.eventTime, last: e.eventTime, n: 1,
            });
          }
        }
        if (enclosed) {
          search.rowIds.push(rowId);
          search.texts.push(e.searchText);
        } else {
          this.s.insertFts.run(rowId, e.searchText);
        }
      }
      for (let b = 0; b < batch.blocks.length; b++) {
        if (blockUsed[b]) this.s.insertRawBlock.run(baseBlockId + b, RAW_CODEC, batch.blocks[b]);
      }
      for (const [arn, p] of principals) this.s.upsertPrincipal.run(arn, p.type, p.account, p.name, p.first, p.last, p.n);
      serviceCalls.forEach((hour, ownerId, sourceId, n) => this.s.addServiceCalls.run(hour, ownerId, sourceId, n));
      if (resources.size) this.deferResourcesSearch(enclosed);
      for (const [id, r] of resources) {
        this.s.upsertResource.run(id, r.type, r.place.account, r.place.region, r.place.at, r.name, r.nameAt, r.arn, r.first, r.last);
      }
      this.recordRejections(tallies[0].id, batch.rejected);
      for (const t of tallies) this.recordRejections(t.id, t.conflicts);
      if (batch.readAs?.length) this.noteReadAs(tallies[0].id, batch.readAs);
      for (const t of tallies) this.s.addSourceCounts.run({ ...t.counts, first: nullIfInfinite(t.first), last: nullIfInfinite(t.last), id: t.id });
      if (checkpoint) this.setCheckpoint(checkpoint);
      return tallies.map((t) => t.counts);
    });
    for (let i = 0; i < search.rowIds.length; i++) {
      this.pendingSearch.rowIds.push(search.rowIds[i]);
      this.pendingSearch.texts.push(search.texts[i]);
    }
    return perSpan;
  }

  /**
   * Stores the search text of events written inside the enclosing transaction; its owner calls this
   * just before COMMIT, in the same transaction, so events and their text land (or vanish) together.
   */
  flushSearchText(): void {
    const { rowIds, texts } = this.pendingSearch;
    this.pendingSearch = { rowIds: [], texts: [] };
    for (let i = 0; i < rowIds.length; i++) this.s.insertFts.run(rowIds[i], texts[i]);
    if (this.resourcesSearchAfter !== null) {
      this.s.indexResourcesAfter.run(this.resourcesSearchAfter);
      this.s.endResourcesSearchDeferral.run();
      this.resourcesSearchAfter = null;
    }
  }

  /**
   * Inside an enclosing transaction (and outside a bulk load, whose index is built at its end), the
   * resources added from here on wait for flushSearchText to enter the search index.
   */
  private deferResourcesSearch(enclosed: boolean): void {
    if (!enclosed || this.bulk || this.resourcesSearchAfter !== null) return;
    this.resourcesSearchAfter = (this.s.maxResourceRow.get() as { m: number | null }).m ?? 0;
    this.s.beginResourcesSearchDeferral.run(String(this.resourcesSearchAfter));
  }

  /** A transaction of its own must not start while an enclosing one's search text was committed without flushSearchText. */
  private assertFlushed(enclosed: boolean): void {
    if (!enclosed && (this.pendingSearch.rowIds.length > 0 || this.resourcesSearchAfter !== null)) {
      throw new Error('search text written in an earlier transaction was never stored (flushSearchText not called before its commit)');
    }
  }

  /** Adds how a source was read ("Logstash export: time from @timestamp") to sources.read_as, each note once. */
  private noteReadAs(sourceId: number, notes: readonly string[]): void {
    const current = this.s.getReadAs.get(sourceId) as string | null | undefined;
    const merged = mergeReadAs(current ?? null, notes);
    if (merged !== current) this.s.setReadAs.run(merged, sourceId);
  }

  /**
   * Stores a block of flow records (built by the reader, flow-block.ts) without the records the case
   * already holds: a flow record is its content, so the same hash is the same record.
   */
  writeFlows(sourceId: number, block: FlowBlock, rejected: readonly RecordRejection[], checkpoint?: Checkpoint, readAs: readonly string[] = []): WriteCounts {
    return this.transaction(() => {
      this.flowDedupe ??= new FlowDedupe(this.db);
      const already = this.flowDedupe.stored(block);
      const fresh = already.length ? withoutRecords(block, already) : block;
      const counts = { stored: fresh.records, duplicates: block.duplicates + already.length, rejected: rejected.length };
      if (fresh.records > 0) this.flowStore.insert(sourceId, fresh);
      this.recordRejections(sourceId, rejected);
      this.s.addSourceCounts.run({ ...counts, first: fresh.records ? fresh.firstStart : null, last: fresh.records ? fresh.lastEnd : null, id: sourceId });
      if (readAs.length) this.noteReadAs(sourceId, readAs);
      if (checkpoint) this.setCheckpoint(checkpoint);
      return counts;
    });
  }

  /** Flow records as read (a live pull's page): stored as blocks of at most FLOW_PART_RECORDS records, in one transaction. */
  writeFlowRows(sourceId: number, rows: readonly FlowRow[], rejected: readonly RecordRejection[], checkpoint?: Checkpoint): WriteCounts {
    return this.transaction(() => {
      const counts = { stored: 0, duplicates: 0, rejected: rejected.length };
      for (let at = 0; at < rows.length || at === 0; at += FLOW_PART_RECORDS) {
        const last = at + FLOW_PART_RECORDS >= rows.length;
        const part = this.writeFlows(sourceId, buildFlowBlock(rows.slice(at, at + FLOW_PART_RECORDS)), last ? rejected : [], last ? checkpoint : undefined);
        counts.stored += part.stored;
        counts.duplicates += part.duplicates;
      }
      return counts;
    });
  }

  /** Stores a normalized configuration snapshot (resources, their versions, edges, principals). */
  writeConfig(sourceId: number, snapshot: ConfigSnapshot, checkpoint?: Checkpoint): WriteCounts {
    const enclosed = this.db.inTransaction;
    this.assertFlushed(enclosed);
    return this.transaction(() => {
      const counts = { stored: 0, duplicates: 0, rejected: 0 };
      if (snapshot.resources.length) this.deferResourcesSearch(enclosed);
      for (const r of snapshot.resources) {
        const place = observedPlace({ account: r.accountId, region: r.region, at: r.observedAt }, NO_PLACE);
        this.s.upsertResource.run(r.id, r.type, place.account, place.region, place.at, r.name, r.name !== null ? r.observedAt : null, r.arn, null, null);
      }
      for (const v of snapshot.versions) {
        const json = JSON.stringify(v.config);
        const hash = createHash('sha256').update(json).digest('hex');
        const info = this.s.insertVersion.run(v.resourceId, v.observedAt, sourceId, hash, json);
        if (info.changes === 0) counts.duplicates++;
        else counts.stored++;
      }
      for (const e of snapshot.edges) this.s.insertEdge.run(e.src, e.dst, e.kind, e.validFrom, e.validTo, sourceId);
      for (const p of snapshot.principals) this.s.upsertPrincipal.run(p.arn, p.type, p.accountId, p.name, null, null, 0);
      this.s.addSourceCounts.run({ ...counts, first: null, last: null, id: sourceId });
      if (checkpoint) this.setCheckpoint(checkpoint);
      return counts;
    });
  }

  /**
   * Stores detector findings. A finding is keyed by its detector and id; a copy updated later (GuardDuty
   * and Security Hub update findings in place, and exports overlap) replaces the earlier one with its
   * links, an older or identical copy counts as a duplicate.
   */
  writeFindings(sourceId: number, rows: readonly DetectorFindingRow[], rejected: readonly RecordRejection[], readAs: readonly string[] = []): WriteCounts {
    return this.transaction(() => {
      const counts = { stored: 0, duplicates: 0, rejected: rejected.length };
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const f of rows) {
        const existing = this.s.findFinding.get(f.detector, f.findingUid) as { id: number; updatedAt: number } | undefined;
        if (existing && existing.updatedAt >= f.updatedAt) {
          counts.duplicates++;
          continue;
        }
        if (existing) {
          this.s.deleteFindingLinks.run(existing.id);
          this.s.deleteFinding.run(existing.id);
        }
        const id = Number(this.s.insertFinding.run(
          sourceId, f.detector, f.findingUid, f.product, f.type, f.title, f.description, f.severity, f.detectorSeverity,
          f.firstTime, f.lastTime, f.updatedAt, f.accountId, f.region, f.raw,
        ).lastInsertRowid);
        for (const l of f.links) this.s.insertFindingLink.run(id, l.kind, l.value);
        counts.stored++;
        if (f.firstTime < first) first = f.firstTime;
        if (f.lastTime > last) last = f.lastTime;
      }
      this.recordRejections(sourceId, rejected);
      if (readAs.length) this.noteReadAs(sourceId, readAs);
      this.s.addSourceCounts.run({ ...counts, first: nullIfInfinite(first), last: nullIfInfinite(last), id: sourceId });
      return counts;
    });
  }

  /**
   * One transaction, or part of the caller's when one is open. A savepoint per batch inside the
   * pipeline's group commit journaled every page the batch changed a second time (a tenth of the
   * writer's time); the caller's transaction keeps a batch whole instead, since it rolls back the
   * whole group when a write fails (then calls discardUncommitted). Ids of strings interned inside a
   * transaction that rolls back are forgotten.
   */
  private transaction<T>(fn: () => T): T {
    try {
      return this.db.inTransaction ? fn() : this.db.transaction(fn)();
    } catch (err) {
      this.strings.clear();
      throw err;
    }
  }

  /**
   * The reading is over: the cached string ids (up to 100,000 texts, ~10 MB of heap) go now rather
   * than stay live through the analysis that follows, whose heap grows with what is live when it starts.
   * Writing again afterwards works, looking texts up as it did before they were cached.
   */
  forgetCachedStrings(): void {
    this.strings.clear();
  }

  /** The caller rolled back its transaction: what this writer kept for it (search text, string ids) is gone too. */
  discardUncommitted(): void {
    this.pendingSearch = { rowIds: [], texts: [] };
    this.resourcesSearchAfter = null;
    this.strings.clear();
  }

  /**
   * A record whose eventID the case holds (`stored`: that event's compared columns): a copy, counted as
   * a duplicate, or one that says something else, rejected with the fields that differ (conflicting-copies.ts).
   */
  private copyOf(e: NormalizedEvent, stored: StoredColumns | undefined, counts: WriteCounts, conflicts: RecordRejection[], record: number): void {
    const fields = stored ? differingFields(e, stored, (text) => this.strings.find(text)) : [];
    if (fields.length === 0) {
      counts.duplicates++;
      return;
    }
    counts.rejected++;
    conflicts.push({ position: `record ${record}`, reason: conflictReason(fields) });
  }

  private recordRejections(sourceId: number, rejected: readonly RecordRejection[]): void {
    // The first KEPT_REJECTIONS reasons of a source explain it; the source's rejected_records counts
    // the rest, so a file of a billion bad records cannot grow the case by a row each.
    if (rejected.length === 0) return;
    const room = KEPT_REJECTIONS - (this.s.countRejections.get(sourceId) as number);
    for (const r of rejected.slice(0, Math.max(0, room))) this.s.insertRejection.run(sourceId, r.position, r.reason);
  }
}

export type { ConfigKind };

function bool(v: boolean | null): number | null {
  return v === null ? null : v ? 1 : 0;
}

function nullIfInfinite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function prepareStatements(db: CaseDb) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    insertSource: p(`INSERT INTO source_rows (folder, name, hash, size, kind, status, started_at) VALUES (?, ?, ?, ?, ?, 'reading', ?)`),
    insertReadSource: p(`INSERT INTO source_rows (folder, name, hash, size, kind, status, started_at, finished_at) VALUES (?, ?, ?, ?, ?, 'done', ?, ?)`),
    restartSource: p(`UPDATE source_rows SET kind = ?, status = 'reading', reason = NULL, started_at = ?, finished_at = NULL WHERE id = ?`),
    finishSource: p(`UPDATE source_rows SET status = ?, reason = ?, finished_at = ? WHERE id = ?`),
    addSourceCounts: p(`UPDATE source_rows SET records = records + @stored, duplicates = duplicates + @duplicates,
      rejected_records = rejected_records + @rejected,
      first_time = min(coalesce(first_time, @first), coalesce(@first, first_time)),
      last_time = max(coalesce(last_time, @last), coalesce(@last, last_time))
      WHERE id = @id`),
    getReadAs: p(`SELECT read_as FROM source_rows WHERE id = ?`).pluck(),
    setReadAs: p(`UPDATE source_rows SET read_as = ? WHERE id = ?`),
    insertRejection: p(`INSERT INTO rejected_records (source_id, position, reason) VALUES (?, ?, ?)`),
    firstRejections: p(FIRST_REJECTIONS),
    countRejections: p(`SELECT count(*) FROM (SELECT 1 FROM rejected_records WHERE source_id = ? LIMIT ${KEPT_REJECTIONS})`).pluck(),
    getCheckpoint: p(`SELECT value FROM checkpoints WHERE key = ?`),
    setCheckpoint: p(`INSERT INTO checkpoints (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
    insertEvent: p(`INSERT OR IGNORE INTO event_rows (event_id, event_time, event_source, event_name, aws_region, account_id,
      identity_type, identity_arn, identity_account, principal_id, access_key_id, user_name, session_issuer_arn, session_name,
      invoked_by, source_identity, on_behalf_of, mfa_authenticated, source_ip, user_agent, error_code, error_message,
      read_only, event_type, shared_event_id, source_id, raw_block, raw_index, event_id_derived)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    maxRawBlock: p(`SELECT max(id) AS m FROM raw_blocks`),
    storedOfRow: p(`SELECT event_id, ${STORED_COLUMNS} FROM event_rows WHERE id = ?`).raw(),
    storedOfEventId: p(`SELECT ${STORED_COLUMNS} FROM event_rows WHERE event_id = ?`).raw(),
    insertRawBlock: p(`INSERT INTO raw_blocks (id, codec, data) VALUES (?, ?, ?)`),
    // Ids into strings, as event_rows holds (migration 0128); readers see the text through the event_resources view.
    insertEventResource: p(`INSERT OR IGNORE INTO event_resource_rows (resource, event_time, event, resource_type, touch) VALUES (?, ?, ?, ?, ?)`),
    insertFts: p(`INSERT INTO events_fts (rowid, text) VALUES (?, ?)`),
    // Ids into strings, the key's too (migrations 0128, 0137); readers see text through the credentials view.
    upsertCredential: p(`INSERT INTO credential_rows (access_key_id, kind, issued_event, issued_at, expires_at, issued_arn, role_arn,
      session_name, source_identity, caller_arn, caller_type, caller_key, caller_ip, subject, issuer)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(access_key_id) DO NOTHING`),
    // A pair keeps its earliest record in the timeline's order (time, eventID), not the first written:
    // the record a chain cites for a person's name is then the same whatever order the files were read in.
    // An earlier record takes a new rowid, so that the refresh sees a record that can change a chain
    // (last_store_name) and walks again the actors that cite the pair.
    insertStoreName: p(`INSERT INTO identity_store_names (user_id, user_name, event) VALUES (?, ?, ?)
      ON CONFLICT(user_id, user_name) DO UPDATE SET event = excluded.event, rowid = (SELECT max(rowid) + 1 FROM identity_store_names)
      WHERE (SELECT event_time, event_id FROM event_rows WHERE id = excluded.event)
        < (SELECT event_time, event_id FROM event_rows WHERE id = identity_store_names.event)`),
    upsertPrincipal: p(`INSERT INTO principals (arn, type, account_id, name, first_seen, last_seen, event_count)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(arn) DO UPDATE SET
        account_id = coalesce(principals.account_id, excluded.account_id),
        name = coalesce(principals.name, excluded.name),
        first_seen = min(coalesce(principals.first_seen, excluded.first_seen), coalesce(excluded.first_seen, principals.first_seen)),
        last_seen = max(coalesce(principals.last_seen, excluded.last_seen), coalesce(excluded.last_seen, principals.last_seen)),
        event_count = principals.event_count + excluded.event_count`),
    addServiceCalls: p(`INSERT INTO owner_service_calls (hour, owner, event_source, events) VALUES (?, ?, ?, ?)
      ON CONFLICT(hour, owner, event_source) DO UPDATE SET events = events + excluded.events`),
    maxResourceRow: p('SELECT max(rowid) AS m FROM resources'),
    // A marker a case was handed over with (no commit of ours leaves one) is replaced, not a failed write.
    beginResourcesSearchDeferral: p(`INSERT INTO case_meta (key, value) VALUES ('resources_search_after', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
    indexResourcesAfter: p('INSERT INTO resources_search (rowid, id, name, arn) SELECT rowid, id, name, arn FROM resources_search_texts WHERE rowid > ?'),
    endResourcesSearchDeferral: p(`DELETE FROM case_meta WHERE key = 'resources_search_after'`),
    // The name of the latest observation, the account and region of the earliest (resource-observations.ts).
    upsertResource: p(`INSERT INTO resources (id, type, account_id, region, place_at, name, name_at, arn, first_seen, last_seen)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET
        account_id = CASE WHEN ${PLACE_REPLACES} THEN excluded.account_id ELSE coalesce(resources.account_id, excluded.account_id) END,
        region = CASE WHEN ${PLACE_REPLACES} THEN excluded.region ELSE coalesce(resources.region, excluded.region) END,
        place_at = CASE WHEN ${PLACE_REPLACES} THEN excluded.place_at ELSE resources.place_at END,
        name = CASE WHEN ${NAME_REPLACES} THEN excluded.name ELSE resources.name END,
        name_at = CASE WHEN ${NAME_REPLACES} THEN excluded.name_at ELSE resources.name_at END,
        arn = coalesce(resources.arn, excluded.arn),
        first_seen = min(coalesce(resources.first_seen, excluded.first_seen), coalesce(excluded.first_seen, resources.first_seen)),
        last_seen = max(coalesce(resources.last_seen, excluded.last_seen), coalesce(excluded.last_seen, resources.last_seen))`),
    insertVersion: p(`INSERT OR IGNORE INTO resource_versions (resource_id, origin, observed_at, source_id, config_hash, config)
      VALUES (?, 'snapshot', ?, ?, ?, ?)`),
    findFinding: p(`SELECT id, updated_at AS updatedAt FROM detector_findings WHERE detector = ? AND finding_uid = ?`),
    deleteFinding: p(`DELETE FROM detector_findings WHERE id = ?`),
    deleteFindingLinks: p(`DELETE FROM detector_finding_links WHERE finding = ?`),
    insertFinding: p(`INSERT INTO detector_findings (source_id, detector, finding_uid, product, type, title, description, severity,
      detector_severity, first_time, last_time, updated_at, account_id, region, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertFindingLink: p(`INSERT OR IGNORE INTO detector_finding_links (finding, kind, value) VALUES (?, ?, ?)`),
    // A relation seen in several snapshots is one edge, valid from the earliest observation.
    insertEdge: p(`INSERT INTO edges (src, dst, kind, origin, valid_from, valid_to, source_id) VALUES (?, ?, ?, 'snapshot', ?, ?, ?)
      ON CONFLICT(src, dst, kind, origin, ifnull(event, -1)) DO UPDATE SET valid_from = min(coalesce(edges.valid_from, excluded.valid_from), coalesce(excluded.valid_from, edges.valid_from))`),
  };
}
