// The CSV export opened by a real spreadsheet engine, as an analyst opens it: LibreOffice (headless)
// imports it once with comma as the separator and once with semicolon (the separator of locales that
// write decimals with a comma), and no cell of either sheet is a formula. A naive CSV of the same
// values (unquoted, unguarded) is converted alongside and does produce formulas: the engine evaluates
// them, so this test can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import yauzl from 'yauzl';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openWorkbench } from '../api/open-workbench.ts';
import type { ExportResult } from '../../../shared/api/types.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

// User agents (attacker-chosen) that start, or after a `;` contain, a formula.
const AGENTS = ['aws-cli;=1+1', '=1+1', '+1', '-1+1', '@SUM(1)', 'x;@SUM(1)', 'y;-2+3', '\t=1+1', 'a,b;=2+2', '=HYPERLINK("http://evil.example","x")'];

function soffice(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function readZipEntry(file: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in ${file}`)));
      zip.readEntry();
    });
  });
}

/** Formula cells of a converted sheet: ODS marks them table:formula, XLSX writes an <f> element. */
async function formulaCells(file: string): Promise<string[]> {
  if (file.endsWith('.ods')) return [...(await readZipEntry(file, 'content.xml')).matchAll(/table:formula="([^"]*)"/g)].map((m) => m[1]);
  return [...(await readZipEntry(file, 'xl/worksheets/sheet1.xml')).matchAll(/<f(?:\s[^>]*)?>([^<]*)<\/f>/g)].map((m) => m[1]);
}

function hostileRecord(i: number, agent: string) {
  return {
    eventVersion: '1.08',
    eventID: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
    eventTime: `2024-05-01T10:00:${String(i).padStart(2, '0')}Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: agent,
    readOnly: false,
    recipientAccountId: '111122223333',
    errorCode: i === 0 ? '-cmd;=1+1' : undefined,
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
  };
}

test('no cell of the CSV export becomes a formula in LibreOffice, with comma or semicolon as the separator', async (t) => {
  const bin = soffice();
  if (!bin) {
    // CI installs LibreOffice (.ci/run); a developer machine without it is told why the test did not run.
    if (process.env.CI) assert.fail('soffice (LibreOffice) is not installed: .ci/run installs libreoffice-calc-nogui');
    t.skip('soffice (LibreOffice) is not installed: apt-get install libreoffice-calc-nogui to run this test');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-csv-lo-'));
  t.after(() => removeFolder(dir));
  const trail = join(dir, 'trail.json');
  writeFileSync(trail, JSON.stringify({ Records: AGENTS.map((a, i) => hostileRecord(i, a)) }));
  const casePath = join(dir, 'csv.case');
  const db = openCase(casePath);
  await ingestPaths(db, [trail]);
  db.close();
  const wb = openWorkbench(casePath);
  const r = await wb.dispatch('export:timeline', { filter: { includeReadOnly: true }, format: 'csv' });
  await wb.close();
  assert.ok(r.ok, JSON.stringify(r));
  const csv = (r.value as ExportResult).content;
  assert.equal((r.value as ExportResult).rows, AGENTS.length);
  writeFileSync(join(dir, 'export.csv'), csv);
  // The control: the same values as a naive writer puts them (no quotes, no guard).
  writeFileSync(join(dir, 'naive.csv'), `agent,error\r\n${AGENTS.map((a) => `${a.replace(/[\t,"]/g, '')},x`).join('\r\n')}\r\n`);

  // Its own profile, so a LibreOffice already running (another test, the user's) is not disturbed.
  const profile = pathToFileURL(join(dir, 'lo-profile')).href;
  const convert = (separator: number, to: 'ods' | 'xlsx', outDir: string) =>
    execFileSync(bin, [`-env:UserInstallation=${profile}`, '--headless', `--infilter=CSV:${separator},34,76,1`, '--convert-to', to, '--outdir', outDir, join(dir, 'export.csv'), join(dir, 'naive.csv')], {
      timeout: 120_000,
      stdio: 'pipe',
    });
  convert(44, 'ods', join(dir, 'comma'));
  convert(59, 'xlsx', join(dir, 'semicolon'));

  for (const [how, file] of [['comma', join(dir, 'comma', 'export.ods')], ['semicolon', join(dir, 'semicolon', 'export.xlsx')]]) {
    assert.deepEqual(await formulaCells(file), [], `${how}: the export holds no formula cell`);
  }
  for (const [how, file] of [['comma', join(dir, 'comma', 'naive.ods')], ['semicolon', join(dir, 'semicolon', 'naive.xlsx')]]) {
    assert.ok((await formulaCells(file)).length >= 3, `${how}: the naive CSV does make formulas (the engine evaluates them)`);
  }
  // With comma as the separator, every agent is one text cell that reads as written (guard included).
  const content = await readZipEntry(join(dir, 'comma', 'export.ods'), 'content.xml');
  assert.match(content, /<text:p>aws-cli;=1\+1<\/text:p>/);
  assert.match(content, /<text:p>&apos;=1\+1<\/text:p>/);
});
