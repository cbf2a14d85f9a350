import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIdeHandler } from '../../src/graphql/ide.js';

// Raw node:http request: fetch() would normalise "../" away before sending it.
function rawGet(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GraphiQL IDE handler', () => {
  let server: Server;
  let base: string;
  let port: number;

  beforeAll(async () => {
    const ide = createIdeHandler({ endpoint: '/graphql', title: 'Disclosure <Hub>' });
    server = createServer((req, res) => {
      if (ide(req, res)) return;
      // Stands in for Apollo: marks that the IDE handler declined the request.
      res.writeHead(404, { 'x-fallback': '1' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function page(): Promise<{ res: Response; html: string }> {
    const res = await fetch(`${base}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    return { res, html: await res.text() };
  }

  it('serves the HTML page for Accept: text/html with a strict CSP', async () => {
    const { res, html } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<div id="graphiql"');
    expect(html).toContain('data-endpoint="/graphql"');
    expect(html).toContain('<title>Disclosure &#60;Hub&#62;</title>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('references only local assets, each served with the right content-type', async () => {
    const { html } = await page();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    // An empty icon in the page itself, so that browsers do not ask the hub for /favicon.ico (a 404 in the console).
    expect(html).toContain('<link rel="icon" href="data:,">');
    const links = [...html.matchAll(/<link rel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    expect(links.length).toBeGreaterThanOrEqual(1);
    const check = async (url: string, type: RegExp) => {
      expect(url).toMatch(/^\/ide\/assets\/[\w.-]+$/);
      const res = await fetch(base + url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    };
    for (const src of scripts) await check(src, /^text\/javascript/);
    for (const href of links) await check(href, /^text\/css/);
  });

  it('serves identical bytes with and without gzip, and honours ETags', async () => {
    const plain = await rawGet(port, '/ide/assets/boot.js');
    const zipped = await fetch(`${base}/ide/assets/boot.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(Buffer.from(await zipped.arrayBuffer()).equals(plain.body)).toBe(true);
    const again = await rawGet(port, '/ide/assets/boot.js', { 'if-none-match': String(plain.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('never serves paths outside the allow-list', async () => {
    for (const path of [
      '/ide/assets/../../package.json',
      '/ide/assets/..%2f..%2fpackage.json',
      '/ide/assets/%2e%2e/%2e%2e/package.json',
      '/ide/assets/',
      '/ide/assets/graphiql.min.js.map',
    ]) {
      const res = await rawGet(port, path);
      expect(res.status).toBe(404);
      expect(res.body.toString()).not.toContain('disclosure-hub');
    }
  });

  it('falls through for a GET to the endpoint without text/html', async () => {
    const res = await fetch(`${base}/graphql?query=%7B__typename%7D`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-fallback')).toBe('1');
  });

  it('falls through for POSTs and unrelated paths', async () => {
    const post = await fetch(`${base}/graphql`, { method: 'POST', headers: { accept: 'text/html' }, body: '{}' });
    expect(post.headers.get('x-fallback')).toBe('1');
    const other = await fetch(`${base}/health`, { headers: { accept: 'text/html' } });
    expect(other.headers.get('x-fallback')).toBe('1');
  });
});
