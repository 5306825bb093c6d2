// The GraphQL IDE (GraphiQL, our own bundle) for browsers at GET /graphql; every other request stays GraphQL.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config';
import { setPageHeaders } from './page-security';
import { exampleOperations, type IdeTab } from './ide-tabs';
import { notBuiltPage, readWebPage } from './web-assets';

/** What the page's script reads from `<script id="ide-config">` (see src/demo/web/ide/main.tsx). */
interface IdeConfig {
  headers: string;
  tabs: IdeTab[];
}

/** The built-in partner used when PARTNER_KEYS is unset (config.ts); its key is public (README). */
const BUILT_IN_DEMO_PARTNER = { partnerId: 'demo', apiKey: 'demo_partner_key' } as const;

/**
 * The demo partner key, only when the gateway runs on the built-in demo partner alone (PARTNER_KEYS unset):
 * a real partner key is never written into a page.
 */
export function demoPartnerKey(config: Config): string | undefined {
  const [only, ...more] = config.partners;
  const builtIn =
    more.length === 0 &&
    only?.partnerId === BUILT_IN_DEMO_PARTNER.partnerId &&
    only.apiKey === BUILT_IN_DEMO_PARTNER.apiKey;
  return builtIn ? only.apiKey : undefined;
}

/**
 * A live example: one account's refreshes. The page fills `accountId` with the demo's last linked account (the demo
 * keeps it in this browser's localStorage, read when the page loads), so after linking in /demo it runs as it stands.
 */
const SUBSCRIPTION_EXAMPLE: IdeTab = {
  title: 'AccountRefreshed',
  query: [
    '# Live (graphql-ws): each finished refresh',
    '# of the account. Run it, then press',
    '# "Refresh balance" in /demo.',
    'subscription AccountRefreshed($accountId: ID!) {',
    '  financialAccountRefreshed(accountId: $accountId) {',
    '    feature',
    '    status',
    '    occurredAt',
    '    financialAccount {',
    '      id',
    '      displayName',
    '      last4',
    '      balance {',
    '        asOf',
    '        current {',
    '          amount',
    '          currency',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'),
  variables: JSON.stringify({ accountId: '' }, null, 2),
  demoValues: { accountId: 'accountId' },
};

function ideConfig(config: Config): IdeConfig {
  const key = demoPartnerKey(config);
  const headers = { authorization: `Bearer ${key ?? '<your partner key or customer token>'}` };
  const welcome: IdeTab = {
    title: 'welcome',
    query: [
      '# Financial Connections gateway',
      key ? '# Headers: the demo partner key.' : '# Headers: put your partner key',
      key ? '# Other tabs: example operations.' : '# or a customer token there.',
      '# Subscriptions run over graphql-ws.',
      '',
      'query Viewer {',
      '  viewer {',
      '    kind',
      '    partnerId',
      '  }',
      '}',
      '',
    ].join('\n'),
  };
  return {
    headers: JSON.stringify(headers, null, 2),
    tabs: [welcome, ...exampleOperations(), SUBSCRIPTION_EXAMPLE],
  };
}

/** JSON safe to put inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Why content negotiation and not another path: the issue puts the IDE at /graphql. A browser navigation sends
 * `Accept: text/html` and no `query`; GraphQL clients send JSON (or GET with `?query=`), and they keep getting GraphQL.
 */
function wantsIde(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const [pathname, search = ''] = request.url.split('?', 2);
  if (pathname !== '/graphql' && pathname !== '/graphql/') return false;
  if (new URLSearchParams(search).has('query')) return false;
  const accept = String(request.headers.accept ?? '');
  return accept.includes('text/html');
}

/** Answers browser navigations to /graphql with the IDE page. Register before the GraphQL route. */
export function registerIde(http: FastifyInstance, options: { config: Config }): void {
  http.addHook('onRequest', async (request, reply) => {
    if (!wantsIde(request)) return;
    const page = readWebPage('ide.html');
    const html = page
      ? page.replace(
          '<!--ide-config-->',
          `<script id="ide-config" type="application/json">${scriptSafeJson(ideConfig(options.config))}</script>`,
        )
      : notBuiltPage('GraphQL IDE');
    return setPageHeaders(reply.code(page ? 200 : 503)).send(html);
  });
}
