// FinancialAccount.transactions reads ahead: Stripe is asked for its largest page (100), and the client's next
// pages, asked with `after`, are cut from the cached page until a refresh drops it; another partner never reaches
// them (each caller still proves the account is theirs).
import type { Client } from 'graphql-ws';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { ALL_FEATURES, ALL_PERMISSIONS, linkedCustomer } from '../helpers/linking';
import { postWebhook, subscribed, TEST_WEBHOOK_SECRET, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const PAGE = `query($id: ID!, $first: Int!, $after: String) {
  financialAccount(id: $id) { id
    transactions(first: $first, after: $after) { nodes { id status } pageInfo { hasNextPage endCursor } } }
}`;
interface Page {
  financialAccount: {
    transactions: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}
const AVAILABLE = `subscription($accountId: ID!) {
  transactionUpdatesAvailable(accountId: $accountId) { accountId transactionRefreshId }
}`;
interface Available {
  transactionUpdatesAvailable: { accountId: string; transactionRefreshId: string };
}
const LIST_PATH = '/v1/financial_connections/transactions';

describe('transactions read ahead', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  let accountId: string;

  beforeAll(async () => {
    sb = await startSandbox({ transactionsPerAccount: 120, refreshDelayMs: 5 });
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_MAX_RPS: '100',
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    });
    const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
      accounts: ['checking'],
    });
    accountId = linked.accountIds[0];
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  const page = (first: number, after: string | null, token = PARTNER_A.apiKey) =>
    gql<Page>(gw.graphqlUrl, PAGE, { id: accountId, first, after }, { token });
  /** The transaction list calls the sandbox saw while `fn` ran, as the `limit` each asked for. */
  async function listCalls<T>(fn: () => Promise<T>): Promise<{ result: T; calls: number[] }> {
    sb.sandbox.clearRequestLog();
    const result = await fn();
    return {
      result,
      calls: sb.sandbox.requestLog
        .filter((e) => e.path === LIST_PATH)
        .map((e) => Number(new URLSearchParams(e.query).get('limit'))),
    };
  }
  /** Pages of `size` as Stripe itself gives them (each its own list call), for comparison. */
  async function stripePages(size: number): Promise<string[][]> {
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const list = await sb.stripe.financialConnections.transactions.list({
        account: accountId,
        limit: size,
        ...(after ? { starting_after: after } : {}),
      });
      pages.push(list.data.map((t) => t.id));
      if (!list.has_more) return pages;
      after = list.data.at(-1)!.id;
    }
  }
  /** Every page of `size` through the gateway, in order. */
  async function gatewayPages(size: number): Promise<string[][]> {
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const conn: NonNullable<Page['financialAccount']>['transactions'] = ok(await page(size, after))
        .financialAccount!.transactions;
      pages.push(conn.nodes.map((n) => n.id));
      if (!conn.pageInfo.hasNextPage) return pages;
      after = conn.pageInfo.endCursor;
    }
  }

  beforeEach(() => gw.gateway.readStore.invalidateAllTenants('*'));

  it("should give Stripe's own pages, 120 transactions in pages of 30 for two list calls", async () => {
    const expected = await stripePages(30);
    expect(expected.map((p) => p.length)).toEqual([30, 30, 30, 30]);
    const { result, calls } = await listCalls(() => gatewayPages(30));
    expect(result).toEqual(expected);
    // 0–99 in the first call; the cached page holds only the start of the fourth (90–119): asked afresh.
    expect(calls).toEqual([100, 100]);
  });

  it('should ask a page at its own size when the selection has no cursor to page with (a dashboard)', async () => {
    const query = (cursor: string) => `query($id: ID!) { financialAccount(id: $id) {
      transactions(first: 10) { nodes { id } ${cursor} } } }`;
    const without = await listCalls(async () =>
      ok(await gql(gw.graphqlUrl, query(''), { id: accountId }, { token: PARTNER_A.apiKey })),
    );
    expect(without.calls).toEqual([10]);
    await gw.gateway.readStore.invalidateAllTenants('*');
    for (const cursor of ['pageInfo { endCursor }', 'edges { cursor }']) {
      const withCursor = await listCalls(async () =>
        ok(await gql(gw.graphqlUrl, query(cursor), { id: accountId }, { token: PARTNER_A.apiKey })),
      );
      expect(withCursor.calls).toEqual([100]);
      await gw.gateway.readStore.invalidateAllTenants('*');
    }
  });

  it("should drop the cached pages when the gateway refreshes the account's transactions", async () => {
    const cursor = ok(await page(25, null)).financialAccount!.transactions.pageInfo.endCursor!;
    expect((await listCalls(() => page(25, cursor))).calls).toHaveLength(0);
    const client: Client = wsClient(gw, PARTNER_A.apiKey);
    const available = await subscribed<Available>(gw, client, AVAILABLE, { accountId });
    try {
      ok(
        await gql(
          gw.graphqlUrl,
          'mutation($i: RefreshFinancialAccountInput!) { refreshFinancialAccount(input: $i) { financialAccount { id } } }',
          { i: { accountId, features: ['TRANSACTIONS'] } },
          { token: PARTNER_A.apiKey },
        ),
      );
      // The refresh (a write) forgot the account's lists: the same page is asked of Stripe again.
      expect((await listCalls(() => page(25, cursor))).calls).toHaveLength(1);
      // Let its completion be pushed before the next test listens.
      expect((await available.next()).transactionUpdatesAvailable.accountId).toBe(accountId);
    } finally {
      available.stop();
      await client.dispose();
    }
  });

  it('should drop the cached pages when Stripe says the transactions were refreshed (webhook)', async () => {
    const cursor = ok(await page(25, null)).financialAccount!.transactions.pageInfo.endCursor!;
    const client: Client = wsClient(gw, PARTNER_A.apiKey);
    const available = await subscribed<Available>(gw, client, AVAILABLE, { accountId });
    try {
      // A refresh the gateway did not start: until Stripe's event arrives, the gateway cannot know.
      const started = await sb.stripe.financialConnections.accounts.refresh(accountId, {
        features: ['transactions'],
      });
      const event = await sb.sandbox.waitForEvent(
        (e) =>
          e.type === 'financial_connections.account.refreshed_transactions' &&
          (e.data.object as { transaction_refresh?: { id?: string } }).transaction_refresh?.id ===
            started.transaction_refresh?.id,
      );
      expect((await listCalls(() => page(25, cursor))).calls).toHaveLength(0);
      expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
      // transactions.updated forgets the account's lists before it is pushed.
      expect((await available.next()).transactionUpdatesAvailable.accountId).toBe(accountId);
      const after = await listCalls(() => page(25, cursor));
      expect(after.calls).toHaveLength(1);
      const direct = await sb.stripe.financialConnections.transactions.list({
        account: accountId,
        limit: 25,
        starting_after: cursor,
      });
      expect(ok(after.result).financialAccount!.transactions.nodes.map((n) => n.id)).toEqual(
        direct.data.map((t) => t.id),
      );
    } finally {
      available.stop();
      await client.dispose();
    }
  });

  it('should not give another partner the cached pages: NOT_FOUND with no data, after its own ownership check', async () => {
    const first = ok(await page(25, null)).financialAccount!.transactions;
    const cursor = first.pageInfo.endCursor!;
    // A's next page is cached now (no Stripe call for A).
    expect((await listCalls(() => page(25, cursor))).calls).toHaveLength(0);
    sb.sandbox.clearRequestLog();
    const asB = await page(25, cursor, PARTNER_B.apiKey);
    expect(errorCodes(asB)).toEqual(['NOT_FOUND']);
    expect(asB.data?.financialAccount ?? null).toBeNull();
    expect(JSON.stringify(asB)).not.toContain(first.nodes[0].id);
    // B's proof is B's own read of the account; B never reached a transaction list.
    const log = sb.sandbox.requestLog.map((e) => e.path);
    expect(log).toContain(`/v1/financial_connections/accounts/${accountId}`);
    expect(log).not.toContain(LIST_PATH);
  });
});
