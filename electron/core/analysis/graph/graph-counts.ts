// Event and flow counts as they stood at a moment T, for the graph: per resource, per principal,
// per source address, principal → resource changes, address → principal, and public peers of each
// interface. Two grouped scans (events × resources, events by identity and address) and the flow roll-ups are
// bucketed by 15 minutes and kept per connection; an answer at T is the buckets before T's bucket
// plus an exact count of T's own partial bucket (an index range). The cache is rebuilt when the
// case grows (new event or flow rows).
import type { CaseDb } from '../../db/open-case.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { stmt } from '../prepared.ts';
import { SeriesMap, addTo } from './series.ts';
import { BUCKET_MS } from '../../db/graph-bucket.ts';
import { flowCountsBetween, flowCountsByBucket, type FlowCountRow } from '../flows/flow-counts.ts';

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

export type PeerCount = { peer: string; eni: string; inbound: boolean; accepted: number; rejected: number };

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
  flow: SeriesMap; // `${peer}\0${eni}\0${in|out}\0${A|R}`
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
  const c: Cache = { mark, touch: new SeriesMap(), act: new SeriesMap(), flow: new SeriesMap(), keyUse: new SeriesMap(), keys: new Set(), created: new Map(), deletes: new Map(), names: new Map() };
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
  for (const r of flowCountsByBucket(db)) {
    const k = flowKey(r);
    if (k) c.flow.add(k, r[5], r[6]);
  }
  c.touch.finish();
  c.act.finish();
  c.flow.finish();
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

/** The public peer of a flow record and its direction relative to the interface; null when the peer is not public. */
export function flowKey(r: FlowCountRow): string | null {
  const [eni, src, dst, action, dir] = r;
  if (!eni) return null;
  let inbound: boolean;
  if (dir === 'ingress') inbound = true;
  else if (dir === 'egress') inbound = false;
  else if (isPublicAddress(src) && !isPublicAddress(dst)) inbound = true;
  else if (isPublicAddress(dst) && !isPublicAddress(src)) inbound = false;
  else return null;
  const peer = inbound ? src : dst;
  if (!peer || !isPublicAddress(peer)) return null;
  return `${peer}${SEP}${eni}${SEP}${inbound ? 'in' : 'out'}${SEP}${action === 'REJECT' ? 'R' : 'A'}`;
}

/** Counts as they stood at `at` (epoch ms; null = the whole case). */
export function countsAt(db: CaseDb, at: number | null): CountsAt {
  const c = cacheFor(db);
  const bucket = at === null ? Infinity : Math.floor(at / BUCKET_MS);
  const touch = c.touch.before(bucket);
  const act = c.act.before(bucket);
  const flow = c.flow.before(bucket);
  const keyUse = c.keyUse.before(bucket);
  const name = nameOf(db, c.names);
  if (at !== null && Number.isFinite(bucket)) {
    // T's own bucket, exactly: events and flows from the bucket's start to T.
    const lo = bucket * BUCKET_MS;
    for (const r of stmt(db, Q_TOUCH_RANGE).raw().iterate(lo, at) as IterableIterator<TouchRow>) addTo(touch, `${r[0]}${SEP}${r[1] ?? ''}${SEP}${r[2]}`, r[4]);
    for (const r of stmt(db, `${Q_ACT} WHERE event_time >= ? AND event_time <= ? GROUP BY 1, 2, 3`).raw().iterate(lo, at) as IterableIterator<ActRow>) {
      addTo(act, `${r[0] ?? ''}${SEP}${r[1] ?? ''}`, r[3]);
    }
    for (const [keyId, n] of stmt(db, Q_KEY_USE_RANGE).raw().iterate(lo, at) as IterableIterator<[number, number]>) {
      const key = name(keyId);
      if (key && c.keys.has(key)) addTo(keyUse, key, n);
    }
    for (const r of flowCountsBetween(db, { from: lo, to: at })) {
      const k = flowKey(r);
      if (k) addTo(flow, k, r[6]);
    }
  }
  const out: CountsAt = { resources: new Map(), keyUse, actedOn: new Map(), principals: new Map(), ips: new Map(), ipPrincipal: new Map(), peers: [], deleted: new Set() };
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
  const peers = new Map<string, PeerCount>();
  for (const [k, n] of flow) {
    const [peer, eni, dir, action] = k.split(SEP);
    const pk = `${peer}${SEP}${eni}${SEP}${dir}`;
    let p = peers.get(pk);
    if (!p) peers.set(pk, (p = { peer, eni, inbound: dir === 'in', accepted: 0, rejected: 0 }));
    if (action === 'R') p.rejected += n;
    else p.accepted += n;
  }
  out.peers = [...peers.values()];
  const limit = at ?? Infinity;
  for (const [res, dels] of c.deletes) {
    const lastDelete = latestAtOrBefore(dels, limit);
    if (lastDelete === null) continue;
    const recreated = latestAtOrBefore(c.created.get(res) ?? [], limit);
    if (recreated === null || recreated < lastDelete) out.deleted.add(res);
  }
  return out;
}

function latestAtOrBefore(sorted: number[], t: number): number | null {
  let best: number | null = null;
  for (const v of sorted) if (v <= t) best = v;
    else break;
  return best;
}

function nameOf(db: CaseDb, names: Map<number, string>): (id: number) => string | null {
  const get = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
  return (id) => {
    let v = names.get(id);
    if (v === undefined) {
      v = (get.get(id) as string | undefined) ?? '';
      names.set(id, v);
    }
    return v || null;
  };
}

export function splitPair(key: string): [string, string] {
  const i = key.indexOf(SEP);
  return [key.slice(0, i), key.slice(i + 1)];
}
