// The generated peer of the Stripe-requests benchmark: GraphQL Mesh's OpenAPI loader (@omnigraph/openapi) turns
// Stripe's OpenAPI subset into a GraphQL schema whose fields call Stripe, served as is; and, for each suite
// operation, the best documents a frontend could send it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGraphQLSchemaFromOpenAPI } from '@omnigraph/openapi';
import Fastify from 'fastify';
import { graphql } from 'graphql';
import { TRANSACTION_PAGES, TRANSACTION_PAGE_SIZE } from './suite';

/* eslint-disable @typescript-eslint/no-explicit-any -- answers of the generated schema are read field by field */
type Data = Record<string, any>;

/** The spec copy the sandbox is validated against (test/sandbox/fixtures/stripe-openapi, a copy of ../shared). */
function specPath(): string {
  const rel = ['test', 'sandbox', 'fixtures', 'stripe-openapi', 'financial-connections.json'];
  // From bench/ (ts-jest) or dist/bench/ (npm run bench).
  const found = [path.join(__dirname, '..', ...rel), path.join(__dirname, '..', '..', ...rel)].find(
    existsSync,
  );
  if (!found) throw new Error('stripe-openapi fixture not found');
  return found;
}

/**
 * The spec as Mesh should read it for Stripe. Out of the box the loader sends a deepObject query parameter
 * with `explode: true` destructured (`customer=cus_…` instead of `account_holder[customer]=cus_…`, and
 * `expand=x` instead of `expand[]=x`), which Stripe rejects or ignores: without `explode` those parameters
 * fall to the loader's `queryStringOptions` (brackets), which is Stripe's encoding.
 */
function specForMesh(): string {
  const spec = JSON.parse(readFileSync(specPath(), 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: { style?: string; explode?: boolean }[] }>>;
  };
  for (const item of Object.values(spec.paths))
    for (const op of Object.values(item))
      for (const p of op.parameters ?? []) if (p.style === 'deepObject') delete p.explode;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fc-bench-mesh-'));
  const file = path.join(dir, 'stripe.json');
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

export interface GeneratedGateway {
  url: string;
  /** GraphQL requests the server has answered (client round trips). */
  roundTrips(): number;
  /** HTTP requests the generated resolvers have sent to Stripe. */
  stripeRequests(): number;
  close(): Promise<void>;
}

/** Builds the generated schema against `apiBase` (Stripe or the sandbox) with `secretKey`, and serves it. */
export async function startGeneratedGateway(options: {
  apiBase: string;
  secretKey: string;
}): Promise<GeneratedGateway> {
  const source = specForMesh();
  let stripeRequests = 0;
  const schema = await loadGraphQLSchemaFromOpenAPI('stripe', {
    source,
    cwd: path.dirname(source),
    endpoint: options.apiBase,
    operationHeaders: { Authorization: `Bearer ${options.secretKey}` },
    queryStringOptions: { arrayFormat: 'brackets' },
    // Node's own fetch, counted (instead of the loader's default, @whatwg-node/fetch).
    fetch: (url: string, init?: RequestInit) => {
      stripeRequests += 1;
      return fetch(url, init);
    },
  });
  rmSync(path.dirname(source), { recursive: true, force: true });
  let roundTrips = 0;
  const app = Fastify();
  app.post('/graphql', async (request) => {
    roundTrips += 1;
    const body = request.body as { query: string; variables?: Record<string, unknown> };
    return graphql({ schema, source: body.query, variableValues: body.variables, contextValue: {} });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    roundTrips: () => roundTrips,
    stripeRequests: () => stripeRequests,
    close: () => app.close(),
  };
}

// The documents. Types and fields are the loader's names for the spec's operations and schemas; each
// response is a union of the object and Stripe's `error`, hence the inline fragments.
const ACCOUNT = 'BankConnectionsResourceLinkedAccount';
const ACCOUNT_ID = 'queryInput_GetFinancialConnectionsAccountsAccount_account';
const TXNS_ACCOUNT = 'queryInput_GetFinancialConnectionsTransactions_account';

const G_SINGLE = `query SingleAccount($id: ${ACCOUNT_ID}!) {
  GetFinancialConnectionsAccountsAccount(account: $id) {
    ... on ${ACCOUNT} { id display_name institution_name last4 category status balance { as_of current } }
    ... on error { error { message } } }
}`;

/** The account list embeds each account's ownership (with its owners) and the holder customer. */
const G_DASHBOARD_ACCOUNTS = `query DashboardAccounts($customer: queryInput_GetFinancialConnectionsAccounts_account_holder_customer!) {
  GetFinancialConnectionsAccounts(account_holder: { customer: $customer }, limit: 10,
      expand: ["data.ownership", "data.account_holder.customer"]) {
    ... on query_GetFinancialConnectionsAccounts_oneOf_0 { has_more data { id display_name last4 status
      balance { current }
      account_holder { customer { id email } }
      ownership { id owners { has_more data { name email } } } } }
    ... on error { error { message } } }
}`;

/** Stripe lists transactions of one account per call: one aliased field per account of the first answer. */
const dashboardTransactions = (accounts: string[], customerToo: boolean) => `query DashboardTransactions(
    ${accounts.map((_, i) => `$a${i}: ${TXNS_ACCOUNT}!`).join(', ')}${customerToo ? ', $customer: queryInput_GetCustomersCustomer_customer!' : ''}) {
  ${accounts
    .map(
      (_, i) => `t${i}: GetFinancialConnectionsTransactions(account: $a${i}, limit: 10) {
    ... on BankConnectionsResourceTransactionList { data { id description status amount currency } }
    ... on error { error { message } } }`,
    )
    .join('\n  ')}
  ${customerToo ? 'GetCustomersCustomer(customer: $customer) { ... on GetCustomersCustomer_200_response { id email } }' : ''}
}`;

const G_SESSION = `query Session($id: queryInput_GetFinancialConnectionsSessionsSession_session!) {
  GetFinancialConnectionsSessionsSession(session: $id, expand: ["account_holder.customer"]) {
    ... on BankConnectionsResourceLinkAccountSession { id permissions
      account_holder { type customer { id email } }
      accounts { data { id institution_name status last4 } } }
    ... on error { error { message } } }
}`;

const G_TRANSACTIONS = `query TransactionsPage($account: ${TXNS_ACCOUNT}!,
    $after: queryInput_GetFinancialConnectionsTransactions_starting_after) {
  GetFinancialConnectionsTransactions(account: $account, limit: ${TRANSACTION_PAGE_SIZE}, starting_after: $after) {
    ... on BankConnectionsResourceTransactionList { has_more
      data { id description status transacted_at amount currency } }
    ... on error { error { message } } }
}`;

/** The suite's three reads of one account (three components' fragments), each with what it needs. */
const G_SAME_ACCOUNT_THRICE = `query SameAccountThrice($id: ${ACCOUNT_ID}!) {
  a: GetFinancialConnectionsAccountsAccount(account: $id) { ... on ${ACCOUNT} { id last4 } }
  b: GetFinancialConnectionsAccountsAccount(account: $id) { ... on ${ACCOUNT} { id status balance { current } } }
  c: GetFinancialConnectionsAccountsAccount(account: $id, expand: ["account_holder.customer"]) {
    ... on ${ACCOUNT} { id account_holder { customer { id email } } } }
}`;

/** Posts one document; fails on GraphQL errors and on Stripe errors the schema returns as data. */
async function mustPost(url: string, query: string, variables: Record<string, unknown>): Promise<Data> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Data; errors?: unknown[] };
  const text = JSON.stringify(body);
  if (body.errors?.length || !body.data || text.includes('"error":{'))
    throw new Error(`generated gateway: ${text.slice(0, 500)}`);
  return body.data;
}

export interface SuiteIds {
  customer: string;
  session: string;
  accounts: string[];
}

/**
 * Each suite operation as a frontend of the generated gateway runs it (bench/suite.ts names), returning
 * the ids its answer shows, to check it answered the same objects as the gateway.
 */
export function generatedOperations(ids: SuiteIds): [string, (url: string) => Promise<unknown>][] {
  return [
    [
      'single account',
      async (url) =>
        (await mustPost(url, G_SINGLE, { id: ids.accounts[0] })).GetFinancialConnectionsAccountsAccount,
    ],
    [
      'customer dashboard (5 accounts)',
      async (url) => {
        const list = (await mustPost(url, G_DASHBOARD_ACCOUNTS, { customer: ids.customer }))
          .GetFinancialConnectionsAccounts;
        const accounts: string[] = list.data.map((a: Data) => a.id);
        // The customer arrived with any of its accounts; only a customer with none needs its own GET.
        const customerToo = accounts.length === 0;
        const txns = await mustPost(url, dashboardTransactions(accounts, customerToo), {
          ...Object.fromEntries(accounts.map((a, i) => [`a${i}`, a])),
          ...(customerToo ? { customer: ids.customer } : {}),
        });
        return { list, txns };
      },
    ],
    [
      'session with linked accounts',
      async (url) =>
        (await mustPost(url, G_SESSION, { id: ids.session })).GetFinancialConnectionsSessionsSession,
    ],
    [
      '100 transactions, 4 pages',
      async (url) => {
        const pages: Data[] = [];
        let after: string | null = null;
        for (let i = 0; i < TRANSACTION_PAGES; i++) {
          const page: Data = (await mustPost(url, G_TRANSACTIONS, { account: ids.accounts[0], after }))
            .GetFinancialConnectionsTransactions;
          pages.push(page);
          after = page.data.at(-1).id;
        }
        return pages;
      },
    ],
    [
      'same account three times',
      async (url) => mustPost(url, G_SAME_ACCOUNT_THRICE, { id: ids.accounts[0] }),
    ],
  ];
}
