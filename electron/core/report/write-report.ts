// Writes the incident report of a case: HTML, or PDF when the output name ends in .pdf.
import { writeFile } from 'node:fs/promises';
import type { CaseDb } from '../db/open-case.ts';
import { buildReportModel } from './report-model.ts';
import { renderReportHtml } from './render-report-html.ts';
import { createRedactor, noRedaction } from './redact.ts';
import { htmlToPdf } from './report-pdf.ts';

export type ReportFormat = 'html' | 'pdf';

export function reportHtml(db: CaseDb, casePath: string, redact: boolean): string {
  return renderReportHtml(buildReportModel(db, casePath), redact ? createRedactor() : noRedaction, { redacted: redact });
}

export async function writeReport(db: CaseDb, casePath: string, out: string, options: { redact: boolean }): Promise<ReportFormat> {
  const html = reportHtml(db, casePath, options.redact);
  if (/\.pdf$/i.test(out)) {
    await writeFile(out, await htmlToPdf(html));
    return 'pdf';
  }
  await writeFile(out, html);
  return 'html';
}
