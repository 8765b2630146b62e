// Browser mode: the built renderer and the API over loopback HTTP. Bound to 127.0.0.1 only; every
// request must carry the random token (query on the first page load, then a SameSite cookie for
// assets, and a header for API calls, which also defeats cross-site form posts); a Host or Origin
// naming anything but this loopback port is refused, which stops DNS-rebinding pages.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep, extname } from 'node:path';
import type { Dispatch } from '../core/api/dispatch.ts';
import { toLogFormat } from '../core/log-format.ts';

export type ServeOptions = {
  dispatch: Dispatch;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
  log?: (line: string) => void;
};

export type RunningServer = { url: string; port: number; token: string; close(): Promise<void> };

export const TOKEN_HEADER = 'x-trailscope-token';
// Cookies ignore ports: two servers on one machine would overwrite each other's token cookie (and
// send it to each other). Each server names its cookie after its port.
export const cookieName = (port: number) => `trailscope_token_${port}`;
const MAX_BODY = 8 * 1024 * 1024;

// No inline script anywhere; styles only from files (cytoscape and React set element.style through
// the CSSOM, which style-src does not govern); workers only from this origin or blobs of its code.
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
    ...extra,
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decoded(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(options.staticDir);
  const log = options.log ?? (() => {});
  let port = 0;

  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const allowedOrigin = (origin: string | undefined) =>
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`request failed: ${toLogFormat(err)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host)) return send(res, 403, 'forbidden: foreign Host');
    if (!allowedOrigin(req.headers.origin)) return send(res, 403, 'forbidden: foreign Origin');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // A malformed %-escape is the client's mistake (400), not a server failure.
    const pathname = decoded(url.pathname);
    if (pathname === null) return send(res, 400, 'bad request: malformed percent-encoding');

    if (url.pathname.startsWith('/api/')) {
      if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) return send(res, 401, 'unauthorized');
      if (req.method !== 'POST') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8', { allow: 'POST' });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'expected application/json');
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body.length ? JSON.parse(body) : {};
      } catch (err) {
        return send(res, 400, JSON.stringify({ ok: false, error: { kind: 'invalid-input', message: err instanceof Error ? err.message : 'bad body' } }), 'application/json');
      }
      const name = pathname.slice('/api/'.length);
      const result = await options.dispatch(name, input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const fromQuery = url.searchParams.get('token');
    const authorised = sameToken(fromQuery, token) || sameToken(cookieToken(req, cookieName(port)), token);
    if (!authorised) return send(res, 401, 'unauthorized: open the URL printed by `trailscope serve`, token included');

    const extra: Record<string, string> = {};
    if (fromQuery) extra['set-cookie'] = `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
    let path = resolve(join(staticRoot, pathname));
    if (path !== staticRoot && !path.startsWith(staticRoot + sep)) return send(res, 403, 'forbidden');
    const info = await stat(path).catch(() => null);
    if (!info || info.isDirectory()) path = join(staticRoot, 'index.html');
    const body = await readFile(path).catch(() => null);
    if (!body) return send(res, 404, 'renderer not built: run `npm run build:renderer`');
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      resolvePromise({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
