// The GraphQL IDE: GraphiQL bundled from our own npm packages (no CDN), pre-filled by the gateway's page config.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { demoAccountId } from '../demo/session';

/** What the gateway injects into the page (see src/transport/http/ide.ts). */
interface IdeConfig {
  /** JSON text for the headers editor: the demo partner key in sandbox mode, else a placeholder. */
  headers: string;
  tabs: { title: string; query: string; variables?: string; demoAccountVariable?: string }[];
}

function readConfig(): IdeConfig {
  const el = document.getElementById('ide-config');
  const fallback: IdeConfig = { headers: '{\n  "authorization": "Bearer <your key>"\n}', tabs: [] };
  if (!el?.textContent) return fallback;
  try {
    return { ...fallback, ...(JSON.parse(el.textContent) as Partial<IdeConfig>) };
  } catch {
    return fallback;
  }
}

const endpoint = new URL('/graphql', window.location.href);
const wsEndpoint = new URL(endpoint);
wsEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const inner = createGraphiQLFetcher({
  url: endpoint.href,
  subscriptionUrl: wsEndpoint.href,
  // Apollo answers plain JSON; the multipart (incremental delivery) fetcher adds nothing here.
  enableIncrementalDelivery: false,
});

const config = readConfig();

/**
 * Why a wrapper:
 * - the toolkit passes the headers editor's object as the graphql-ws connection_init payload, and the gateway
 *   reads `authorization` (lower case) there, as HTTP does case-insensitively;
 * - GraphiQL introspects on load before its (lazily created) headers editor exists, and then sends no headers
 *   at all (@graphiql/react stores/schema.ts): those requests get the headers the editor is about to show.
 */
const fetcher: Fetcher = (params, opts) => {
  const headers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts?.headers ?? defaultHeaders())) headers[k.toLowerCase()] = v;
  return inner(params, { ...opts, headers });
};

/** The headers editor's starting content as an object (the page config's JSON). */
function defaultHeaders(): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(config.headers);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A tab's variables, with the demo's last linked account filled in where the tab asks for it. */
function withDemoAccount(tab: IdeConfig['tabs'][number]): string | undefined {
  const accountId = demoAccountId();
  if (!tab.demoAccountVariable || !accountId || !tab.variables) return tab.variables;
  try {
    const vars = JSON.parse(tab.variables) as Record<string, unknown>;
    return JSON.stringify({ ...vars, [tab.demoAccountVariable]: accountId }, null, 2);
  } catch {
    return tab.variables;
  }
}

const root = createRoot(document.getElementById('graphiql')!);
root.render(
  <GraphiQL
    fetcher={fetcher}
    defaultHeaders={config.headers}
    defaultTabs={config.tabs.map((t) => ({
      query: t.query,
      variables: withDemoAccount(t),
      headers: config.headers,
    }))}
    defaultEditorToolsVisibility="headers"
    shouldPersistHeaders={false}
  />,
);
