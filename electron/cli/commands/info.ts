// trailscope info --case FILE [--json]: what the case holds.
import { resolve } from 'node:path';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import type { AccountInfo, CaseSummary } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import { eventSpanText } from '../../../shared/event-span-text.ts';

export const command: CliCommand = {
  name: 'info',
  summary: 'Counts, time range, accounts, regions and sources of a case file',
  usage: 'trailscope info --case FILE [--json]',
  calls: ['case:info'],
  async run(argv, io) {
    const { values } = parseFlags(argv, { case: { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = resolve(requireString(values.case, '--case FILE'));
    const info = await withCase(casePath, {}, (invoke) => invoke('case:info', {}));
    io.stdout.write(values.json ? JSON.stringify(info) + '\n' : formatInfo(info));
    return EXIT_OK;
  },
};

/** Sources listed of each kind not read whole (the answer holds more, and counts them all). */
const LISTED = 20;

/** One account with what the data names it: "    123456789012  Prod  alias prod-x  organisation o-abc". */
function accountLine(a: AccountInfo): string {
  const parts = [a.id, a.name ?? '-', ...(a.alias ? [`alias ${a.alias}`] : []), ...(a.organization ? [`organisation ${a.organization}`] : [])];
  return `    ${parts.map(safe).join('  ')}`;
}

function formatInfo(i: CaseSummary): string {
  const lines = [
    `Case ${safe(i.path)}`,
    `  events            ${i.events}`,
    `  flow records      ${i.flows}`,
    `  resources         ${i.resources} (${i.resourceVersions} versions)`,
    `  principals        ${i.principals}`,
    `  issued keys       ${i.credentials}`,
    `  events from       ${i.firstTime ? `${i.firstTime} to ${i.lastTime}` : '-'}`,
    ...(eventSpanText(i.eventSpan) ? [`    ${eventSpanText(i.eventSpan)}`] : []),
    `  flows from        ${i.flowFirstTime ? `${i.flowFirstTime} to ${i.flowLastTime}` : '-'}`,
    `  accounts          ${i.accounts.length ? `${i.accounts.length}${i.moreAccounts ? ' listed, more not listed' : ''}` : '-'}`,
    ...i.accountInfo.map(accountLine),
    `  regions           ${i.regions.map(safe).join(', ') || '-'}${i.moreRegions ? ` (the first ${i.regions.length}; more not listed)` : ''}`,
    `  sources           ${i.sources} (${Object.entries(i.sourcesByStatus).map(([k, n]) => `${n} ${safe(k)}`).join(', ') || 'none'})`,
  ];
  for (const r of i.rejectedSources.slice(0, LISTED)) lines.push(`    rejected ${safe(r.path)}: ${safe(r.reason ?? 'no reason recorded')}`);
  if (i.rejectedCount > LISTED) lines.push(`    … and ${i.rejectedCount - LISTED} more rejected`);
  // Each source read in part as `trailscope ingest` said it, with the first record it refused.
  if (i.partlyReadFiles > 0) lines.push(`  records rejected  ${i.partlyReadRecords} in ${i.partlyReadFiles} sources read in part`);
  for (const p of i.partlyRead.slice(0, LISTED)) {
    const first = p.rejections[0];
    lines.push(`    ${p.rejectedRecords} records rejected in ${safe(p.path)} (${p.records} read)${first ? `, first ${safe(first.position)}: ${safe(first.reason)}` : ''}`);
  }
  if (i.partlyReadFiles > LISTED) lines.push(`    … and ${i.partlyReadFiles - LISTED} more read in part`);
  return lines.join('\n') + '\n';
}
