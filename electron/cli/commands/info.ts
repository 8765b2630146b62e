// trailscope info --case FILE [--json]: what the case holds.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openCase } from '../../core/db/open-case.ts';
import { caseInfo, type CaseInfo } from '../../core/case-info.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export const command: CliCommand = {
  name: 'info',
  summary: 'Counts, time range, accounts, regions and sources of a case file',
  usage: 'trailscope info --case FILE [--json]',
  async run(argv, io) {
    const { values } = parseFlags(argv, { case: { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = resolve(requireString(values.case, '--case FILE'));
    if (!existsSync(casePath)) {
      io.stderr.write(`trailscope info: no case file at ${safe(casePath)}\n`);
      return EXIT_FAILURE;
    }
    const db = openCase(casePath, { readonly: true });
    try {
      const info = caseInfo(db);
      io.stdout.write(values.json ? JSON.stringify(info) + '\n' : formatInfo(casePath, info));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};

function formatInfo(path: string, i: CaseInfo): string {
  const lines = [
    `Case ${safe(path)}`,
    `  events            ${i.events}`,
    `  flow records      ${i.flows}`,
    `  resources         ${i.resources} (${i.resourceVersions} versions)`,
    `  principals        ${i.principals}`,
    `  issued keys       ${i.credentials}`,
    `  events from       ${i.timeRange ? `${i.timeRange.from} to ${i.timeRange.to}` : '-'}`,
    `  flows from        ${i.flowTimeRange ? `${i.flowTimeRange.from} to ${i.flowTimeRange.to}` : '-'}`,
    `  accounts          ${i.accounts.map(safe).join(', ') || '-'}`,
    `  regions           ${i.regions.map(safe).join(', ') || '-'}`,
    `  sources           ${i.sources.total} (${Object.entries(i.sources.byStatus).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'})`,
  ];
  for (const r of i.rejectedSources.slice(0, 20)) lines.push(`    rejected ${safe(r.path)}: ${safe(r.reason)}`);
  if (i.rejectedSources.length > 20) lines.push(`    … and ${i.rejectedSources.length - 20} more rejected`);
  return lines.join('\n') + '\n';
}
