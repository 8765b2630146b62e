// The inputs an import, or the whole case, could not read whole: the files rejected, with why, and the
// files read with some records rejected, with where and why for the first few. The import dialog shows
// a running import's; the evidence panel the case's (`case:info`), as `trailscope info` prints them.
// Both answers name a bounded number of files of each kind and count them all.
import type { PartlyReadFile } from '../../../shared/api/types.ts';

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

/** "2 files rejected, 21 records rejected in 9 other files", or '' when every input was read whole. */
export function notReadWholeSummary(rejectedFiles: number, partlyReadFiles: number, partlyReadRecords: number): string {
  return [
    ...(rejectedFiles ? [`${plural(rejectedFiles, 'file')} rejected`] : []),
    ...(partlyReadFiles ? [`${plural(partlyReadRecords, 'record')} rejected in ${plural(partlyReadFiles, rejectedFiles ? 'other file' : 'file')}`] : []),
  ].join(', ');
}

/** The rows an answer leaves out of a table. */
function NotListed({ listed, total }: { listed: number; total: number }) {
  return total > listed ? <p className="muted">{`and ${plural(total - listed, 'more file')} not listed here`}</p> : null;
}

export function InputsNotReadWhole(props: {
  rejected: readonly { path: string; reason: string | null }[];
  rejectedFiles: number;
  partlyRead: readonly PartlyReadFile[];
  partlyReadFiles: number;
}) {
  const { rejected, rejectedFiles, partlyRead, partlyReadFiles } = props;
  return (
    <>
      {rejected.length ? (
        <>
          <table className="rejected">
            <caption>Rejected files</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((r, i) => (
                <tr key={i}>
                  <td className="mono">{r.path}</td>
                  <td>{r.reason ?? 'no reason recorded'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <NotListed listed={rejected.length} total={rejectedFiles} />
        </>
      ) : null}
      {partlyRead.length ? (
        <>
          <table className="rejected">
            <caption>Files with rejected records</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Records read</th>
                <th scope="col">Rejected</th>
                <th scope="col">First rejected records</th>
              </tr>
            </thead>
            <tbody>
              {partlyRead.map((f, i) => (
                <tr key={i}>
                  <td className="mono">{f.path}</td>
                  <td>{f.records.toLocaleString('en')}</td>
                  <td>{f.rejectedRecords.toLocaleString('en')}</td>
                  <td>
                    <ul>
                      {f.rejections.map((r) => (
                        <li key={r.position}>{`${r.position}: ${r.reason}`}</li>
                      ))}
                      {f.rejectedRecords > f.rejections.length ? <li className="muted">{`and ${(f.rejectedRecords - f.rejections.length).toLocaleString('en')} more`}</li> : null}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <NotListed listed={partlyRead.length} total={partlyReadFiles} />
        </>
      ) : null}
    </>
  );
}
