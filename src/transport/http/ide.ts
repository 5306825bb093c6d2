// The GraphQL IDE (GraphiQL, our own bundle) for browsers at GET /graphql; every other request stays GraphQL.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';
import type { Config } from '../../platform/config';
import { setPageHeaders } from './page-security';
import { notBuiltPage, projectRoot, readWebPage } from './web-assets';

/** One pre-filled IDE tab: an example operation from schema/operations/. */
export interface IdeTab {
  title: string;
  query: string;
  /** JSON for the variables editor: the required variables of the file's operations, with a placeholder value. */
  variables?: string;
  /** The variable the page fills with the demo's last linked account id, when this browser has one. */
  demoAccountVariable?: string;
}

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

/** The example operations, one tab per `schema/operations/*.graphql` file, sorted by name. */
export function exampleOperations(dir = path.join(projectRoot(), 'schema', 'operations')): IdeTab[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  } catch {
    return [];
  }
  return files.sort().map((f) => {
    const query = fs.readFileSync(path.join(dir, f), 'utf8');
    const variables = variablesTemplate(query);
    return { title: f.replace(/\.graphql$/, ''), query, ...(variables ? { variables } : {}) };
  });
}

/** A placeholder for a required variable's type: an empty value of its kind. */
function placeholder(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return placeholder(type.type);
  if (type.kind === Kind.LIST_TYPE) return [];
  switch (type.name.value) {
    case 'Int':
    case 'Float':
    case 'SafeInt':
      return 0;
    case 'Boolean':
      return false;
    case 'ID':
    case 'String':
    case 'DateTime':
      return '';
    default:
      return type.name.value.endsWith('Input') ? {} : null; // an input object, or an enum to pick
  }
}

/**
 * The variables editor's starting JSON for a file of operations: its required variables only, so each operation runs
 * as it stands once its ids are filled in. Optional variables (nullable, or with a default) are left out: a
 * placeholder such as `"first": 0` or `"transactedAfter": ""` would be sent and rejected, while leaving them out
 * runs the operation with its defaults. Why all operations' variables: a file holds several and the user picks one.
 */
export function variablesTemplate(document: string): string | undefined {
  let ops: OperationDefinitionNode[];
  try {
    ops = parse(document).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return undefined;
  }
  const vars: Record<string, unknown> = {};
  for (const op of ops) {
    for (const v of op.variableDefinitions ?? []) {
      if (v.variable.name.value in vars || v.defaultValue || v.type.kind !== Kind.NON_NULL_TYPE) continue;
      vars[v.variable.name.value] = placeholder(v.type);
    }
  }
  return Object.keys(vars).length ? JSON.stringify(vars, null, 2) : undefined;
}

/**
 * A live example: one account's refreshes. The page fills `accountId` with the demo's last linked account (the demo
 * keeps it in this browser's localStorage), so after linking in /demo it runs as it stands.
 */
const SUBSCRIPTION_EXAMPLE: IdeTab = {
  title: 'subscription',
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
  demoAccountVariable: 'accountId',
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
