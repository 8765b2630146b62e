// Writes gzipped files with a bounded number of compressions in flight (zlib runs them on the
// libuv thread pool, so generating the next file overlaps compressing the last).
import { mkdir, writeFile, utimes } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

export class GzipSink {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly dirs = new Map<string, Promise<unknown>>();
  bytes = 0;
  files = 0;
  readonly root: string;
  private readonly level: number;
  private readonly maxInFlight: number;

  constructor(root: string, level: number, maxInFlight = 4) {
    this.root = root;
    this.level = level;
    this.maxInFlight = maxInFlight;
  }

  private async ensureDir(dir: string): Promise<void> {
    let made = this.dirs.get(dir);
    if (!made) this.dirs.set(dir, (made = mkdir(dir, { recursive: true })));
    await made;
  }

  /**
   * Queues text for compression and writing; onHash gets the SHA-256 of the text (the decompressed
   * content: what a CloudTrail digest's hashValue covers, as `aws cloudtrail validate-logs` checks it).
   */
  async write(relPath: string, text: string, onHash?: (sha256: string) => void): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const full = join(this.root, relPath);
    const job = (async () => {
      await this.ensureDir(dirname(full));
      const gz = await gzipAsync(text, { level: this.level });
      if (onHash) onHash(createHash('sha256').update(text).digest('hex'));
      await writeFile(full, gz);
      this.bytes += gz.length;
      this.files++;
    })();
    const tracked = job.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** `modifiedAt` (ms) stamps the file's mtime: Trailscope reads a config dump's snapshot time from it. */
  async writePlain(relPath: string, text: string, modifiedAt?: number): Promise<void> {
    const full = join(this.root, relPath);
    await this.ensureDir(dirname(full));
    await writeFile(full, text);
    if (modifiedAt !== undefined) await utimes(full, modifiedAt / 1000, modifiedAt / 1000);
    this.bytes += Buffer.byteLength(text);
    this.files++;
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}
