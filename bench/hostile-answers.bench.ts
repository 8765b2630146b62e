// npm run bench:hostile: the case at full size. Thirty records with 15 MB user agents from one
// address (distinct values), ingested into a case cached under bench/out/, then asked through the
// workbench API as the browser asks: the timeline filtered on the address, event:get, the full agent
// through event:field, the three exports and the caller's actor report. Prints each answer's size,
// time and the process's peak memory. Before bounded answers the page was 471 MB of JSON; now it is
// about 140 KB.
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import type { FieldChunk, TimelinePage } from '../shared/api/types.ts';

const AGENT_BYTES = 15_000_000;
const RECORDS = 30;
const ATTACKER = '198.51.100.66';
const out = new URL('./out/', import.meta.url).pathname;
const casePath = join(out, 'hostile-agents.case');
const peak = () => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB peak`;

if (!existsSync(casePath)) {
  mkdirSync(out, { recursive: true });
  const file = join(out, 'hostile-agents.json');
  const w = createWriteStream(file);
  w.write('{"Records":[');
  for (let i = 0; i < RECORDS; i++) {
    const head = `Mozilla/5.0 attacker-${i} `;
    const rec = {
      eventVersion: '1.08', eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, eventTime: `2024-05-01T10:00:${String(i).padStart(2, '0')}Z`,
      eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1', sourceIPAddress: ATTACKER,
      userAgent: head + 'x'.repeat(AGENT_BYTES - head.length), readOnly: true, recipientAccountId: '111122223333',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
    };
    w.write((i ? ',' : '') + JSON.stringify(rec));
  }
  w.end(']}');
  await new Promise<void>((r) => w.on('finish', () => r()));
  const started = performance.now();
  const db = openCase(casePath);
  const s = await ingestPaths(db, [file]);
  db.close();
  rmSync(file);
  console.log(`ingest: ${s.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s, ${peak()}`);
}

const wb = openWorkbench(casePath);
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const v = await fn();
  console.log(`${label.padEnd(28)} ${(performance.now() - started).toFixed(0).padStart(6)} ms  ${JSON.stringify(v).length.toLocaleString('en-US').padStart(12)} chars  ${peak()}`);
  return v;
}
const page = await timed('timeline:page (by address)', () => wb.dispatch('timeline:page', { filter: { ip: ATTACKER, includeReadOnly: true }, limit: 1000 }));
const rows = page.ok ? (page.value as TimelinePage).rows : [];
await timed('event:get', () => wb.dispatch('event:get', { id: rows[3].id }));
await timed('event:field (whole agent)', async () => {
  let offset = 0;
  let total = 1;
  let chars = 0;
  while (offset < total) {
    const r = await wb.dispatch('event:field', { id: rows[3].id, field: 'userAgent', offset });
    if (!r.ok) throw new Error(r.error.message);
    const c = r.value as FieldChunk;
    chars += c.text.length;
    offset = c.nextOffset;
    total = c.total;
  }
  return { chars };
});
for (const format of ['csv', 'jsonl', 'markdown']) await timed(`export:timeline ${format}`, () => wb.dispatch('export:timeline', { filter: { ip: ATTACKER, includeReadOnly: true }, format }));
// The report on who made the calls: its lists of agents are grouped and ranked without reading them whole.
await timed('actor:report (the caller)', () => wb.dispatch('actor:report', { query: 'arn:aws:iam::111122223333:user/mallory' }));
await wb.close();
