// Error text goes to logs, the CLI's stderr and the workbench: credentials in it are redacted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets, toLogFormat } from './log-format.ts';
import { redact } from './pull/redact.ts';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const TEMP_KEY = 'ASIAY34FZKBOKMUTVV7A';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
// The shape of a real STS session token (as CloudTrail records and SDK errors carry them).
const TOKEN = 'IQoJb3JpZ2luX2VjEOH//////////wEaCXVzLWVhc3QtMSJIMEYCIQDzpomGexample0123456789ABCDEFabcdefGHIJKLmnopqrSTUVWXyz0123456789+/AbCdEf==';

const leaks = (text: string) => [KEY.slice(4, 16), TEMP_KEY.slice(4, 16), SECRET, TOKEN.slice(20, 60)].filter((s) => text.includes(s));

test('log lines and pull messages never carry key ids, secret keys or session tokens, named or bare', () => {
  const messages = [
    `InvalidSignatureException: key ${KEY} secret ${SECRET}`,
    `credentials ${TEMP_KEY} ${SECRET} ${TOKEN}`,
    `{"accessKeyId":"${TEMP_KEY}","secretAccessKey":"${SECRET}","sessionToken":"${TOKEN}"}`,
    `https://sts.amazonaws.com/?X-Amz-Credential=${KEY}%2F20240501&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=abc123`,
    `header x-amz-security-token: ${TOKEN}`,
  ];
  for (const m of messages) {
    assert.deepEqual(leaks(toLogFormat(new Error(m))), [], toLogFormat(new Error(m)));
    assert.deepEqual(leaks(redactSecrets(m)), [], redactSecrets(m));
    assert.deepEqual(leaks(redact(m)), [], redact(m));
  }
  // Ordinary text stays readable: paths, ARNs, event names, an account id.
  const plain = 'no records in /cases/AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/file.json.gz for arn:aws:iam::123456789012:role/Admin (CreateAccessKey)';
  assert.equal(toLogFormat(new Error(plain)), plain);
  assert.equal(redact(plain), plain);
});
