// Offline GraphiQL IDE: everything the page needs is served by us from node_modules,
// because intranet users cannot reach a CDN.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface IdeOptions {
  endpoint: string;
  title?: string;
  /** Request headers the editor starts with, e.g. the demo's bearer token (development only). */
  defaultHeaders?: Record<string, string>;
}

const ASSET_PREFIX = '/ide/assets/';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

// The page has no inline script (CSP script-src 'self'), so bootstrapping lives in a served
// asset; per-server settings travel in data-* attributes of the mount node instead.
// Incremental delivery is off: our graphql 16 / Apollo stack never streams @defer.
const BOOT_JS = `(function () {
  var root = document.getElementById('graphiql');
  var overHttp = GraphiQL.createFetcher({ url: root.dataset.endpoint, enableIncrementalDelivery: false });
  var fetcher = createHubFetcher(root.dataset.endpoint, overHttp, graphqlWs, window.location);
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: root.dataset.defaultQuery, defaultHeaders: root.dataset.defaultHeaders || undefined }),
  );
})();
`;
/**
 * The IDE's fetcher: subscriptions (`rollupUpdates`, `dashboardUpdates`) over a WebSocket in the graphql-ws
 * protocol, everything else over HTTP by GraphiQL's own fetcher. GraphiQL's fetcher would need the graphql-ws package
 * bundled and would not send the token, which the hub expects in the connection's init payload: this one takes the
 * Authorization of the headers editor at each run and keeps one socket per token. A served asset of its own (not in
 * boot.js) so that test/graphql/ide-subscriptions.test.ts runs these very bytes against a real hub.
 */
const FETCHER_JS = `(function (global) {
  global.createHubFetcher = function (endpoint, overHttp, graphqlWs, location) {
    var clients = {};
    function socketUrl() {
      var url = new URL(endpoint, location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      return url.href;
    }
    function clientFor(authorization) {
      var key = authorization || '';
      if (!clients[key]) {
        clients[key] = graphqlWs.createClient({
          url: socketUrl(),
          lazy: true,
          retryAttempts: 0,
          connectionParams: authorization ? { authorization: authorization } : {},
          on: { closed: function () { delete clients[key]; } },
        });
      }
      return clients[key];
    }
    function isSubscription(params, opts) {
      var doc = opts && opts.documentAST;
      var operations = doc ? doc.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; }) : [];
      var chosen = operations.filter(function (d) { return !params.operationName || (d.name && d.name.value === params.operationName); })[0];
      if (chosen) return chosen.operation === 'subscription';
      return /^\\s*subscription\\b/.test(params.query);
    }
    return function (params, opts) {
      if (!isSubscription(params, opts)) return overHttp(params, opts);
      var headers = (opts && opts.headers) || {};
      var authorization = headers.authorization || headers.Authorization;
      return clientFor(authorization).iterate({ query: params.query, variables: params.variables, operationName: params.operationName });
    };
  };
})(typeof window !== 'undefined' ? window : globalThis);
`;
const IDE_CSS = 'html, body { height: 100%; margin: 0; } #graphiql { height: 100vh; }\n';

// Fixed allow-list: the URL name is only ever a key into this table, never part of a file
// path, so nothing outside it can be served (no traversal to worry about).
// react/react-dom hide umd/ behind "exports", so resolve package.json and walk from its dir.
const FILES: Record<string, { pkg: string; file: string; type: string }> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: JS },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: JS },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: JS },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: CSS },
  'graphql-ws.min.js': { pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js', type: JS },
};

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer; // graphiql.min.js is ~3.5 MB and not actually minified; gzip cuts it ~5x
  etag: string;
}

let assets: Map<string, Asset> | undefined;

// Read (and compress) each file once per process; later handlers share the cache.
function loadAssets(): Map<string, Asset> {
  if (assets) return assets;
  const require = createRequire(import.meta.url);
  const make = (type: string, body: Buffer): Asset => {
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    return { type, body, gzip: gzipSync(body), etag };
  };
  assets = new Map();
  for (const [name, { pkg, file, type }] of Object.entries(FILES)) {
    const path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
    assets.set(name, make(type, readFileSync(path)));
  }
  assets.set('fetcher.js', make(JS, Buffer.from(FETCHER_JS)));
  assets.set('boot.js', make(JS, Buffer.from(BOOT_JS)));
  assets.set('ide.css', make(CSS, Buffer.from(IDE_CSS)));
  return assets;
}

// Styles need 'unsafe-inline': GraphiQL's Radix dialogs inject <style> tags at runtime
// (react-remove-scroll). Its CSS embeds fonts as data: URIs. Everything else is same-origin.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const DEFAULT_QUERY = '{\n  unit(code: "441800") {\n    code\n    name\n    children { code name kind }\n  }\n}\n';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderPage(endpoint: string, title: string, defaultHeaders: string): string {
  const a = (name: string) => ASSET_PREFIX + name;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${a('graphiql.min.css')}">
<link rel="stylesheet" href="${a('ide.css')}">
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(endpoint)}" data-default-query="${escapeHtml(DEFAULT_QUERY)}" data-default-headers="${escapeHtml(defaultHeaders)}">Loading GraphiQL…</div>
<script src="${a('react.production.min.js')}"></script>
<script src="${a('react-dom.production.min.js')}"></script>
<script src="${a('graphiql.min.js')}"></script>
<script src="${a('graphql-ws.min.js')}"></script>
<script src="${a('fetcher.js')}"></script>
<script src="${a('boot.js')}"></script>
</body>
</html>
`;
}

export function createIdeHandler(options: IdeOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const files = loadAssets(); // fail at startup, not on first visit, if a package is missing
  const page = Buffer.from(renderPage(options.endpoint, options.title ?? 'GraphiQL', options.defaultHeaders ? JSON.stringify(options.defaultHeaders, null, 2) : ''));

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const head = req.method === 'HEAD';

    if (path === options.endpoint) {
      // Only browsers asking for HTML get the IDE; API GETs fall through to Apollo.
      if (!(req.headers.accept ?? '').includes('text/html')) return false;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': page.length,
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(head ? undefined : page);
      return true;
    }

    if (!path.startsWith(ASSET_PREFIX)) return false;
    // Anything under our prefix is ours: unknown names (incl. ../ tricks) get a 404 here
    // rather than reaching Apollo.
    const asset = files.get(path.slice(ASSET_PREFIX.length));
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(head ? undefined : 'Not found\n');
      return true;
    }
    // Names are not versioned, so cache for a day and revalidate by ETag after upgrades.
    const common = { etag: asset.etag, 'cache-control': 'public, max-age=86400', vary: 'accept-encoding' };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, common);
      res.end();
      return true;
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = gzip ? asset.gzip : asset.body;
    res.writeHead(200, {
      ...common,
      'content-type': asset.type,
      'content-length': body.length,
      'x-content-type-options': 'nosniff',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(head ? undefined : body);
    return true;
  };
}
