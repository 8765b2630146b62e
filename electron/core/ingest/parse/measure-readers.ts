// Reader throughput, measured by hand (not a test): `node --import tsx electron/core/ingest/parse/measure-readers.ts`.
// Writes synthetic inputs into the OS temp folder, reads them through enumerateInputs + openSource,
// prints records per second, and deletes them.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { enumerateInputs, openSource } from './index.ts';

export function syntheticRecord(i: number): string {
  const id = i.toString(16).padStart(8, '0');
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE${id}:session-${i % 97}`,
      arn: `arn:aws:sts::123456789012:assumed-role/Role${i % 13}/session-${i % 97}`,
      accountId: '123456789012',
      accessKeyId: `ASIA${id.toUpperCase()}EXAMPLE`,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::123456789012:role/Role${i % 13}`, accountId: '123456789012', userName: `Role${i % 13}` },
        attributes: { creationDate: '2024-05-01T10:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: new Date(1714557600000 + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: i % 5 === 0 ? 'AuthorizeSecurityGroupIngress' : 'DescribeInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: `203.0.113.${i % 250}`,
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances',
    requestParameters: { groupId: `sg-${id}abcdef01`, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0', description: i % 100 === 0 ? 'debug \\"quoted\\" ünïcode' : 'debug \\"quoted\\" text' }] } }] } },
    responseElements: { requestId: `${id}-1111-2222-3333-444455556666`, _return: true },
    requestID: `${id}-1111-2222-3333-444455556666`,
    eventID: `${id}-aaaa-bbbb-cccc-ddddeeeeffff`,
    readOnly: i % 5 !== 0,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
  });
}

export function syntheticFlowLine(i: number): string {
  return `2 123456789012 eni-0a1b2c3d4e5f${(i % 4096).toString(16).padStart(5, '0')} 10.0.${(i >> 8) & 255}.${i & 255} 203.0.113.${i % 250} ${1024 + (i % 60000)} ${i % 3 === 0 ? 22 : 443} 6 ${1 + (i % 50)} ${60 + (i % 9000)} ${1714557600 + (i >> 4)} ${1714557660 + (i >> 4)} ${i % 7 === 0 ? 'REJECT' : 'ACCEPT'} OK`;
}

async function writeLines(path: string, head: string, lines: (i: number) => string, count: number, sep: string, tail: string, gzip = false): Promise<void> {
  async function* gen() {
    yield head;
    let buf = '';
    for (let i = 0; i < count; i++) {
      buf += (i === 0 ? '' : sep) + lines(i);
      if (buf.length > 1 << 20) {
        yield buf;
        buf = '';
      }
    }
    yield buf + tail;
  }
  const out = createWriteStream(path);
  if (gzip) await pipeline(Readable.from(gen()), createGzip({ level: 1 }), out);
  else await pipeline(Readable.from(gen()), out);
  if (!out.closed) await once(out, 'close');
}

async function measure(label: string, path: string): Promise<void> {
  // CPU time, not wall time: the machine is shared, and a reader's cost is what it burns on one core.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  let heap = 0;
  for await (const input of enumerateInputs([path])) {
    const source = await openSource(input);
    for await (const batch of source.batches) {
      n += batch.type === 'cloudtrail' ? batch.records.length : batch.type === 'flows' ? batch.records.length : 1;
      heap = Math.max(heap, process.memoryUsage().rss);
    }
  }
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  console.log(
    `${label.padEnd(44)} ${n.toLocaleString().padStart(10)}: ${Math.round(n / cpu).toLocaleString().padStart(9)}/s of CPU (${cpu.toFixed(2)} s), wall ${wall.toFixed(2)} s, peak RSS ${Math.round(heap / 2 ** 20)} MB`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

async function main(): Promise<void> {
const dir = await mkdtemp(join(tmpdir(), 'trailscope-measure-'));
try {
  const recordBytes = syntheticRecord(1).length;
  console.log(`record size ${recordBytes} bytes`);
  await writeLines(join(dir, 'small.json'), '{"Records":[', syntheticRecord, 20_000, ',', ']}');
  await measure('CloudTrail 20k records, fast path', join(dir, 'small.json'));
  await writeLines(join(dir, 'big.json'), '{"Records":[', syntheticRecord, 150_000, ',', ']}');
  await measure('CloudTrail 150k records one line, streamed', join(dir, 'big.json'));
  await writeLines(join(dir, 'big.json.gz'), '{"Records":[', syntheticRecord, 150_000, ',', ']}', true);
  await measure('CloudTrail 150k records gzip, streamed', join(dir, 'big.json.gz'));
  await writeLines(join(dir, 'lines.jsonl'), '', syntheticRecord, 150_000, '\n', '\n');
  await measure('CloudTrail 150k records JSON Lines', join(dir, 'lines.jsonl'));
  await writeLines(join(dir, 'flows.log'), '', syntheticFlowLine, 1_000_000, '\n', '\n');
  await measure('flow log 1M lines default format', join(dir, 'flows.log'));
  await writeLines(join(dir, 'flows.log.gz'), 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n', syntheticFlowLine, 1_000_000, '\n', '\n', true);
  await measure('flow log 1M lines with header, gzip', join(dir, 'flows.log.gz'));
} finally {
  await rm(dir, { recursive: true, force: true });
}
}
