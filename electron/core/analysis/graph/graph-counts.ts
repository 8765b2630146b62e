// Event and flow counts as they stood at a moment T, for the graph: per resource, per principal,
// per source address, principal → resource changes, address → principal, and public peers of each
// interface. Two grouped scans (events × resources, events by identity and address) and the flow
// records counted per public peer (flows/peer-counts.ts) are bucketed by 15 minutes and kept per
// connection; an answer at T is the buckets before T's bucket plus an exact count of T's own partial
// bucket (an index range, or the blocks of its quarter hour). The cache is rebuilt when the case
// grows (new event or flow rows).
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { textsById } from '../texts-by-id.ts';
import { SeriesMap, addTo } from './series.ts';
import { BUCKET_MS } from '../../db/graph-bucket.ts';
import { PeerKeys, scanPeerCounts, type PeerCount } from '../flows/peer-counts.ts';
import { PeerSeries } from './peer-series.ts';

const SEP = '\u0000';

// Touch classes: reads are counted but draw no edge; failed calls changed nothing. The links are
// grouped on their stored ids (migration 0128: through the event_resources view every link would look
// its resource and touch up), each group named after, in the order the text would have grouped them.
const touchIs = (...touches: string[]) => `r.touch IN (SELECT id FROM strings WHERE value IN (${touches.map((t) => `'${t}'`).join(', ')}))`;
const CLASS_SQL = `CASE WHEN ${touchIs('read', 'used')} THEN 0 WHEN e.error_code IS NOT NULL THEN 1
  WHEN ${touchIs('created')} THEN 3 WHEN ${touchIs('deleted')} THEN 4 ELSE 2 END`;
const touchSql = (where: string) => `SELECT s.value, g.arn, g.cls, g.bucket, g.n, g.first, g.last FROM (
  SELECT r.resource AS res, e.identity_arn AS arn, ${CLASS_SQL} AS cls, e.event_time / ${BUCKET_MS} AS bucket, count(*) AS n,
    min(e.event_time) AS first, max(e.event_time) AS last
  FROM event_rows e JOIN event_resource_rows r ON r.event = e.id ${where} GROUP BY 1, 2, 3, 4) g
  JOIN strings s ON s.id = g.res ORDER BY s.value, g.arn, g.cls, g.bucket`;
const Q_TOUCH_ALL = touchSql('');
const Q_TOUCH_RANGE = touchSql('WHERE e.event_time >= ? AND e.event_time <= ?');
const Q_ACT = `SELECT identity_arn, source_ip, event_time / ${BUCKET_MS}, count(*) FROM event_rows`;
// Events made with each access key the case lists as a resource (userIdentity.accessKeyId), per
// bucket: one index range per key. A key node's count is its use, not the few calls that touched it.
const Q_KEY_USE = `SELECT r.id, e.event_time / ${BUCKET_MS}, count(*) FROM resources r JOIN strings s ON s.value = r.id
  JOIN event_rows e ON e.access_key_id = s.id WHERE r.type = 'access-key' GROUP BY 1, 2`;
const Q_KEY_USE_RANGE = `SELECT access_key_id, count(*) FROM event_rows WHERE event_time >= ? AND event_time <= ? AND access_key_id IS NOT NULL GROUP BY 1`;

type TouchRow = [resource: string, arn: number | null, cls: number, bucket: number, n: number, min: number, max: number];
type ActRow = [arn: number | null, ip: number | null, bucket: number, n: number];

export type CountsAt = {
  /** Events that touched each resource, up to T. */
  resources: Map<string, number>;
  /** `arn \0 resource` → successful changes (created, modified, deleted, attached…) up to T. */
  actedOn: Map<string, number>;
  /** Events made with each access key listed in resources (userIdentity.accessKeyId = the key), up to T. */
  keyUse: Map<string, number>;
  /** Events per recorded identity ARN. */
  principals: Map<string, number>;
  /** Events per source IP address (IP-shaped sources only; service names are left out). */
  ips: Map<string, number>;
  /** `ip \0 arn` → events. */
  ipPrincipal: Map<string, number>;
  /** Public peers of each interface: flow records accepted and rejected up to T. */
  peers: PeerCount[];
  /** Resources whose last successful delete before T was not followed by a re-creation. */
  deleted: Set<string>;
};

type Cache = {
  mark: string;
  touch: SeriesMap; // `${resource}\0${arnId}\0${cls}`
  act: SeriesMap; // `${arnId}\0${ipId}`
  flow: PeerSeries;
  keyUse: SeriesMap; // access key id
  keys: Set<string>;
  created: Map<string, number[]>;
  deletes: Map<string, number[]>;
  names: Map<number, string>;
};

const caches = new WeakMap<CaseDb, Cache>();

const IP_SHAPE = /^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f]*:[0-9a-f:.]*$/i;

function watermark(db: CaseDb): string {
  const ev = stmt(db, 'SELECT max(id) FROM event_rows').pluck().get() as number | null;
  const fl = stmt(db, 'SELECT max(id) FROM flow_blocks').pluck().get() as number | null;
  // Resources too: a key listed by a later snapshot gets its use counted.
  const rs = stmt(db, 'SELECT max(rowid) FROM resources').pluck().get() as number | null;
  return `${ev ?? 0}:${fl ?? 0}:${rs ?? 0}`;
}

function cacheFor(db: CaseDb): Cache {
  const mark = watermark(db);
  const old = caches.get(db);
  if (old && old.mark === mark) return old;
  const peerKeys = new PeerKeys();
  const flow = new PeerSeries(peerKeys, scanPeerCounts(db, {}, peerKeys, { bucketed: true }).rows);
  const c: Cache = { mark, touch: new SeriesMap(), act: new SeriesMap(), flow, keyUse: new SeriesMap(), keys: new Set(), created: new Map(), deletes: new Map(), names: new Map() };
  for (const r of stmt(db, Q_TOUCH_ALL).raw().iterate() as IterableIterator<TouchRow>) {
    c.touch.add(`${r[0]}${SEP}${r[1] ?? ''}${SEP}${r[2]}`, r[3], r[4]);
    if (r[2] === 3) push(c.created, r[0], r[6]);
    if (r[2] === 4) push(c.deletes, r[0], r[5]);
  }
  for (const r of stmt(db, `${Q_ACT} GROUP BY 1, 2, 3`).raw().iterate() as IterableIterator<ActRow>) c.act.add(`${r[0] ?? ''}${SEP}${r[1] ?? ''}`, r[2], r[3]);
  for (const [key, bucket, n] of stmt(db, Q_KEY_USE).raw().iterate() as IterableIterator<[string, number, number]>) {
    c.keyUse.add(key, bucket, n);
    c.keys.add(key);
  }
  c.touch.finish();
  c.act.finish();
  c.keyUse.finish();
  for (const list of [...c.created.values(), ...c.deletes.values()]) list.sort((a, b) => a - b);
  caches.set(db, c);
  return c;
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** Counts as they stood at `at` (epoch ms; null = the whole case). */
export function countsAt(db: CaseDb, at: number | null): CountsAt {
  const c = cacheFor(db);
  const bucket = at === null ? Infinity : Math.floor(at / BUCKET_MS);
  const touch = c.touch.before(bucket);
  const act = c.act.before(bucket);
  const keyUse = c.keyUse.before(bucket);
  const name = nameOf(db, c.names);
  if (at !== null && Number.isFinite(bucket)) {
    // T's own bucket, exactly: events from the bucket's start to T (flows: peersAt).
    const lo = bucket * BUCKET_MS;
    for (const r of stmt(db, Q_TOUCH_RANGE).raw().iterate(lo, at) as IterableIterator<TouchRow>) addTo(touch, `${r[0]}${SEP}${r[1] ?? ''}${SEP}${r[2]}`, r[4]);
    for (const r of stmt(db, `${Q_ACT} WHERE event_time >= ? AND event_time <= ? GROUP BY 1, 2, 3`).raw().iterate(lo, at) as IterableIterator<ActRow>) {
      addTo(act, `${r[0] ?? ''}${SEP}${r[1] ?? ''}`, r[3]);
    }
    for (const [keyId, n] of stmt(db, Q_KEY_USE_RANGE).raw().iterate(lo, at) as IterableIterator<[number, number]>) {
      const key = name(keyId);
      if (key && c.keys.has(key)) addTo(keyUse, key, n);
    }
  }
  const out: CountsAt = { resources: new Map(), keyUse, actedOn: new Map(), principals: new Map(), ips: new Map(), ipPrincipal: new Map(), peers: peersAt(db, c.flow, bucket, at), deleted: new Set() };
  for (const [k, n] of touch) {
    const [res, arnId, cls] = k.split(SEP);
    addTo(out.resources, res, n);
    if ((cls === '2' || cls === '3' || cls === '4') && arnId) addTo(out.actedOn, `${name(Number(arnId))}${SEP}${res}`, n);
  }
  for (const [k, n] of act) {
    const [arnId, ipId] = k.split(SEP);
    const arn = arnId ? name(Number(arnId)) : null;
    const ip = ipId ? name(Number(ipId)) : null;
    if (arn) addTo(out.principals, arn, n);
    if (ip && IP_SHAPE.test(ip)) {
      addTo(out.ips, ip, n);
      if (arn) addTo(out.ipPrincipal, `${ip}${SEP}${arn}`, n);
    }
  }
  const limit = at ?? Infinity;
  for (const [res, dels] of c.deletes) {
    const lastDelete = latestAtOrBefore(dels, limit);
    if (lastDelete === null) continue;
    const recreated = latestAtOrBefore(c.created.get(res) ?? [], limit);
    if (recreated === null || recreated < lastDelete) out.deleted.add(res);
  }
  return out;
}

/**
 * Public peers of each interface up to `at`: the buckets before T's from the series, and T's own
 * bucket up to T counted exactly; peers in the order their keys were first met, T's new ones last.
 */
function peersAt(db: CaseDb, series: PeerSeries, bucket: number, at: number | null): PeerCount[] {
  const partial = at !== null && Number.isFinite(bucket) ? scanPeerCounts(db, { from: bucket * BUCKET_MS, to: at }, series.keys, { bucketed: false }).rows : null;
  const { counts, order } = series.before(bucket, series.keys.size);
  if (partial) {
    for (let r = 0; r < partial.key.length; r++) {
      const k = partial.key[r];
      if (!(counts[k] > 0)) order.push(k);
      counts[k] += partial.n[r];
    }
  }
  return series.keys.peers(order, counts);
}

function latestAtOrBefore(sorted: number[], t: number): number | null {
  let best: number | null = null;
  for (const v of sorted) if (v <= t) best = v;
    else break;
  return best;
}

function nameOf(db: CaseDb, names: Map<number, string>): (id: number) => string | null {
  const text = textsById(db, names);
  return (id) => text(id) || null;
}

export function splitPair(key: string): [string, string] {
  const i = key.indexOf(SEP);
  return [key.slice(0, i), key.slice(i + 1)];
}
