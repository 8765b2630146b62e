// trailscope info --case FILE [--json]: what the case holds.
import { resolve } from 'node:path';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import type { AccountInfo, CaseSummary } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';

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
    `  flows from        ${i.flowFirstTime ? `${i.flowFirstTime} to ${i.flowLastTime}` : '-'}`,
    `  accounts          ${i.accounts.length || '-'}`,
    ...i.accountInfo.map(accountLine),
    `  regions           ${i.regions.map(safe).join(', ') || '-'}`,
    `  sources           ${i.sources} (${Object.entries(i.sourcesByStatus).map(([k, n]) => `${n} ${safe(k)}`).join(', ') || 'none'})`,
  ];
  for (const r of i.rejectedSources.slice(0, 20)) lines.push(`    rejected ${safe(r.path)}: ${safe(r.reason ?? 'no reason recorded')}`);
  if (i.rejectedCount > 20) lines.push(`    … and ${i.rejectedCount - 20} more rejected`);
  return lines.join('\n') + '\n';
}
