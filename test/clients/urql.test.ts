// urql as docs/clients.md sets it up (its snippets, run as written): the default exchanges send short queries as GET
// and get 200; graphcache with the documented `keys` normalizes without a warning, pages transactions and takes a
// refresh pushed over graphql-ws into the watched dashboard.
import type { Client, OperationResult, OperationResultSource } from '@urql/core';
import { buildSchema, isNonNullType, isObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  captureConsoleWarnings,
  installWebSocketGlobal,
  snippetLoader,
  startPartnerBackend,
  type PartnerBackend,
  recordedSnippets,
  type SentRequest,
} from '../helpers/docs-snippets';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { listening } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { Money, DashboardData, TransactionsData } from '../helpers/client-data';

/** Object types of the schema without a non-null `id`, besides the root types: those graphcache cannot key by itself. */
function typesWithoutId(): string[] {
  const schema = buildSchema(readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .filter((t) => !['Query', 'Mutation', 'Subscription'].includes(t.name))
    .filter((t) => {
      const id = isObjectType(t) ? t.getFields().id : undefined;
      return !id || !isNonNullType(id.type);
    })
    .map((t) => t.name)
    .sort();
}

/** A watched urql query: resolves `until` with the first result (past or coming) whose data satisfies `done`. */
function watch<T>(source: OperationResultSource<OperationResult<T>>) {
  const results: T[] = [];
  const waiters = new Set<(data: T) => void>();
  const subscription = source.subscribe((r) => {
    if (!r.data) return;
    results.push(r.data);
    for (const w of [...waiters]) w(r.data);
  });
  return {
    until(done: (data: T) => boolean, timeoutMs = 15_000): Promise<T> {
      const already = results.at(-1);
      if (already !== undefined && done(already)) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`the watched query did not show the expected value in ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (data: T) => {
          if (!done(data)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(data);
        };
        waiters.add(waiter);
      });
    },
    stop: () => subscription.unsubscribe(),
  };
}

describe('urql (docs/clients.md)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let backend: PartnerBackend;
  let linked: LinkedCustomer;
  let ops: Record<string, string>;
  let load: ReturnType<typeof snippetLoader>;
  /** Every request the snippets sent to the gateway. */
  let sent: SentRequest[];
  let consoleOutput: ReturnType<typeof captureConsoleWarnings> | undefined;

  beforeAll(async () => {
    installWebSocketGlobal();
    consoleOutput = captureConsoleWarnings();
    sandbox = await startSandbox({ refreshDelayMs: 50 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey, 'CUSTOMER', {
      prefetch: ['BALANCE', 'TRANSACTIONS'],
    });
    backend = await startPartnerBackend(gw.graphqlUrl, PARTNER_A.apiKey, linked.customerId);
    ({ load, sent, ops } = recordedSnippets(gw, backend.url));
  });
  afterAll(async () => {
    await backend?.close();
    await gw?.close();
    await sandbox?.close();
    consoleOutput?.restore();
  });

  describe('with the default exchanges', () => {
    it('should send the dashboard query as GET and get 200 with the data', async () => {
      const client = (load('urql').createUrqlClient as () => Client)();
      sent.length = 0;
      const result = await client.query<DashboardData>(ops.DASHBOARD, {}).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data?.viewer.customer.id).toBe(linked.customerId);
      expect(sent.map(({ method, status }) => ({ method, status }))).toEqual([
        { method: 'GET', status: 200 },
      ]);
    });

    it('should send a mutation as POST', async () => {
      const client = (load('urql').createUrqlClient as () => Client)();
      sent.length = 0;
      const result = await client
        .mutation(
          'mutation ($input: RefreshFinancialAccountInput!) { refreshFinancialAccount(input: $input) { financialAccount { id } } }',
          { input: { accountId: linked.accountId, features: ['OWNERSHIP'] } },
        )
        .toPromise();
      expect(result.error).toBeUndefined();
      expect(sent.map(({ method, status }) => ({ method, status }))).toEqual([
        { method: 'POST', status: 200 },
      ]);
    });
  });

  describe('with graphcache', () => {
    let client: Client;
    beforeAll(() => {
      client = (load('urql').createUrqlGraphcacheClient as () => Client)();
    });

    it('should key every object type of the schema that has no id', () => {
      const keys = load('urql').keys as Record<string, unknown>;
      expect(Object.keys(keys).sort()).toEqual(typesWithoutId());
    });

    it('should read the dashboard', async () => {
      const result = await client.query<DashboardData>(ops.DASHBOARD, {}).toPromise();
      expect(result.error).toBeUndefined();
      const ids = result.data!.viewer.customer.financialAccounts.edges.map((e) => e.node.id);
      expect(ids.sort()).toEqual([...linked.accountIds].sort());
    });

    it('should merge pages of transactions with relayPagination', async () => {
      const all = await client
        .query<TransactionsData>(
          ops.TRANSACTIONS,
          { accountId: linked.accountId, first: 4 },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      const allIds = all.data!.financialAccount.transactions.edges.map((e) => e.node.id);
      expect(allIds).toHaveLength(4);
      const first = await client
        .query<TransactionsData>(ops.TRANSACTIONS, { accountId: linked.accountId, first: 2 })
        .toPromise();
      const after = first.data!.financialAccount.transactions.pageInfo.endCursor;
      const second = await client
        .query<TransactionsData>(ops.TRANSACTIONS, { accountId: linked.accountId, first: 2, after })
        .toPromise();
      expect(second.error).toBeUndefined();
      expect(second.data!.financialAccount.transactions.edges.map((e) => e.node.id)).toEqual(allIds);
    });

    it('should update the watched dashboard from a refresh pushed over graphql-ws', async () => {
      // Every later balance refresh in the sandbox moves the balance by at least $1 (src/sandbox/refresh.ts), and
      // `asOf` has a resolution of seconds: the amounts tell the refreshed balance apart.
      const amounts = (b: { current: Money[] } | null | undefined) =>
        JSON.stringify(b?.current.map(({ amount, currency }) => [amount, currency]));
      const balanceOf = (d: DashboardData) =>
        d.viewer.customer.financialAccounts.edges.find((e) => e.node.id === linked.accountId)?.node.balance;
      const dashboard = watch(client.query<DashboardData>(ops.DASHBOARD, {}));
      const before = balanceOf(await dashboard.until((d) => balanceOf(d) != null))!;

      const opened = listening(gw);
      const pushed = client
        .subscription(ops.ACCOUNT_REFRESHED, { accountId: linked.accountId })
        .subscribe(() => undefined);
      await opened;
      const changed = dashboard.until((d) => amounts(balanceOf(d)) !== amounts(before));
      await sandbox.stripe.financialConnections.accounts.refresh(linked.accountId, { features: ['balance'] });
      const after = balanceOf(await changed)!;
      pushed.unsubscribe();
      dashboard.stop();

      const upstream = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
      expect(after.current.map(({ amount, currency }) => ({ amount, currency }))).toEqual(
        Object.entries(upstream.balance!.current).map(([currency, amount]) => ({ amount, currency })),
      );
    });

    it('should have sent its queries as GET, every answer 200', () => {
      expect(sent.filter((r) => r.status !== 200)).toEqual([]);
      expect(sent.some((r) => r.method === 'GET')).toBe(true);
    });

    it('should have written nothing to console.warn or console.error (graphcache warns about unkeyed types)', () => {
      expect(consoleOutput?.warnings).toEqual([]);
    });
  });
});
