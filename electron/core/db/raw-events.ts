// Raw CloudTrail records are kept losslessly as their JSON text, compressed in blocks of 64 records
// with a preset dictionary of CloudTrail's recurring keys (a record compressed alone costs ~28 µs and
// shrinks little). Measured on 200,000 generated events: blocks of 32 at level 1 took 38 MB, blocks of
// 64 at level 4 about 30 MB at the same ingest speed; 128 records would save a little more but make
// every single-record read (who-changed reads one per change) inflate twice as much.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.ts';

export const RAW_BLOCK_RECORDS = 64;
export const RAW_CODEC = 'deflate-raw+dict1';

// Changing this text changes the codec: a new dictionary needs a new codec name.
const DICTIONARY = Buffer.from(
  [
    '{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"","arn":"arn:aws:sts::',
    ':assumed-role/","accountId":"","accessKeyId":"ASIA","sessionContext":{"sessionIssuer":{"type":"Role",',
    '"principalId":"AROA","arn":"arn:aws:iam::","accountId":"","userName":""},"webIdFederationData":{},',
    '"attributes":{"creationDate":"T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"T00:00:00Z",',
    '"eventSource":"ec2.amazonaws.com","eventName":"Describe","awsRegion":"us-east-1","sourceIPAddress":"',
    '","userAgent":"aws-cli/2. Python/3. Linux/ exe/x86_64 prompt/off command/","requestParameters":',
    '{"instancesSet":{"items":[{"instanceId":"i-"}]},"filterSet":{},"maxResults":},"responseElements":null,',
    '"requestID":"","eventID":"","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,',
    '"recipientAccountId":"","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3",',
    '"cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":".amazonaws.com"},',
    '"sessionCredentialFromConsole":"true","errorCode":"AccessDenied","errorMessage":"',
    '{"type":"IAMUser","principalId":"AIDA","arn":"arn:aws:iam::","userName":"","accessKeyId":"AKIA"',
    '"iam.amazonaws.com","sts.amazonaws.com","AssumeRole","roleArn":"arn:aws:iam::","roleSessionName":"',
    '"credentials":{"accessKeyId":"ASIA","sessionToken":"","expiration":""},"assumedRoleUser":{"assumedRoleId":"',
    '"s3.amazonaws.com","bucketName":"","Host":"","signin.amazonaws.com","ConsoleLogin","Mozilla/5.0 (',
  ].join(''),
);

/** Compresses one block of raw records (each a JSON text without newlines). */
export function packRawBlock(records: readonly string[]): Buffer {
  return deflateRawSync(Buffer.from(records.join('\n')), { dictionary: DICTIONARY, level: 4 });
}

export function unpackRawBlock(codec: string, data: Buffer): string[] {
  if (codec === RAW_CODEC) return inflateRawSync(data, { dictionary: DICTIONARY }).toString('utf8').split('\n');
  if (codec === 'json') return data.toString('utf8').split('\n');
  throw new Error(`unknown raw block codec '${codec}'`);
}

const statements = new WeakMap<CaseDb, { byEvent: Statement; byEventId: Statement }>();

function prepared(db: CaseDb) {
  let s = statements.get(db);
  if (!s) {
    s = {
      byEvent: db.prepare(
        'SELECT b.codec, b.data, e.raw_index AS idx FROM events e JOIN raw_blocks b ON b.id = e.raw_block WHERE e.id = ?',
      ),
      byEventId: db.prepare(
        'SELECT b.codec, b.data, e.raw_index AS idx FROM events e JOIN raw_blocks b ON b.id = e.raw_block WHERE e.event_id = ?',
      ),
    };
    statements.set(db, s);
  }
  return s;
}

type RawRow = { codec: string; data: Buffer; idx: number } | undefined;

function extract(row: RawRow): string | null {
  if (!row) return null;
  const text = unpackRawBlock(row.codec, row.data)[row.idx];
  return text ?? null;
}

/** The event's record exactly as stored (JSON text), by events.id. */
export function readRawEventText(db: CaseDb, eventRowId: number): string | null {
  return extract(prepared(db).byEvent.get(eventRowId) as RawRow);
}

/** The event's record parsed, by events.id. */
export function readRawEvent(db: CaseDb, eventRowId: number): Record<string, unknown> | null {
  const text = readRawEventText(db, eventRowId);
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

/** The event's record parsed, by CloudTrail eventID. */
export function readRawEventById(db: CaseDb, eventId: string): Record<string, unknown> | null {
  const text = extract(prepared(db).byEventId.get(eventId) as RawRow);
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}
