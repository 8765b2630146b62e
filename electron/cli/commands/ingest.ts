// trailscope ingest --case FILE PATH...: files, folders and zips into a case.
import { resolve } from 'node:path';
import { EXIT_OK, EXIT_PARTIAL, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openCase } from '../../core/db/open-case.ts';
import { ingestPaths } from '../../core/ingest/pipeline.ts';
import { inputCount } from '../../core/ingest/input-count.ts';
import { makeProgressBar } from '../progress-bar.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export const command: CliCommand = {
  name: 'ingest',
  summary: 'Read CloudTrail, VPC flow logs and AWS configuration files, folders, zips or tar archives into a case file',
  usage: 'trailscope ingest --case FILE [--json] [--max-bytes SIZE] [--follow-links] PATH...',
  calls: [],
  mirrors: { calls: ['import:start', 'job:status', 'job:cancel'], why: 'reads in this process with a progress bar, --max-bytes and --follow-links, and stops cleanly on Ctrl-C' },
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' },
      json: { type: 'boolean', default: false },
      'max-bytes': { type: 'string' },
      'follow-links': { type: 'boolean', default: false },
    });
    const maxBytes = values['max-bytes'] === undefined ? undefined : parseByteSize(values['max-bytes']);
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length === 0) throw new UsageError('give at least one file or folder to ingest');
    const db = openCase(resolve(casePath), { cacheMiB: 128 });
    try {
      const bar = io.stderr.isTTY ? makeProgressBar(io.rawStderr ?? io.stderr) : undefined;
      const summary = await ingestPaths(db, positionals.map((p) => resolve(p)), {
        signal: io.signal, onProgress: bar?.update, maxBytes, followLinks: values['follow-links'],
      });
      bar?.finish();
      if (values.json) {
        io.stdout.write(
          JSON.stringify({
            events: summary.events,
            flows: summary.flows,
            resources: summary.resources,
            findings: summary.findings,
            inputs: summary.inputs,
            duplicates: summary.duplicates,
            sources: summary.sources.map((s) => ({
              path: s.path, kind: s.kind, status: s.status, records: s.records, stored: s.stored,
              rejectedRecords: s.rejectedRecords, rejections: s.rejections, reason: s.reason,
            })),
            sourcesNotListed: summary.sourcesNotListed,
            rejected: summary.rejected,
            durationMs: summary.durationMs,
            aborted: summary.aborted,
            notes: summary.notes,
          }) + '\n',
        );
      } else {
        io.stdout.write(formatSummary(summary));
      }
      if (summary.aborted) return 130;
      // Inputs that changed while read may have been missed: the ingest is not known to be whole.
      return summary.inputs.rejected > 0 || summary.rejected > 0 || summary.notes.length > 0 ? EXIT_PARTIAL : EXIT_OK;
    } finally {
      db.close();
    }
  },
};

/** "8G", "500M", "1048576": bytes each input may decode to (binary units). */
function parseByteSize(text: string): number {
  const m = /^(\d+)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2].toUpperCase() || ' ') : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-bytes takes a size such as 8G, 500M or 1048576, not "${text}"`);
  return n;
}

function formatSummary(summary: Awaited<ReturnType<typeof ingestPaths>>): string {
  const lines = [
    `Stored ${summary.events} new events, ${summary.flows} flow records, ${summary.resources} resource versions` +
      `${summary.findings ? `, ${summary.findings} detector findings` : ''} ` +
      `from ${inputCount(summary)} inputs in ${(summary.durationMs / 1000).toFixed(1)} s.`,
  ];
  lines.push(Object.entries(summary.inputs).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', '));
  for (const s of summary.sources) {
    if (s.status === 'rejected') lines.push(`  rejected: ${safe(s.path)}: ${safe(s.reason)}`);
    else if (s.rejectedRecords > 0) {
      lines.push(`  ${s.rejectedRecords} records rejected in ${safe(s.path)}`);
      for (const r of s.rejections) lines.push(`    ${safe(r.position)}: ${safe(r.reason)}`);
      if (s.rejectedRecords > s.rejections.length) lines.push(`    and ${s.rejectedRecords - s.rejections.length} more`);
    }
  }
  if (summary.sourcesNotListed > 0) {
    lines.push(`  ${summary.sourcesNotListed} more inputs not named here (\`trailscope info\` counts every input by status)`);
  }
  for (const note of summary.notes) lines.push(note);
  if (summary.aborted) lines.push('Interrupted: run the same command again to resume.');
  return lines.join('\n') + '\n';
}
