// The incident report of a case as a file: HTML, or the same HTML printed to PDF.
import { basename } from 'node:path';
import type { ReportFile } from '../../../shared/api/types.ts';
import type { CaseDb } from '../db/open-case.ts';
import { buildReportModel } from './report-model.ts';
import { renderReportHtml } from './render-report-html.ts';
import { createRedactor, noRedaction } from './redact.ts';
import { htmlToPdf, type PdfPrinter } from './report-pdf.ts';

export type ReportFormat = 'html' | 'pdf';

export function reportHtml(db: CaseDb, casePath: string, redact: boolean): string {
  return renderReportHtml(buildReportModel(db, casePath), redact ? createRedactor() : noRedaction, { redacted: redact });
}

/**
 * The report as a file for the workbench to download (`report:build`): HTML as text, PDF as base64.
 * `print` is the process's own printer: the desktop app has Electron's, which needs no Chromium on the machine.
 */
export async function buildReportFile(db: CaseDb, casePath: string, options: { format: ReportFormat; redact: boolean }, print: PdfPrinter = htmlToPdf): Promise<ReportFile> {
  const html = reportHtml(db, casePath, options.redact);
  // The case's own name, reduced to safe file-name characters (it becomes a download's name).
  const stem = basename(casePath).replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'case';
  const filename = `${stem}-report${options.redact ? '-redacted' : ''}.${options.format}`;
  if (options.format === 'pdf') {
    const pdf = await print(html);
    return { filename, mime: 'application/pdf', encoding: 'base64', content: pdf.toString('base64'), bytes: pdf.length, redacted: options.redact };
  }
  return { filename, mime: 'text/html', encoding: 'utf8', content: html, bytes: Buffer.byteLength(html), redacted: options.redact };
}
