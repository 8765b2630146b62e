// CloudTrail as Amazon Security Lake keeps it (OCSF events, exported as JSON Lines or in its own
// Parquet) reads as the CloudTrail it was made from: the real samples' records give the same columns, and a generated
// account's records the same people behind every call, chains of assumed roles included.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { readOutput } from '../../../tools/gen/read-output.ts';
import { generatedWithCases } from '../../../test-support/generated-cases.ts';
import { allStratusRecords, awsdocsRecords } from '../../../test-support/real-samples.ts';
import { asSecurityLakeOcsf } from '../../../test-support/security-lake-ocsf.ts';
import { writeParquet } from '../../../test-support/parquet-files.ts';
import type { CaseDb } from '../db/open-case.ts';
import { reshapeExported } from './parse/exported/exported-record.ts';
import { normalizeCloudTrailRecord } from './normalize/index.ts';
import { ingestPaths } from './pipeline.ts';

const { gen, cases } = generatedWithCases('security-lake', 'records', 'ocsf', 'ocsf-parquet');

/**
 * Columns OCSF has no place for, so Security Lake does not keep them: the session's source identity
 * and the identity store user a call was made on behalf of (OCSF 1.1 maps neither), and the search
 * text made of every value of the record.
 */
const NOT_MAPPED = new Set(['sourceIdentity', 'onBehalfOf', 'searchText']);

function columns(record: unknown): Record<string, unknown> | string {
  const n = normalizeCloudTrailRecord(record);
  if (!n.ok) return n.reason;
  // A record without an eventID is known by a hash of its content, which OCSF does not keep whole.
  const derived = n.value.eventId.startsWith('derived-');
  const kept = Object.entries(n.value).filter(([k]) => !NOT_MAPPED.has(k) && !(derived && k === 'eventId'));
  return { ...Object.fromEntries(kept), resources: n.value.resources.map((r) => `${r.id} ${r.touch}`) };
}

/** Every event's id with the person (or service) behind it, as the case resolved them. */
function whoIsBehind(db: CaseDb): string[] {
  return (db.prepare(`SELECT e.event_id || ' ' || o.label AS who FROM events e JOIN event_actors a ON a.event = e.id JOIN origins o ON o.id = a.origin ORDER BY e.event_id`).pluck().all() as string[]);
}

describe('CloudTrail from Security Lake (OCSF)', () => {
  it('each real sample record, mapped to OCSF as Security Lake maps it, reads back to the same columns', () => {
    const samples = [...allStratusRecords(), ...awsdocsRecords()];
    assert.ok(samples.length > 100, `${samples.length} samples`);
    let compared = 0;
    for (const { file, record } of samples) {
      const original = columns(record);
      if (typeof original === 'string') continue; // a sample the reader refuses as CloudTrail too
      const reshaped = reshapeExported(asSecurityLakeOcsf(record as Record<string, unknown>));
      assert.ok(reshaped, file);
      assert.deepEqual(columns(reshaped.record), original, file);
      compared++;
    }
    assert.ok(compared > 100, `${compared} compared`);
  });

  it("a generated account's records exported from Security Lake, and in its Parquet: the same events, and the same person behind each", async () => {
    const out = join(gen, 'account');
    await generateAccount({ events: 3_000, flows: 200, out, seed: 44 });
    const records = readOutput(out).records;
    const ocsf = join(gen, 'security-lake.ndjson');
    writeFileSync(ocsf, records.map((r) => JSON.stringify(asSecurityLakeOcsf(r))).join('\n'));
    const original = join(gen, 'records.ndjson');
    writeFileSync(original, records.map((r) => JSON.stringify(r)).join('\n'));
    const [a, b] = [await ingestPaths(cases[0].db, [original]), await ingestPaths(cases[1].db, [ocsf])];
    assert.deepEqual(b.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.equal(b.events, a.events);
    const expected = whoIsBehind(cases[0].db);
    assert.equal(expected.length, a.events);
    assert.deepEqual(whoIsBehind(cases[1].db), expected);
    const readAs = cases[1].db.prepare('SELECT read_as FROM sources').pluck().get() as string;
    assert.match(readAs, /Security Lake \(OCSF\) CloudTrail event: record rebuilt from OCSF fields/);

    // The same events as Security Lake stores them: Parquet, each OCSF object a struct column.
    const parquet = join(gen, 'security-lake.parquet');
    await writeParquet(parquet, `SELECT * FROM read_json('${ocsf}', format = 'newline_delimited', sample_size = -1)`, { codec: 'ZSTD', rowGroupSize: 1_000 });
    const c = await ingestPaths(cases[2].db, [parquet]);
    assert.deepEqual(c.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
    assert.deepEqual(whoIsBehind(cases[2].db), expected);
  });
});
