// Throughput of normalizeCloudTrailRecord on a realistic mix: the 310 Stratus Red Team records
// (describe sweeps, STS, IAM, EC2, SSM) plus trailscraper's, as parsed objects (what readers yield).
// Run: npm run bench:normalize
import { normalizeCloudTrailRecord } from '../electron/core/ingest/normalize/normalize-cloudtrail.ts';
import { allStratusRecords, readJson } from '../test-support/real-samples.ts';

const base = [
  ...allStratusRecords().map((s) => s.record as Record<string, unknown>),
  ...(readJson('trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json') as { Records: Record<string, unknown>[] }).Records,
];
// Distinct copies so the engine cannot specialise on a handful of objects.
const records = Array.from({ length: 50_000 }, (_, i) => {
  const r = structuredClone(base[i % base.length]);
  r.eventID = `${i}-${String(r.eventID)}`;
  return r;
});

let sink = 0;
const run = (): number => {
  const t0 = performance.now();
  for (const r of records) {
    const res = normalizeCloudTrailRecord(r);
    if (res.ok) sink += res.value.resources.length + res.value.searchText.length;
  }
  return performance.now() - t0;
};
run(); // warm up
const times = [run(), run(), run()];
const best = Math.min(...times);
console.log(`normalizeCloudTrailRecord: ${records.length} records, best ${best.toFixed(1)} ms, ${Math.round(records.length / (best / 1000)).toLocaleString('en')} records/s (sink ${sink})`);
