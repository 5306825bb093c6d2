// The GraphQL IDE: GraphiQL bundled from our own npm packages (no CDN), pre-filled by the gateway's page config.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { ideFetcher } from './fetcher';
import { currentDemoIds, startingTab, tabsNotPersisted, type ConfigTab } from './tabs';

/** What the gateway injects into the page (see src/transport/http/ide.ts). */
interface IdeConfig {
  /** JSON text for the headers editor: the demo partner key in sandbox mode, else a placeholder. */
  headers: string;
  tabs: ConfigTab[];
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

const config = readConfig();

/** The headers editor's starting content as an object (the page config's JSON). */
function defaultHeaders(): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(config.headers);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const endpoint = new URL('/graphql', window.location.href);
const wsEndpoint = new URL(endpoint);
wsEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// The demo's ids as this browser holds them now: a link made after the gateway rendered the page still counts.
const ids = currentDemoIds();
const uniqueKey = () => `ide-${crypto.randomUUID()}`;

const root = createRoot(document.getElementById('graphiql')!);
root.render(
  <GraphiQL
    fetcher={ideFetcher(endpoint.href, wsEndpoint.href, defaultHeaders)}
    defaultHeaders={config.headers}
    defaultTabs={config.tabs.map((t) => ({ ...startingTab(t, ids, uniqueKey), headers: config.headers }))}
    defaultEditorToolsVisibility="headers"
    shouldPersistHeaders={false}
    storage={tabsNotPersisted()}
  />,
);
