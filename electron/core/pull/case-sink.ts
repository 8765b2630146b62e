// The pull's view of the case: the CaseWriter plus the pure prepare steps the file ingest uses, so
// pulled records are normalized and deduplicated exactly like imported files.
import { createHash } from 'node:crypto';
import type { CaseDb } from '../db/open-case.ts';
import { CaseWriter } from '../ingest/writer.ts';
import { prepareConfig } from '../ingest/prepare-batch.ts';
import { recordPublicKeys, recordSourceEvidence } from '../ingest/source-evidence.ts';
import type { PullSink } from './types.ts';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function caseSink(db: CaseDb): PullSink {
  const writer = new CaseWriter(db);
  return {
    startSource: (info) => writer.startSource(info),
    writeCloudTrail: (sourceId, records, rejected, checkpoint) => writer.writeCloudTrail(sourceId, records, rejected, checkpoint),
    writeFlows: (sourceId, rows, rejected, checkpoint) => writer.writeFlowRows(sourceId, rows, rejected, checkpoint),
    writeConfig: (sourceId, kind, document, observedAt) => writer.writeConfig(sourceId, prepareConfig(kind, document, observedAt)),
    finishSource: (sourceId, status, reason) => writer.finishSource(sourceId, status, reason ?? null),
    recordEvidence: (sourceId, evidence) => recordSourceEvidence(db, sourceId, evidence),
    recordPublicKeys: (keys) => recordPublicKeys(db, keys),
    getCheckpoint: (key) => writer.getCheckpoint(key),
  };
}
