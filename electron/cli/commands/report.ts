// trailscope report --case FILE --out FILE.html|FILE.pdf [--redact]: the incident report.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { writeFile } from 'node:fs/promises';
import { withCase } from '../case-service.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export const command: CliCommand = {
  name: 'report',
  summary: 'Incident report (HTML or PDF): notes, findings, actor chains, changes, starred events, evidence manifest',
  usage: 'trailscope report --case FILE --out FILE.html|FILE.pdf [--redact]',
  calls: ['report:build'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, out: { type: 'string' }, redact: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    const out = requireString(values.out, '--out FILE.html|FILE.pdf');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (!/\.(html?|pdf)$/i.test(out)) throw new UsageError('--out must end in .html or .pdf');
    const format = /\.pdf$/i.test(out) ? 'pdf' : 'html';
    const file = await withCase(casePath, {}, (invoke) => invoke('report:build', { format, redact: values.redact }));
    await writeFile(out, Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8'));
    io.stderr.write(`${format.toUpperCase()} report written to ${safe(out)}${values.redact ? ' (redacted)' : ''}
`);
    return EXIT_OK;
  },
};
