// Every file under shared/data/real/ is either ingested or rejected with a reason. The expected
// numbers per folder were counted once by hand-checking the outcome and are pinned here: a change in
// a reader or normalizer that loses (or starts inventing) records shows up as a changed number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from './pipeline.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import { REAL } from '../../../test-support/real-data.ts';


type Outcome = { done: number; rejected: number; skipped: number; events: number; flows: number; resources: number };

const EXPECTED: Record<string, Outcome> = {
  // Doc fragments that are not whole documents, `--query` projections and rule-test wrappers are rejected.
  'aws-cli-examples': { done: 6, rejected: 3, skipped: 0, events: 1, flows: 0, resources: 19 },
  // Fragments of records are rejected. The eventVersion 1.0 records without an eventID are read with
  // ids derived from their content (before derived ids: done 14, rejected 19, events 11).
  // A rejected file keeps the records read before its fault (cloudtrail-event-reference's first record).
  'awsdocs-cloudtrail-user-guide': { done: 19, rejected: 14, skipped: 0, events: 18, flows: 0, resources: 0 },
  // IAM policy examples and custom-format records printed without their header line are rejected.
  'awsdocs-vpc-user-guide': { done: 11, rejected: 23, skipped: 0, events: 0, flows: 7, resources: 0 },
  // Only the EC2/IAM dumps Trailscope reads count; other services' dumps are rejected as unrecognized.
  'cloudmapper-demo': { done: 7, rejected: 54, skipped: 0, events: 0, flows: 0, resources: 35 },
  'cloudsplaining': { done: 6, rejected: 1, skipped: 0, events: 0, flows: 0, resources: 271 },
  // Rule test files (YAML, with events embedded in test cases) are not logs.
  'panther-analysis': { done: 0, rejected: 144, skipped: 0, events: 0, flows: 0, resources: 0 },
  // Sigma rules (YAML) are detection rules, not logs: `trailscope findings --rules` reads them.
  'sigma-cloudtrail': { done: 0, rejected: 66, skipped: 0, events: 0, flows: 0, resources: 0 },
  'stratus-red-team': { done: 35, rejected: 0, skipped: 0, events: 310, flows: 0, resources: 0 },
  // Rule test files: the records sit inside StreamAlert's test-case wrappers.
  'streamalert': { done: 0, rejected: 15, skipped: 0, events: 0, flows: 0, resources: 0 },
  // One S3 delivery file (2 events), its gzipped twin and a smoke-test file that repeats both: 3 events in all.
  'trailscraper': { done: 3, rejected: 0, skipped: 0, events: 3, flows: 0, resources: 0 },
};

test('every real sample is ingested or rejected with a specific reason, folder by folder', { timeout: 120_000 }, async (t) => {
  const folders = readdirSync(REAL, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const seen: Record<string, Outcome> = {};
  for (const folder of folders) {
    const c = tempCase(folder);
    t.after(() => c.cleanup());
    const summary = await ingestPaths(c.db, [join(REAL, folder)]);
    const outcome: Outcome = { done: 0, rejected: 0, skipped: 0, events: summary.events, flows: summary.flows, resources: summary.resources };
    for (const s of summary.sources) {
      if (s.status === 'done') outcome.done++;
      else if (s.status === 'rejected') {
        outcome.rejected++;
        assert.ok(s.reason && s.reason.length >= 10, `${s.path} rejected without a useful reason: ${s.reason}`);
      } else if (s.status === 'skipped') outcome.skipped++;
      else assert.fail(`${s.path}: unexpected status ${s.status} in a fresh case`);
    }
    seen[folder] = outcome;
  }
  assert.deepEqual(seen, EXPECTED);
});
