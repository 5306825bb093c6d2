// docs/clients.md's snippets as the client suite runs them: each block after `<!-- snippet: name -->`, compiled from
// TypeScript to CommonJS and run as a module, `./config` and the other snippets resolved by name.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import ts from 'typescript';
import WebSocket from 'ws';

export const CLIENTS_PAGE = path.join(__dirname, '../../docs/clients.md');

export interface Snippet {
  name: string;
  /** The fence's language: ts, tsx, yaml… */
  lang: string;
  code: string;
}

/** Every marked snippet of a docs page, by name. */
export function docsSnippets(file = CLIENTS_PAGE): Map<string, Snippet> {
  const page = readFileSync(file, 'utf8');
  const found = new Map<string, Snippet>();
  for (const m of page.matchAll(/<!-- snippet: ([\w-]+) -->\n```(\w+)\n([\s\S]*?)```/g)) {
    if (found.has(m[1])) throw new Error(`${file} has two snippets named ${m[1]}`);
    found.set(m[1], { name: m[1], lang: m[2], code: m[3] });
  }
  return found;
}

/** Every fenced block of a docs page: its language and whether a snippet marker names it. */
export function fencedBlocks(file = CLIENTS_PAGE): { lang: string; marked: boolean }[] {
  const page = readFileSync(file, 'utf8');
  return [...page.matchAll(/(<!-- snippet: [\w-]+ -->\n)?```(\w*)\n[\s\S]*?```/g)].map((m) => ({
    lang: m[2],
    marked: m[1] !== undefined,
  }));
}

export interface SnippetRuntime {
  /** What the snippets' `./config` exports (GATEWAY_URL, GATEWAY_WS_URL, BACKEND_URL). */
  config: Record<string, unknown>;
  /** Other local modules the snippets import that the page leaves to the reader (e.g. `./auth`). */
  modules?: Record<string, unknown>;
  /** The `fetch` the snippets call (e.g. one that records requests); the global one by default. */
  fetch?: typeof fetch;
  /** `process.env` as the snippets see it. */
  env?: Record<string, string | undefined>;
}

/** What a snippet exports, by name; callers name the type of what they use. */
export type SnippetExports = Record<string, unknown>;

/** Runs snippets on demand: `load('token')` returns that snippet's exports (each module runs once per loader). */
export function snippetLoader(
  runtime: SnippetRuntime,
  file = CLIENTS_PAGE,
): (name: string) => SnippetExports {
  const all = docsSnippets(file);
  const loaded = new Map<string, Record<string, unknown>>();
  const load = (name: string): Record<string, unknown> => {
    const done = loaded.get(name);
    if (done) return done;
    const snippet = all.get(name);
    if (!snippet || !['ts', 'tsx', 'js'].includes(snippet.lang))
      throw new Error(`${file} has no TypeScript snippet named ${name}`);
    const { outputText } = ts.transpileModule(snippet.code, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        jsx: ts.JsxEmit.ReactJSX,
      },
      fileName: `${name}.${snippet.lang}`,
    });
    const module = { exports: {} as Record<string, unknown> };
    loaded.set(name, module.exports);
    const requireFrom = (spec: string): unknown => {
      if (spec === './config') return runtime.config;
      if (runtime.modules && spec in runtime.modules) return runtime.modules[spec];
      if (spec.startsWith('./')) return load(spec.slice(2));
      return require(spec);
    };
    new Function('exports', 'require', 'module', 'fetch', 'process', outputText)(
      module.exports,
      requireFrom,
      module,
      runtime.fetch ?? fetch,
      { env: runtime.env ?? {} },
    );
    loaded.set(name, module.exports);
    return module.exports;
  };
  return load;
}

/** graphql-ws's client uses the global `WebSocket`, as in browsers and React Native; Node 20 has none. */
export function installWebSocketGlobal(): void {
  const g = globalThis as { WebSocket?: unknown };
  g.WebSocket ??= WebSocket;
}

export interface PartnerBackend {
  url: string;
  /** Requests the backend answered, by path. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * The page's `partner-backend` snippet served over HTTP, with the partner key of `partnerKey` and a sign-in that
 * says every caller is the user whose gateway customer is `customerId`.
 */
export async function startPartnerBackend(
  gatewayUrl: string,
  partnerKey: string,
  customerId: string,
): Promise<PartnerBackend> {
  const routes = snippetLoader({
    config: {},
    env: { GATEWAY_URL: gatewayUrl, GATEWAY_PARTNER_KEY: partnerKey },
    modules: { './auth': { currentUser: async () => ({ gatewayCustomerId: customerId }) } },
  })('partner-backend').partnerRoutes as (req: unknown, res: unknown) => Promise<void>;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    routes(req, res).catch((error: Error) => {
      res.writeHead(500).end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One request a snippet sent to the gateway's GraphQL endpoint. */
export interface SentRequest {
  method: string;
  status: number;
  url: string;
}

/**
 * docs/clients.md's snippets wired to a started gateway and partner backend, their `fetch` recording every request
 * they send to the gateway (`sent`, which a test may empty), and the page's `operations` snippet loaded.
 */
export function recordedSnippets(gateway: { graphqlUrl: string; wsUrl: string }, backendUrl: string) {
  const sent: SentRequest[] = [];
  const recording: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const res = await fetch(input, init);
    if (url.startsWith(gateway.graphqlUrl))
      sent.push({ method: init?.method ?? 'GET', status: res.status, url });
    return res;
  };
  const load = snippetLoader({
    config: { GATEWAY_URL: gateway.graphqlUrl, GATEWAY_WS_URL: gateway.wsUrl, BACKEND_URL: backendUrl },
    fetch: recording,
  });
  return { load, sent, ops: load('operations') as Record<string, string> };
}

/**
 * Collects what client libraries write to console.warn and console.error (Apollo Client and urql report a cache
 * misconfiguration there) until `restore()`.
 */
export function captureConsoleWarnings(): { warnings: unknown[][]; restore: () => void } {
  const warnings: unknown[][] = [];
  const { warn, error } = console;
  console.warn = (...args: unknown[]) => void warnings.push(args);
  console.error = (...args: unknown[]) => void warnings.push(args);
  return {
    warnings,
    restore: () => {
      console.warn = warn;
      console.error = error;
    },
  };
}
