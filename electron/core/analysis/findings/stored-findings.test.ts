// The stored findings (stored-findings.ts, findings-list.ts) against the full computation (findings()):
// the same findings, incidents, counts and notes for every filter, after an ingest in two parts as
// after one, unchanged by re-ingest, brought up to date after Sigma rules and suppressions, and
// computed once for a case that has none yet.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { REAL } from '../../../../test-support/case-fixtures.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import { openCase, type CaseDb } from '../../db/open-case.ts';
import type { FindingsResult } from '../../../../shared/engine-types.ts';
import { FINDINGS_PAGE_MAX } from '../../../../shared/api/bounds.ts';
import { findings } from './findings.ts';
import { listFindings, type FindingsQuery } from './findings-list.ts';
import { FINDINGS_CODE_VERSION, staleParts, storeFindings } from './stored-findings.ts';
import { addSuppression } from './suppressions.ts';
import { loadSigmaIntoCase, removeSigmaFolder } from './sigma/case-sigma.ts';

const gen = mkdtempSync(join(tmpdir(), 'trailscope-stored-findings-'));
await generateAccount({ out: gen, events: 2500, flows: 200, seed: 23 });
const cases: { cleanup(): void }[] = [];
after(() => {
  for (const c of cases) c.cleanup();
  rmSync(gen, { recursive: true, force: true });
});

function newCase(name: string) {
  const c = tempCase(name);
  cases.push(c);
  return c;
}

/** Objects compared whatever their keys' order (a finding read back from JSON keeps its own). */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canon(x)]));
  return v;
}

const ALL = { limit: FINDINGS_PAGE_MAX };

/** The stored list and the full computation give the same answer to one question. */
function assertSame(db: CaseDb, q: FindingsQuery, what: string) {
  const stored = listFindings(db, { ...q, ...ALL });
  const full = findings(db, q);
  assert.ok(stored.findings.length < FINDINGS_PAGE_MAX, 'the page holds the whole list');
  assert.equal(stored.total, full.findings.length, `${what}: total`);
  assert.deepEqual(canon(stored.findings), canon(full.findings), `${what}: findings`);
  for (const k of ['counts', 'incidents', 'blindWindows', 'byRule', 'notes', 'sigma', 'suppressed'] as const) assert.deepEqual(canon(stored[k]), canon(full[k]), `${what}: ${k}`);
}

const files = filesUnder(join(gen, 'AWSLogs'));
const config = join(gen, 'config');
const whole = newCase('whole');
await ingestPaths(whole.db, [join(gen, 'AWSLogs'), config]);

test('after an ingest the findings are stored, and read back as the full computation gives them, filter by filter', () => {
  assert.deepEqual(staleParts(whole.db), [], 'the ingest stored every part');
  const n = whole.db.prepare('SELECT count(*) FROM stored_findings').pluck().get() as number;
  assert.ok(n > 10, `findings stored (${n})`);
  assertSame(whole.db, {}, 'everything');
  const some = findings(whole.db).findings;
  const withActor = some.find((f) => f.actor?.chain.some((l) => l.accessKeyId));
  const key = withActor!.actor!.chain.find((l) => l.accessKeyId)!.accessKeyId!;
  assertSame(whole.db, { actor: key }, 'one key');
  assertSame(whole.db, { actor: withActor!.actor!.origin.id }, 'one origin');
  const mid = some[Math.floor(some.length / 2)].firstTime;
  assertSame(whole.db, { from: mid }, 'from');
  assertSame(whole.db, { to: mid }, 'to');
  const account = whole.db.prepare('SELECT s.value FROM event_rows e JOIN strings s ON s.id = e.account_id LIMIT 1').pluck().get() as string;
  assertSame(whole.db, { accounts: [account] }, 'one account');
  assertSame(whole.db, { accounts: ['999999999999'] }, 'an account without findings');
});

test('suppressions apply to the stored list as to the full computation, without recomputing it', () => {
  const all = findings(whole.db).findings;
  addSuppression(whole.db, { scope: 'rule', ruleId: all[0].rule!.id, reason: 'expected here' });
  addSuppression(whole.db, { scope: 'finding', ruleId: all[all.length - 1].rule!.id, target: all[all.length - 1].id!, reason: 'the admin' });
  assert.deepEqual(staleParts(whole.db), [], 'a decision changes no stored finding');
  assertSame(whole.db, {}, 'suppressed hidden');
  assertSame(whole.db, { includeSuppressed: true }, 'suppressed listed');
  const r = listFindings(whole.db, { ...ALL, includeSuppressed: true });
  assert.ok((r.suppressed ?? 0) >= 2);
});

test('pages: the pages put together are the list, in time order or by incident', () => {
  const full = listFindings(whole.db, { ...ALL, includeSuppressed: true });
  for (const order of ['time', 'incident'] as const) {
    const pages: FindingsResult['findings'] = [];
    for (let offset = 0; ; offset += 7) {
      const p = listFindings(whole.db, { includeSuppressed: true, order, offset, limit: 7 });
      assert.equal(p.total, full.total);
      pages.push(...p.findings);
      if (p.findings.length < 7) break;
    }
    const ids = pages.map((f) => f.id);
    assert.equal(new Set(ids).size, full.findings.length, `${order}: every finding once`);
    if (order === 'time') assert.deepEqual(ids, full.findings.map((f) => f.id));
    else {
      const ranks = pages.map((f) => (f.suppressed ? Infinity : f.incident!));
      for (let i = 1; i < ranks.length; i++) assert.ok(ranks[i - 1] <= ranks[i], 'incidents highest score first, suppressed last');
    }
  }
  const sev = full.severities!;
  assert.equal(sev.critical + sev.high + sev.medium + sev.low, full.findings.length - (full.suppressed ?? 0));
});

test('an ingest in two parts stores exactly the findings of one ingest; re-ingest changes nothing', async () => {
  const split = newCase('split');
  const half = Math.floor(files.length / 2);
  await ingestPaths(split.db, [...files.slice(0, half), config]);
  assert.deepEqual(staleParts(split.db), []);
  const early = listFindings(split.db, ALL);
  await ingestPaths(split.db, files.slice(half));
  assert.deepEqual(staleParts(split.db), [], 'the second ingest brought the stored findings up to date');
  const a = listFindings(split.db, ALL);
  const fresh = newCase('fresh');
  await ingestPaths(fresh.db, [join(gen, 'AWSLogs'), config]);
  const b = listFindings(fresh.db, ALL);
  assert.notEqual(early.total, a.total, 'the second half brought findings');
  assert.deepEqual(canon(a), canon(b), 'two parts = one ingest');
  await ingestPaths(fresh.db, [join(gen, 'AWSLogs'), config]);
  assert.deepEqual(canon(listFindings(fresh.db, ALL)), canon(b), 're-ingest: the same findings');
});

test('a case without stored findings (made before them) computes them once, at its first ask; flow logs recompute the flows part alone', async () => {
  const old = newCase('old');
  const account = join(gen, 'AWSLogs', readdirSync(join(gen, 'AWSLogs'))[0]);
  await ingestPaths(old.db, [join(account, 'CloudTrail'), config]);
  old.db.exec('DELETE FROM stored_findings; DELETE FROM stored_findings_parts');
  assert.deepEqual(staleParts(old.db), ['builtin', 'sigma', 'detector', 'flows']);
  assertSame(old.db, {}, 'first ask');
  assert.deepEqual(staleParts(old.db), []);
  assert.deepEqual(storeFindings(old.db), [], 'the second ask computes nothing');
  const stamps = () => new Map(old.db.prepare('SELECT part, stamp FROM stored_findings_parts').raw().all() as [string, string][]);
  const before = stamps();
  const flows = await ingestPaths(old.db, [join(account, 'vpcflowlogs')]);
  assert.ok(flows.flows > 0, 'flow records were read');
  const now = stamps();
  assert.notEqual(now.get('flows'), before.get('flows'), 'the connections through openings read the flows: recomputed');
  assert.deepEqual([now.get('builtin'), now.get('sigma'), now.get('detector')], [before.get('builtin'), before.get('sigma'), before.get('detector')],
    'the rules, analyzers and detectors do not read them');
  assertSame(old.db, {}, 'after the flow logs');
  // Parts an earlier version of the rules computed are recomputed at the next ask, as the code finds them now.
  old.db.exec(`UPDATE stored_findings_parts SET stamp = 'v${FINDINGS_CODE_VERSION - 1}' || substr(stamp, instr(stamp, '|'))`);
  assert.deepEqual(staleParts(old.db), ['builtin', 'sigma', 'detector', 'flows']);
  assertSame(old.db, {}, 'after a new version of the rules');
  assert.deepEqual(staleParts(old.db), []);
  // The case is untrusted: a stored finding that is not JSON is left out, notes that are not a list are none.
  const n = listFindings(old.db, ALL).findings.length;
  old.db.exec("UPDATE stored_findings SET body = '{not json' WHERE seq = (SELECT min(seq) FROM stored_findings); UPDATE stored_findings_parts SET notes = '{\"a\": 1}', extra = '[1]'");
  const damaged = listFindings(old.db, ALL);
  assert.equal(damaged.findings.length, n - 1);
  assert.equal(damaged.notes, undefined);
});

test('Sigma rules loaded and removed: only the Sigma part is recomputed, and the list is the full computation', () => {
  const c = whole.db;
  const builtinAt = () => c.prepare("SELECT computed_at FROM stored_findings_parts WHERE part = 'builtin'").pluck().get();
  const before = builtinAt();
  const loaded = loadSigmaIntoCase(c, `${REAL}sigma-cloudtrail/rules`);
  assert.ok(loaded.rules.length > 10);
  assert.deepEqual(staleParts(c), ['sigma']);
  // While an import or pull holds the case, the answer stored so far is read as it is, and says so.
  const during = listFindings(c, ALL, { busy: true });
  assert.equal(during.sigma, undefined, 'the Sigma part is not computed while busy');
  assert.match(during.notes?.at(-1) ?? '', /an import or pull is running/);
  assert.deepEqual(staleParts(c), ['sigma']);
  // Opened read-only, a stale case is answered by the full computation.
  const readOnly = openCase(whole.path, { readonly: true });
  try {
    assert.deepEqual(canon(listFindings(readOnly, ALL).findings), canon(findings(readOnly).findings));
    assert.ok(listFindings(readOnly, ALL).sigma, 'with the Sigma rules');
  } finally {
    readOnly.close();
  }
  assertSame(c, { includeSuppressed: true }, 'with Sigma');
  const r = listFindings(c, ALL);
  assert.ok(r.sigma && r.sigma.loaded === loaded.rules.length, 'the loaded rules are reported');
  assert.equal(builtinAt(), before, 'the built-in part was not recomputed');
  removeSigmaFolder(c, loaded.folder);
  assertSame(c, {}, 'after removal');
  assert.equal(listFindings(c, ALL).sigma, undefined);
});

test('detector findings imported later recompute the detector part alone, linked to the stored events', async () => {
  const fixtures = new URL('../../ingest/parse/detectors/fixtures/', import.meta.url).pathname;
  const c = newCase('detectors');
  await ingestPaths(c.db, [join(gen, 'AWSLogs'), config]);
  const at = () => Object.fromEntries(c.db.prepare('SELECT part, computed_at FROM stored_findings_parts').raw().all() as [string, number][]);
  const before = at();
  const summary = await ingestPaths(c.db, [fixtures]);
  assert.ok(summary.findings > 0, 'detector findings were imported');
  assert.deepEqual(staleParts(c.db), [], 'the ingest stored them');
  const after = at();
  assert.equal(after.builtin, before.builtin, 'the built-in part was not recomputed');
  assert.notEqual(after.detector, before.detector, 'the detector part was');
  const r = listFindings(c.db, ALL);
  assert.ok(r.findings.some((f) => f.kind === 'detector'), 'listed beside the built-in findings');
  assertSame(c.db, {}, 'with detector findings');
});
