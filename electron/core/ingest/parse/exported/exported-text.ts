// The text hook for exported CloudTrail: decides from the first line whether a text input is a CSV
// export or a CloudWatch Logs export, and opens it. Null: some other text (text-source.ts goes on).
import type { ByteReader } from '../byte-reader.ts';
import { decide } from '../item-batches.ts';
import type { OpenedSource } from '../types.ts';
import { cloudWatchExportItems, isCloudWatchExportLine } from './cloudwatch-export.ts';
import { csvExportItems, exportHeader } from './csv-export.ts';

export function openExportedText(reader: ByteReader, firstLine: string): Promise<OpenedSource> | null {
  if (isCloudWatchExportLine(firstLine)) return decide(cloudWatchExportItems(reader), reader.path);
  if (exportHeader(firstLine)) return decide(csvExportItems(reader), reader.path);
  return null;
}
