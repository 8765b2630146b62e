// npm run bench:findings-cache: what the panel's repeated findings:list asks cost, before and after the
// service's cache (electron/core/api/case-state-cache.ts). M synthetic CloudTrail events of 200 users
// (--events, default 100,000) with the 57 SigmaHQ CloudTrail rules stored in the case: the first ask
// (computed), a repeated ask (from the cache), and an ask after a suppression (computed again).
// CPU time of this thread, not wall time: the machine is shared; the load average is printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import { REAL } from '../test-support/real-data.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' } } });
const EVENTS = Number(values.events);
const A = '111122223333';
const START = Date.UTC(2024, 5, 1);
const NAMES = ['ListAccessKeys', 'GetUser', 'ListRoles', 'DescribeInstances', 'GetObject', 'PutBucketPolicy', 'CreateAccessKey', 'StopLogging'];

const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-findings-cache-'));
try {
  const records = Array.from({ length: EVENTS }, (_, i) => {
    const u = i % 200;
    return {
      eventVersion: '1.09', eventID: `bench-${i}`, eventTime: new Date(START + i * 10_000).toISOString(), eventSource: 'iam.amazonaws.com',
      eventName: NAMES[i % (i % 997 === 0 ? NAMES.length : 5)], awsRegion: 'eu-west-1', sourceIPAddress: `198.51.100.${u % 250}`, recipientAccountId: A,
      userIdentity: { type: 'IAMUser', principalId: `AIDAQ4USER${String(u).padStart(10, '0')}`, arn: `arn:aws:iam::${A}:user/u${u}`, accountId: A, accessKeyId: `AKIAQ4KEY${String(u).padStart(11, '0')}`, userName: `u${u}` },
    };
  });
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: records }));
  const casePath = join(dir, 'bench.case');
  const db = openCase(casePath);
  await ingestPaths(db, [join(dir, 'trail.json')]);
  db.close();
  const wb = openWorkbench(casePath);
  const loaded = await wb.dispatch('sigma:load', { path: join(REAL, 'sigma-cloudtrail', 'rules') });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const ask = async (what: string) => {
    const cpu = process.cpuUsage();
    const r = await wb.dispatch('findings:list', {});
    const used = process.cpuUsage(cpu);
    if (!r.ok) throw new Error(r.error.message);
    console.log(`${what}: ${((used.user + used.system) / 1000).toFixed(1)} ms CPU (${(r.value as { findings: unknown[] }).findings.length.toLocaleString('en-US')} findings)`);
    return r.value as { findings: { id?: string; rule?: { id: string } }[] };
  };
  console.log(`${EVENTS.toLocaleString('en-US')} events, Sigma rules stored from ${join('sigma-cloudtrail', 'rules')}`);
  const first = await ask('findings:list, first ask (computed)');
  await ask('findings:list, asked again (cached)');
  await ask('findings:list, asked a third time (cached)');
  const f = first.findings.find((x) => x.id && x.rule);
  if (f) {
    await wb.dispatch('findings:suppress', { scope: 'finding', ruleId: f.rule!.id, target: f.id!, reason: 'bench' });
    await ask('findings:list, after a suppression (computed)');
  }
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  await wb.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
