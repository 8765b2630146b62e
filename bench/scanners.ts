// The port scans' worst case for bench:flows: as many flow records as the generator's million, as a
// flow log delivers them (version 2, no header), where every record but the scans' is a pair of
// addresses of its own: 98,000 addresses, half outside and half inside, each knocking once on port 22
// of ten hosts, the first pass's whole tally of pairs, and for those inside of (source, port) hosts
// too. Then 400 scans from inside and 400 from outside, 25 ports each, twice what a run makes findings
// of. And a crafted log of as many records each between two addresses of its own, past the addresses a
// run numbers (probe-reader.ts MAX_ADDRESSES). And the generator's account as most accounts' flow
// logs describe it (defaultFormatCase). Built once in bench/out.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { OUT } from './workloads.ts';
import { generateAccount } from '../tools/gen/generate.ts';

const ACCOUNT = '111122223333';
const T0 = Date.parse('2025-03-10T00:00:00Z') / 1000;

const line = (eni: number, src: string, dst: string, sport: number, dport: number, t: number) =>
  `2 ${ACCOUNT} eni-${eni.toString(16).padStart(17, '0')} ${src} ${dst} ${sport} ${dport} 6 1 44 ${T0 + t} ${T0 + t + 60} REJECT OK`;

export async function scannersCase(records: number): Promise<string> {
  return built(`scanners-${records}`, () => {
    const lines: string[] = [];
    const scanRecords = 800 * 25;
    const knockers = Math.floor((records - scanRecords) / 10);
    for (let k = 0; k < knockers; k++) {
      const src = `${k % 2 ? '10' : '45'}.${200 + ((k >> 16) & 15)}.${(k >> 8) & 255}.${k & 255}`;
      for (let h = 0; h < 10; h++) lines.push(line(h, src, `10.0.${h}.10`, 40_000 + (k % 20_000), 22, (k * 7 + h) % 86_400));
    }
    for (let s = 0; s < 800; s++) {
      const inside = s < 400;
      const src = inside ? `10.1.${s >> 8}.${s & 255}` : `198.51.${s >> 8}.${s & 255}`;
      for (let p = 0; p < 25; p++) lines.push(line(s % 10, src, `10.0.${s % 10}.10`, 50_000 + p, 1000 + p, (s * 97) % 86_000 + p));
    }
    return lines;
  });
}

/** Every record from an address of its own to an address of its own: twice MAX_ADDRESSES addresses at a million records. */
export async function uniqueAddressesCase(records: number): Promise<string> {
  const address = (n: number) => `${11 + ((n >> 24) & 63)}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return built(`unique-addresses-${records}`, () => Array.from({ length: records }, (_, k) => line(k % 10, address(2 * k), address(2 * k + 1), 40_000 + (k % 20_000), 1 + (k % 1000), k % 86_400)));
}

/** The case of `name` in bench/out, its lines written as files of 100,000 (as a busy interface's hour might be) and ingested the first time. */
async function built(name: string, lines: () => string[]): Promise<string> {
  const path = join(OUT, `flows-${name}.case`);
  if (existsSync(path)) return path;
  const dir = join(OUT, `gen-${name}`);
  mkdirSync(dir, { recursive: true });
  const all = lines();
  for (let f = 0; f * 100_000 < all.length; f++) {
    writeFileSync(join(dir, `${ACCOUNT}_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20250310T${String(f).padStart(4, '0')}Z_${f}.log`), `${all.slice(f * 100_000, (f + 1) * 100_000).join('\n')}\n`);
  }
  const db = openCase(path, { cacheMiB: 128 });
  await ingestPaths(db, [dir]);
  db.close();
  return path;
}

/**
 * The generator's account (10,000 events and `records` flow records, the planted incident among them)
 * with its flow logs in AWS's default format and no configuration: the connections through the opening
 * are then found by what came in before it (findings/outside-flows.ts), which reads the records again.
 */
export async function defaultFormatCase(records: number): Promise<string> {
  const path = join(OUT, `flows-default-format-${records}.case`);
  if (existsSync(path)) return path;
  const dir = join(OUT, `gen-default-format-10000-${records}`);
  if (!existsSync(join(dir, 'incident.json'))) await generateAccount({ events: 10_000, flows: records, seed: 1, out: dir, shape: { flowVersion: 2, config: false } });
  const db = openCase(path, { cacheMiB: 128 });
  await ingestPaths(db, [join(dir, 'AWSLogs')]);
  db.close();
  return path;
}
