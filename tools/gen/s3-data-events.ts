// S3 data events: the object reads and writes a trail logs when its data event selectors include S3
// (`--s3-data-events P`). Workloads read and write objects all day, so a data-event trail names far more
// resources than a management one: new objects are written, and recent ones read again.
import { ALNUM, type Rng } from './prng.ts';
import type { CloudTrailRecord } from './records.ts';
import { buildRecord } from './records.ts';
import type { Session } from './background.ts';

/** Objects written lately, read again before older ones (a ring). */
const RECENT_OBJECTS = 2000;
/** The share of the object calls that write a new object. */
const WRITES = 0.3;

export class S3DataEvents {
  private readonly recent: string[] = [];
  private next = 0;

  constructor(private readonly rng: Rng, private readonly account: string, private readonly share: number) {}

  /** Whether a workload's next call is an object's read or write. */
  wanted(): boolean {
    return this.rng.chance(this.share);
  }

  /** An object read or write by the session at t, in its region's bucket of the account. */
  call(s: Session, t: number, region: string): CloudTrailRecord {
    const rng = this.rng;
    const write = this.recent.length === 0 || rng.chance(WRITES);
    const bucket = `${this.account}-${rng.pick(['data-lake', 'exports', 'uploads'])}-${region}`;
    const day = new Date(t).toISOString().slice(0, 10).replaceAll('-', '/');
    const key = write ? `${bucket}/data/${day}/${rng.hex(16)}.json.gz` : rng.pick(this.recent);
    if (write) {
      if (this.recent.length < RECENT_OBJECTS) this.recent.push(key);
      else this.recent[this.next++ % RECENT_OBJECTS] = key;
    }
    const [bucketName, ...path] = key.split('/');
    const bytes = rng.int(200, 5_000_000);
    return buildRecord(rng, {
      time: t, region, source: 's3.amazonaws.com', name: write ? 'PutObject' : 'GetObject', identity: s.identity, ip: s.ip, ua: s.ua,
      params: { bucketName, Host: `${bucketName}.s3.${region}.amazonaws.com`, key: path.join('/') },
      response: null,
      additional: { bytesTransferredIn: write ? bytes : 0, bytesTransferredOut: write ? 0 : bytes, 'x-amz-id-2': rng.chars(`${ALNUM}+/`, 76) },
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${key}` }, { accountId: this.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` }],
      readOnly: !write, dataEvent: true, recipient: this.account,
    });
  }
}
