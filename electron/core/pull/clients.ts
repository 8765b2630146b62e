// One place that builds the SDK clients of a pull, so every client agrees on credentials, endpoint,
// timeouts and retries. maxAttempts is 1: retries happen in retry.ts, where they can be paced,
// counted and cancelled. LookupEvents is paced in a middleware at the end of the stack (after
// signing, right before the wire), and each attempt reports back when it completed (pacer.ts).
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { AthenaClient } from '@aws-sdk/client-athena';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Pacer } from './pacer.ts';

export type ClientSettings = {
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
  requestTimeoutMs: number;
  lookupRate: number;
  signal?: AbortSignal;
};

type Common = {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttempts: number;
  endpoint?: string;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
};

/**
 * LookupEvents pacers for the whole process, per account, endpoint and region: the limit is the
 * account's, not one pull's, so a pull started right after another (a resume after cancel, a second
 * window) waits for the first one's last requests instead of being throttled by them.
 */
const PACERS = new Map<string, Pacer>();

export class Clients {
  readonly #settings: ClientSettings;
  readonly #cache = new Map<string, unknown>();
  /** The account the credentials belong to, once GetCallerIdentity said so. */
  account = 'unknown';

  constructor(settings: ClientSettings) {
    this.#settings = settings;
  }

  #common(region: string): Common {
    return {
      region,
      credentials: this.#settings.credentials,
      maxAttempts: 1,
      ...(this.#settings.endpoint ? { endpoint: this.#settings.endpoint } : {}),
      // Without throwOnRequestTimeout the SDK only warns about a hung request; a pull must retry it.
      requestHandler: { requestTimeout: this.#settings.requestTimeoutMs, connectionTimeout: 10_000, throwOnRequestTimeout: true },
    };
  }

  #get<T>(key: string, make: () => T): T {
    let client = this.#cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.#cache.set(key, client);
    }
    return client;
  }

  pacer(region: string): Pacer {
    const key = `${this.account}|${this.#settings.endpoint ?? 'aws'}|${region}|${this.#settings.lookupRate}`;
    let pacer = PACERS.get(key);
    if (!pacer) {
      pacer = new Pacer({ limit: this.#settings.lookupRate, windowMs: 1000 });
      PACERS.set(key, pacer);
    }
    return pacer;
  }

  cloudtrail(region: string): CloudTrailClient {
    return this.#get(`cloudtrail:${region}`, () => {
      const client = new CloudTrailClient(this.#common(region));
      const pacer = this.pacer(region);
      const signal = this.#settings.signal;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'LookupEventsCommand') return next(args);
          const done = await pacer.acquire(signal);
          try {
            const answer = await next(args);
            done();
            return answer;
          } catch (err) {
            // A service error carries the answer's status; a cancel, a timeout or a lost connection none.
            done((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined);
            throw err;
          }
        },
        { step: 'finalizeRequest', priority: 'low', name: 'trailscopeLookupPacer' },
      );
      return client;
    });
  }

  ec2(region: string): EC2Client {
    return this.#get(`ec2:${region}`, () => new EC2Client(this.#common(region)));
  }

  logs(region: string): CloudWatchLogsClient {
    return this.#get(`logs:${region}`, () => new CloudWatchLogsClient(this.#common(region)));
  }

  athena(region: string): AthenaClient {
    return this.#get(`athena:${region}`, () => new AthenaClient(this.#common(region)));
  }

  s3(region: string): S3Client {
    // Path-style keeps bucket names out of host names, which a local endpoint cannot resolve.
    return this.#get(`s3:${region}`, () => new S3Client({ ...this.#common(region), forcePathStyle: true }));
  }

  /** IAM is global; its endpoint lives in us-east-1. */
  iam(): IAMClient {
    return this.#get('iam', () => new IAMClient(this.#common('us-east-1')));
  }

  sts(region: string): STSClient {
    return this.#get(`sts:${region}`, () => new STSClient(this.#common(region)));
  }

  destroy(): void {
    for (const client of this.#cache.values()) (client as { destroy(): void }).destroy();
    this.#cache.clear();
  }
}
