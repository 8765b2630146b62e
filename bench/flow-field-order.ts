// A generated account's VPC flow logs as a flow log with a format of its own writes them: the same
// records, their fields in another order (a `--log-format` listing them as its author chose, which
// need not follow AWS's list). Read in AWS's order, a record's content hash is mixed as its fields are
// scanned; in any other order it is made from the values read, so this is the flow readers' other case.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FLOW_FIELDS } from '../tools/gen/flows.ts';
import { listFiles } from '../tools/gen/read-output.ts';
import { namedFolders } from './named-folders.ts';

/**
 * A log format of someone's own: the interface, when and what first, then the rest, AWS's list not
 * followed. Its records start with a word, as a header does.
 */
export const OWN_FIELD_ORDER = [
  'interface-id', 'start', 'end', 'action', 'srcaddr', 'srcport', 'dstaddr', 'dstport', 'protocol', 'bytes', 'packets', 'flow-direction',
  'instance-id', 'vpc-id', 'subnet-id', 'account-id', 'region', 'az-id', 'log-status', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr',
  'pkt-src-aws-service', 'pkt-dst-aws-service', 'sublocation-type', 'sublocation-id', 'traffic-path', 'version',
] as const;

/**
 * The flow logs under dir/AWSLogs rewritten with their fields in OWN_FIELD_ORDER, into a folder beside
 * it (made once, then reused); returns that folder.
 */
export function flowsInOwnOrder(dir: string): string {
  const out = `${dir}-own-order-${OWN_FIELD_ORDER[0]}`;
  const done = join(out, 'written');
  if (existsSync(done)) return out;
  rmSync(out, { recursive: true, force: true });
  const from = OWN_FIELD_ORDER.map((f) => FLOW_FIELDS.indexOf(f));
  if (from.includes(-1) || new Set(from).size !== FLOW_FIELDS.length) throw new Error('OWN_FIELD_ORDER must list each generated field once');
  for (const folder of namedFolders(join(dir, 'AWSLogs'), 'vpcflowlogs')) {
    for (const name of listFiles(folder)) {
      const text = gunzipSync(readFileSync(join(folder, name))).toString('utf8');
      const lines = text.split('\n').map((line) => {
        if (line === '') return line;
        const fields = line.split(' ');
        // The header names the fields: it is reordered like every record.
        return from.map((k) => fields[k]).join(' ');
      });
      const target = join(out, relative(dir, folder), name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, gzipSync(lines.join('\n')));
    }
  }
  writeFileSync(done, '');
  return out;
}
