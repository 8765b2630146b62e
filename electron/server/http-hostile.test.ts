// Browser mode against hostile requests: paths that try to leave the renderer folder, malformed
// encodings, foreign Host headers (DNS rebinding) and a failing call whose error names a key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, TOKEN_HEADER, cookieName } from './http-server.ts';

/** A raw request, so the path reaches the server exactly as written (no client normalisation). */
function raw(port: number, head: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`));
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(text.split(' ')[1]), body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n') }));
  });
}

test('browser mode: no path leaves the renderer folder; malformed requests are 400; errors are redacted in the log', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-hostile-serve-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Trailscope</title>');
  writeFileSync(join(dir, 'secret.txt'), 'OUTSIDE-THE-RENDERER');
  writeFileSync(join(dir, 'renderer-sibling.txt'), 'OUTSIDE-THE-RENDERER');
  const lines: string[] = [];
  const server = await startServer({
    dispatch: async () => {
      throw new Error('UnrecognizedClientException for AKIAIOSFODNN7EXAMPLE');
    },
    staticDir,
    log: (l) => lines.push(l),
  });
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const host = `Host: 127.0.0.1:${server.port}`;
  const get = (path: string, extra = `Cookie: ${cookieName(server.port)}=${server.token}`) => raw(server.port, `GET ${path} HTTP/1.1\r\n${host}\r\n${extra}`);

  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/..%2frenderer-sibling.txt', '/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd', '//etc/passwd', '/%00', `/${encodeURIComponent(join(dir, 'secret.txt'))}`]) {
    const r = await get(path);
    assert.ok([200, 400, 403, 404].includes(r.status), `${path}: ${r.status}`);
    assert.equal(r.body.includes('OUTSIDE-THE-RENDERER') || r.body.includes('root:'), false, path);
  }
  assert.equal((await get('/%E0%A4%A')).status, 400, 'malformed percent-encoding in a page path');
  assert.equal((await get('/secret.txt', '')).status, 401, 'no token, no file');
  assert.equal((await raw(server.port, `GET /?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1.evil.example:${server.port}`)).status, 403, 'DNS rebinding host');

  const api = (name: string) => raw(server.port, `POST /api/${name} HTTP/1.1\r\n${host}\r\n${TOKEN_HEADER}: ${server.token}\r\nContent-Type: application/json\r\nContent-Length: 2`, '{}');
  assert.equal((await api('%E0%A4%A')).status, 400, 'malformed percent-encoding in a call name');
  assert.equal((await api('case:info')).status, 500);
  assert.ok(lines.some((l) => l.includes('UnrecognizedClientException')), lines.join('\n'));
  assert.equal(lines.some((l) => l.includes('IOSFODNN7EXAM')), false, lines.join('\n'));
});
