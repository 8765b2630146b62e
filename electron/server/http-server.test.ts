import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { openWorkbench } from '../core/api/open-workbench.ts';
import { startServer, TOKEN_HEADER, cookieName } from './http-server.ts';

type Reply = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function call(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('browser mode: token, Host and Origin are enforced; inputs are validated', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-serve-'));
  const staticDir = join(dir, 'renderer');
  await import('node:fs/promises').then((fs) => fs.mkdir(staticDir));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Trailscope</title>');
  const workbench = openWorkbench(join(dir, 'test.case'));
  const server = await startServer({ dispatch: workbench.dispatch, staticDir });
  t.after(async () => {
    await server.close();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const host = `127.0.0.1:${server.port}`;
  const json = { 'content-type': 'application/json', host };

  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  assert.equal((await call(server.port, '/', { headers: { host } })).status, 401, 'page without token');
  assert.equal((await call(server.port, '/?token=wrong', { headers: { host } })).status, 401, 'page with a wrong token');
  const page = await call(server.port, `/?token=${server.token}`, { headers: { host } });
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.equal((await call(server.port, `/?token=${server.token}`, { headers: { host: 'evil.example:80' } })).status, 403, 'foreign Host');

  const info = { method: 'POST', body: '{}' };
  assert.equal((await call(server.port, '/api/case:info', { ...info, headers: json })).status, 401, 'API without token');
  const authed = { ...json, [TOKEN_HEADER]: server.token };
  assert.equal((await call(server.port, '/api/case:info', { ...info, headers: { ...authed, origin: 'http://evil.example' } })).status, 403, 'foreign Origin');
  const ok = await call(server.port, '/api/case:info', { ...info, headers: { ...authed, origin: `http://${host}` } });
  assert.equal(ok.status, 200);
  const value = JSON.parse(ok.body);
  assert.equal(value.ok, true);
  assert.equal(value.value.events, 0);

  const unknown = JSON.parse((await call(server.port, '/api/fs:readFile', { ...info, headers: authed })).body);
  assert.deepEqual([unknown.ok, unknown.error.kind], [false, 'unknown-call']);
  const bad = JSON.parse((await call(server.port, '/api/timeline:page', { method: 'POST', body: '{"filter":{"from":"yesterday"}}', headers: authed })).body);
  assert.deepEqual([bad.ok, bad.error.kind], [false, 'invalid-input']);
  assert.equal((await call(server.port, '/../../etc/passwd', { headers: { host, cookie: `${cookieName(server.port)}=${server.token}` } })).body.includes('root:'), false);
});

test('two servers on one machine: each names its cookie after its port, and neither takes the other\'s', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-serve-two-'));
  const staticDir = join(dir, 'renderer');
  await import('node:fs/promises').then((fs) => fs.mkdir(staticDir));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Trailscope</title>');
  const a = openWorkbench(join(dir, 'a.case'));
  const b = openWorkbench(join(dir, 'b.case'));
  const serverA = await startServer({ dispatch: a.dispatch, staticDir });
  const serverB = await startServer({ dispatch: b.dispatch, staticDir });
  t.after(async () => {
    await serverA.close();
    await serverB.close();
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Opening each printed URL sets a cookie named after that server's port.
  const cookies: string[] = [];
  for (const s of [serverA, serverB]) {
    const page = await call(s.port, `/?token=${s.token}`, { headers: { host: `127.0.0.1:${s.port}` } });
    assert.equal(page.status, 200);
    const set = String(page.headers['set-cookie']);
    assert.match(set, new RegExp(`^trailscope_token_${s.port}=${s.token};.*HttpOnly.*SameSite=Strict`));
    cookies.push(set.split(';')[0]);
  }
  assert.notEqual(cookies[0].split('=')[0], cookies[1].split('=')[0], 'two names: the second does not overwrite the first');
  // A browser sends both cookies to both ports (cookies ignore ports): each server reads its own.
  const both = cookies.join('; ');
  for (const s of [serverA, serverB]) assert.equal((await call(s.port, '/index.html', { headers: { host: `127.0.0.1:${s.port}`, cookie: both } })).status, 200);
  // The other server's cookie alone opens nothing.
  assert.equal((await call(serverB.port, '/index.html', { headers: { host: `127.0.0.1:${serverB.port}`, cookie: cookies[0] } })).status, 401);
  assert.equal((await call(serverA.port, '/index.html', { headers: { host: `127.0.0.1:${serverA.port}`, cookie: `${cookieName(serverA.port)}=${serverB.token}` } })).status, 401);
});
