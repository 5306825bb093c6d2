// Apollo Client as docs/clients.md sets it up (its snippets, run as written): a customer token from the partner
// backend snippet, InMemoryCache with the documented typePolicies, HTTP and graphql-ws links. The dashboard, Relay
// pagination over transactions, a refresh and a payment pushed over the WebSocket into the normalized cache.
import type { ApolloClient, ObservableQuery } from '@apollo/client';
import { gql } from '@apollo/client';
import {
  captureConsoleWarnings,
  installWebSocketGlobal,
  snippetLoader,
  startPartnerBackend,
  type PartnerBackend,
} from '../helpers/docs-snippets';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { listening } from '../helpers/live';
import { createPayment, confirmPayment } from '../helpers/payment-intents';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { Money, DashboardData, TransactionsData } from '../helpers/client-data';

/** Resolves with the first value `watch` emits that satisfies `done` (rejects after `timeoutMs`). */
function emitted<T>(watch: ObservableQuery<T>, done: (data: T) => boolean, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`the watched query did not show the expected value in ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = watch.subscribe({
      next: (result) => {
        if (result.data && done(result.data as T)) {
          clearTimeout(timer);
          queueMicrotask(() => sub.unsubscribe());
          resolve(result.data as T);
        }
      },
      error: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
  });
}

describe('Apollo Client (docs/clients.md)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let backend: PartnerBackend;
  let linked: LinkedCustomer;
  let client: ApolloClient;
  let ops: Record<string, string>;
  let consoleOutput: ReturnType<typeof captureConsoleWarnings> | undefined;

  beforeAll(async () => {
    installWebSocketGlobal();
    consoleOutput = captureConsoleWarnings();
    sandbox = await startSandbox({ refreshDelayMs: 50, achDelayMs: 100 });
    // No STRIPE_WEBHOOK_SECRET: the gateway registers its own endpoint with the sandbox, so pushes arrive by webhook.
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey, 'CUSTOMER', {
      prefetch: ['BALANCE', 'TRANSACTIONS'],
    });
    backend = await startPartnerBackend(gw.graphqlUrl, PARTNER_A.apiKey, linked.customerId);
    const load = snippetLoader({
      config: { GATEWAY_URL: gw.graphqlUrl, GATEWAY_WS_URL: gw.wsUrl, BACKEND_URL: backend.url },
    });
    ops = load('operations') as Record<string, string>;
    client = (load('apollo-client').createApolloClient as () => ApolloClient)();
  });
  afterAll(async () => {
    // The link's graphql-ws client is lazy: its socket closed with the last subscription.
    client?.stop();
    await backend?.close();
    await gw?.close();
    await sandbox?.close();
    consoleOutput?.restore();
  });

  it('should read the dashboard with a customer token minted by the partner backend route', async () => {
    const { data } = await client.query<DashboardData>({ query: gql(ops.DASHBOARD) });
    expect(data?.viewer.customer.id).toBe(linked.customerId);
    const ids = data!.viewer.customer.financialAccounts.edges.map((e) => e.node.id);
    expect(ids.sort()).toEqual([...linked.accountIds].sort());
    const checking = data!.viewer.customer.financialAccounts.edges.find(
      (e) => e.node.id === linked.accountId,
    );
    expect(checking?.node.balance?.current.length).toBeGreaterThan(0);
    expect(backend.requests).toContain('/api/gateway-token');
  });

  it('should append pages of transactions with relayStylePagination', async () => {
    const query = gql(ops.TRANSACTIONS);
    const all = await client.query<TransactionsData>({
      query,
      variables: { accountId: linked.accountId, first: 4 },
      fetchPolicy: 'network-only',
    });
    const allIds = all.data!.financialAccount.transactions.edges.map((e) => e.node.id);
    expect(allIds.length).toBe(4);

    const watch = client.watchQuery<TransactionsData>({
      query,
      variables: { accountId: linked.accountId, first: 2 },
      fetchPolicy: 'network-only',
    });
    const first = await emitted(watch, (d) => d.financialAccount.transactions.edges.length === 2);
    expect(first.financialAccount.transactions.pageInfo.hasNextPage).toBe(true);
    const after = first.financialAccount.transactions.pageInfo.endCursor;
    const appended = emitted(watch, (d) => d.financialAccount.transactions.edges.length === 4);
    await watch.fetchMore({ variables: { after } });
    const merged = await appended;
    expect(merged.financialAccount.transactions.edges.map((e) => e.node.id)).toEqual(allIds);
  });

  it('should show a refreshed balance pushed over the WebSocket link in the watched dashboard', async () => {
    const watch = client.watchQuery<DashboardData>({ query: gql(ops.DASHBOARD) });
    // Every later balance refresh in the sandbox moves the balance by at least $1 (src/sandbox/refresh.ts), and
    // `asOf` has a resolution of seconds: the amounts tell the refreshed balance apart.
    const amounts = (b: { current: Money[] } | null | undefined) =>
      JSON.stringify(b?.current.map(({ amount, currency }) => [amount, currency]));
    const balanceOf = (d: DashboardData) =>
      d.viewer.customer.financialAccounts.edges.find((e) => e.node.id === linked.accountId)?.node.balance;
    const before = balanceOf(await emitted(watch, (d) => balanceOf(d) !== undefined))!;

    const opened = listening(gw);
    const pushes: unknown[] = [];
    const subscription = client
      .subscribe({ query: gql(ops.ACCOUNT_REFRESHED), variables: { accountId: linked.accountId } })
      .subscribe({ next: (r) => void pushes.push(r.data) });
    await opened;
    const changed = emitted(watch, (d) => amounts(balanceOf(d)) !== amounts(before));

    await sandbox.stripe.financialConnections.accounts.refresh(linked.accountId, { features: ['balance'] });
    const after = balanceOf(await changed)!;
    subscription.unsubscribe();

    const upstream = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    expect(after.current.map(({ amount, currency }) => ({ amount, currency }))).toEqual(
      Object.entries(upstream.balance!.current).map(([currency, amount]) => ({ amount, currency })),
    );
    expect(pushes.length).toBeGreaterThan(0);
  });

  it('should show a payment pushed to SUCCEEDED in the watched payment query', async () => {
    const id = await createPayment(gw, PARTNER_A.apiKey, {
      customerId: linked.customerId,
      accountId: linked.accountId,
      idempotencyKey: `apollo-client-${Date.now()}`,
    });
    const watch = client.watchQuery<{ paymentIntent: { id: string; status: string } }>({
      query: gql(ops.PAYMENT),
      variables: { id },
    });
    await emitted(watch, (d) => d.paymentIntent.id === id);

    const opened = listening(gw);
    const subscription = client
      .subscribe({ query: gql(ops.PAYMENT_UPDATED), variables: { id } })
      .subscribe({ next: () => undefined });
    await opened;
    const succeeded = emitted(watch, (d) => d.paymentIntent.status === 'SUCCEEDED');
    expect(await confirmPayment(gw, PARTNER_A.apiKey, id)).toBe('PROCESSING');
    expect((await succeeded).paymentIntent).toMatchObject({ id, status: 'SUCCEEDED' });
    subscription.unsubscribe();
  });

  it('should have asked the partner backend for one token, shared by the HTTP and WebSocket links', () => {
    expect(backend.requests.filter((r) => r === '/api/gateway-token')).toHaveLength(1);
  });

  it('should have written nothing to console.warn or console.error (no cache warnings)', () => {
    expect(consoleOutput?.warnings).toEqual([]);
  });
});
