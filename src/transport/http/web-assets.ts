// Serves the built browser bundles (demo app and GraphQL IDE, from src/demo/web/dist) under /ui/.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** URL prefix of the bundles; must match `base` in src/demo/web/vite.config.mts. */
const WEB_ASSETS_PREFIX = '/ui/';

/** The repository root: the nearest folder above this file holding package.json (works from src/ and dist/src/). */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Where `vite build --config src/demo/web/vite.config.mts` writes the bundles. */
function webDistDir(): string {
  return path.join(projectRoot(), 'src', 'demo', 'web', 'dist');
}

/**
 * Reads one built HTML page (`demo.html`, `ide.html`), or returns undefined when the bundles were not built.
 * Why read per request rather than once: the pages are tiny, and a rebuild during development is picked up.
 */
export function readWebPage(name: string): string | undefined {
  try {
    return fs.readFileSync(path.join(webDistDir(), name), 'utf8');
  } catch {
    return undefined;
  }
}

/** The page shown instead of a UI when `npm run build:web` has not run. */
export function notBuiltPage(what: string): string {
  return `<!doctype html><meta charset="utf-8"><title>${what} not built</title>
<p>The ${what} bundle has not been built. Run <code>npm run build</code> (or <code>npm run build:web</code>) and reload.</p>`;
}

/** The gateway's icon (the pages also name it inline); browsers ask for /favicon.ico on their own. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#635bff"/></svg>';

export async function registerWebAssets(http: FastifyInstance): Promise<void> {
  // Why serve it: a 404 here is a failed request in every browser's console on every page of the gateway.
  http.get('/favicon.ico', async (_request, reply) =>
    reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(FAVICON_SVG),
  );
  const root = webDistDir();
  await http.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: `${WEB_ASSETS_PREFIX}assets/`,
    // Only hashed bundle files live here: never a directory listing, never an index page.
    index: false,
    list: false,
    wildcard: true,
    immutable: true,
    maxAge: '365d',
    // The folder may not exist yet (bundles not built): requests then get 404, start-up does not fail.
  });
}
