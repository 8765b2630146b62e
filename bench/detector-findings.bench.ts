// npm run bench:detectors: what AWS detectors' findings cost. N GuardDuty findings (--findings,
// default 5,000), each naming a user's key, an address and an API, over M CloudTrail events
// (--events, default 50,000) of 200 users: the reader's CPU for them, and findings:list's CPU to link
// each to its events (through the actors' keys, index reads) and show it. Target: under 1 ms of CPU
// per finding for findings:list. CPU time, not wall time: the machine is shared; the load is printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { findings } from '../electron/core/analysis/findings/findings.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '50000' }, findings: { type: 'string', default: '5000' } } });
const EVENTS = Number(values.events);
const FINDINGS = Number(values.findings);
const A = '111122223333';
const START = Date.UTC(2024, 5, 1);
const key = (u: number) => `AKIAQ4KEY${String(u).padStart(11, '0')}`;

const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-detectors-'));
try {
  const records = Array.from({ length: EVENTS }, (_, i) => {
    const u = i % 200;
    return {
      eventVersion: '1.09', eventID: `bench-${i}`, eventTime: new Date(START + i * 10_000).toISOString(), eventSource: 'iam.amazonaws.com',
      eventName: ['ListAccessKeys', 'GetUser', 'ListRoles'][i % 3], awsRegion: 'eu-west-1', sourceIPAddress: `198.51.100.${u % 250}`, recipientAccountId: A,
      userIdentity: { type: 'IAMUser', principalId: `AIDAQ4USER${String(u).padStart(10, '0')}`, arn: `arn:aws:iam::${A}:user/u${u}`, accountId: A, accessKeyId: key(u), userName: `u${u}` },
    };
  });
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: records }));
  const lines = Array.from({ length: FINDINGS }, (_, i) => {
    const u = i % 200;
    const t = START + i * 100_000;
    return JSON.stringify({
      schemaVersion: '2.0', accountId: A, region: 'eu-west-1', id: `bench-${i}`, type: 'Discovery:IAMUser/AnomalousBehavior',
      resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: key(u), userName: `u${u}`, userType: 'IAMUser' } },
      service: { eventFirstSeen: new Date(t).toISOString(), eventLastSeen: new Date(t + 3_600_000).toISOString(), action: { awsApiCallAction: { api: 'ListAccessKeys', remoteIpDetails: { ipAddressV4: `198.51.100.${u % 250}` } } } },
      severity: 5, createdAt: new Date(t).toISOString(), updatedAt: new Date(t).toISOString(), title: 'bench',
    });
  });
  writeFileSync(join(dir, 'guardduty.jsonl'), lines.join('\n'));
  const db = openCase(join(dir, 'bench.case'));
  await ingestPaths(db, [join(dir, 'trail.json')]);
  let cpu = process.cpuUsage();
  // One reader worker: its CPU is not this thread's, so the wall time of a findings-only ingest stands in.
  const t = performance.now();
  const s = await ingestPaths(db, [join(dir, 'guardduty.jsonl')], { readers: 1 });
  const writer = process.cpuUsage(cpu);
  console.log(`ingest ${s.findings.toLocaleString('en-US')} GuardDuty findings: ${(performance.now() - t).toFixed(0)} ms wall (writer thread CPU ${((writer.user + writer.system) / 1000).toFixed(0)} ms)`);
  cpu = process.cpuUsage();
  const r = findings(db);
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  const detected = r.findings.filter((f) => f.kind === 'detector');
  console.log(`findings:list with ${detected.length.toLocaleString('en-US')} detector findings (${detected.filter((f) => f.eventIds.length).length.toLocaleString('en-US')} linked to events): ${ms.toFixed(0)} ms CPU, ${(ms / Math.max(1, detected.length)).toFixed(2)} ms per finding (target < 1)`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
