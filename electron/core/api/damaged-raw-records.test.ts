// A case file is hostile input too: a raw block that does not decompress, names a codec nobody wrote or
// holds text that is not a record costs the events of that block their stored record, nothing more.
// Asked through the service as the app and the CLI ask: who changed the group still answers (from the
// event's columns), the details view shows the event without a record, and the findings are computed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { loadRecords, readRecords, REAL } from '../../../test-support/case-fixtures.ts';
import { openWorkbench } from './open-workbench.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

const GROUP = 'sg-003dc7f1f1c686164';

/** Each damage, and what the details view shows as the record: nothing, or the stored text as text. */
const DAMAGE: Record<string, { codec: string; data: Buffer; shown: string }> = {
  'bytes that do not decompress': { codec: 'zstd+dict1', data: Buffer.from('not a zstd frame at all, just text'), shown: '' },
  'a codec nobody wrote': { codec: 'lz-something', data: Buffer.from('{}'), shown: '' },
  'text that is not a record': { codec: 'json', data: Buffer.from(Array(64).fill('<b>not a record</b>').join('\n')), shown: '<b>not a record</b>' },
};

for (const [what, damage] of Object.entries(DAMAGE)) {
  test(`a raw block holding ${what}: the events keep their rows, answers go on without their records`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailscope-damaged-raw-'));
    t.after(() => removeFolder(dir));
    const path = join(dir, 'damaged.case');
    const db = openCase(path);
    loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json`));
    const change = db.prepare(`SELECT e.id, e.raw_block AS block FROM events e WHERE e.event_name = 'AuthorizeSecurityGroupIngress'`).get() as { id: number; block: number };
    db.prepare('UPDATE raw_blocks SET codec = ?, data = ? WHERE id = ?').run(damage.codec, damage.data, change.block);
    db.close();

    const bench = openWorkbench(path);
    t.after(() => bench.close());
    const history = await bench.invoke('history:forResource', { resourceId: GROUP });
    assert.equal(history.items.length, 1, 'the change is still found, from the event row');
    assert.equal(history.items[0].eventName, 'AuthorizeSecurityGroupIngress');
    assert.equal(history.items[0].sourceIPAddress, '253.243.215.253');
    const detail = await bench.invoke('event:get', { id: change.id });
    assert.equal(detail.row.eventName, 'AuthorizeSecurityGroupIngress');
    assert.equal(detail.raw, damage.shown, 'no record, or the stored text as text, rather than a failure');
    const findings = await bench.invoke('findings:list', {});
    assert.ok(Array.isArray(findings.findings), 'the findings are computed for the rest of the case');
  });
}
