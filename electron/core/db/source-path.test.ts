// A source's path splits at its last separator, either kind, and joins back to exactly the path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSourcePath } from './source-path.ts';

test('a path splits at its last / or \\ into its folder and name, and the two join back to the path', () => {
  const cases: [string, string, string][] = [
    ['/e/AWSLogs/111122223333/CloudTrail/eu-west-1/2025/03/10/a.json.gz', '/e/AWSLogs/111122223333/CloudTrail/eu-west-1/2025/03/10/', 'a.json.gz'],
    ['C:\\evidence\\logs\\b.json', 'C:\\evidence\\logs\\', 'b.json'],
    ['C:\\evidence\\export.zip!/inner/c.json', 'C:\\evidence\\export.zip!/inner/', 'c.json'],
    ['s3://bucket/AWSLogs/o-abcdef1234/111122223333/d.json.gz', 's3://bucket/AWSLogs/o-abcdef1234/111122223333/', 'd.json.gz'],
    ['no-separator', '', 'no-separator'],
    ['ends/with/', 'ends/with/', ''],
    ['', '', ''],
  ];
  for (const [path, folder, name] of cases) {
    assert.deepEqual(splitSourcePath(path), { folder, name }, path);
    assert.equal(folder + name, path);
  }
});
