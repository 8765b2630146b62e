// The workbench's read calls over a whole case, as the app asks them: the case-wide answers, then each
// of the first actors, resources and events. Returns the answers that failed inside the engine (kind
// 'internal'); a refusal of the input itself (not found, too large) is an answer. Shared by the tests
// that hand the engine hostile data: mutated records, crafted case values.
import type { CaseDb } from '../electron/core/db/open-case.ts';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import type { CallName } from '../shared/api/index.ts';

/** What is asked one by one: the first of each. */
const EACH = { actors: 40, resources: 40, events: 60 };

/** Asks every read call about the case at `path` (`db` open on it, closed here) and returns what failed. */
export async function failedAnswers(db: CaseDb, path: string): Promise<string[]> {
  const keys = db.prepare(`SELECT actor_key FROM actor_rows WHERE length(actor_key) <= 2048 ORDER BY id LIMIT ${EACH.actors}`).pluck().all() as string[];
  const resources = db.prepare(`SELECT id FROM resources WHERE length(id) <= 2048 ORDER BY id LIMIT ${EACH.resources}`).pluck().all() as string[];
  const ids = db.prepare(`SELECT id FROM event_rows ORDER BY id LIMIT ${EACH.events}`).pluck().all() as number[];
  db.close();
  const wb = openWorkbench(path, { cli: { writes: false } });
  const failed: string[] = [];
  const ask = async (name: CallName, args: unknown) => {
    const r = await wb.dispatch(name, args as never);
    if (!r.ok && r.error.kind === 'internal') failed.push(`${name} ${JSON.stringify(args).slice(0, 120)}: ${r.error.message}`);
  };
  try {
    await ask('case:info', {});
    await ask('timeline:page', { filter: {} });
    await ask('timeline:histogram', { filter: {}, buckets: 50 });
    for (const by of ['event', 'actor', 'ip', 'agent', 'error']) await ask('timeline:sorted', { filter: {}, by });
    await ask('findings:list', { order: 'incident' });
    await ask('case:blindWindows', {});
    await ask('graph:overview', { calls: true });
    await ask('graph:at', {});
    await ask('flows:list', {});
    await ask('flows:chains', {});
    for (const q of ['<img', '0.0.0.0/0', 'AKIA', 'x']) await ask('graph:search', { query: q });
    for (const key of keys) {
      await ask('actor:report', { query: key, findings: 'all' });
      await ask('findings:list', { actor: key });
    }
    for (const id of resources) await ask('history:forResource', { resourceId: id });
    for (const id of ids) await ask('event:get', { id });
    await ask('export:timeline', { filter: {}, format: 'csv' });
    await ask('report:build', { format: 'html', redact: true });
  } finally {
    await wb.close();
  }
  return failed;
}
