// Shared subscription execution end to end over graphql-ws (src/transport/ws/subscription-execution.ts): identical
// subscriptions of one caller execute each event once and every socket gets that one result; different
// callers, or different variables, execute separately.
//
// How executions are counted: the payload's `transactions` field reads Stripe through the gateway's read store
// once per execution (each execution has fresh loaders), and every such read is one `stripe_cache_lookups_total`
// lookup for the `txns` resource, hit or miss. The event forgets the cached list first, so the first execution
// after it sends Stripe exactly one request whatever happens next.
import type Stripe from 'stripe';
import type { Client } from 'graphql-ws';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { customerToken, linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { postWebhook, refreshedEvent, subscribed, TEST_WEBHOOK_SECRET, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const BY_ACCOUNT = `subscription($accountId: ID, $customerId: ID) {
  financialAccountRefreshed(accountId: $accountId, customerId: $customerId) {
    feature occurredAt
    financialAccount { id transactions(first: 1) { nodes { id } } }
  }
}`;
interface Pushed {
  financialAccountRefreshed: {
    feature: string;
    occurredAt: string;
    financialAccount: { id: string; transactions: { nodes: { id: string }[] } };
  };
}

describe('shared subscription execution over graphql-ws', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  // A customer of its own for every test: subscriptions an earlier test left behind follow another topic.
  let linked: LinkedCustomer;
  let account: Stripe.FinancialConnections.Account;
  const clients: Client[] = [];
  let last = 0;
  /** Event times: strictly increasing, so every event is the account's newest. */
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));

  const client = (token: string) => {
    const c = wsClient(gw, token);
    clients.push(c);
    return c;
  };

  /** Transactions-list lookups in the gateway's read store so far (one per execution of BY_ACCOUNT). */
  const txnsLookups = async () =>
    (await gw.gateway.metrics.cacheLookups.get()).values
      .filter((v) => v.labels.resource === 'txns')
      .reduce((sum, v) => sum + v.value, 0);
  const txnsRequests = () =>
    sandbox.sandbox.requestLog.filter(
      (e) => e.method === 'GET' && e.path === '/v1/financial_connections/transactions',
    ).length;

  /** Sends one signed balance completion for the account; returns its time as the API shows it. */
  async function completion(): Promise<string> {
    const at = tick();
    const res = await postWebhook(
      gw,
      JSON.stringify(refreshedEvent(account, 'balance', at, { created: at })),
    );
    expect(res).toEqual({ status: 200, body: { received: true } });
    return new Date(at * 1000).toISOString();
  }

  /** What `run` cost: read-store lookups (executions) and Stripe requests for the transactions list. */
  async function costOf(run: () => Promise<void>) {
    const lookups = await txnsLookups();
    const requests = txnsRequests();
    await run();
    return { executions: (await txnsLookups()) - lookups, stripeReads: txnsRequests() - requests };
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    // Events come from the test as signed webhooks: each one is published exactly once.
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  });
  beforeEach(async () => {
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await gw?.close();
    await sandbox?.close();
  });

  it('should execute an event once for two identical subscriptions of one caller, and push it to both', async () => {
    const vars = { accountId: linked.accountId };
    const first = await subscribed<Pushed>(gw, client(PARTNER_A.apiKey), BY_ACCOUNT, vars);
    const second = await subscribed<Pushed>(gw, client(PARTNER_A.apiKey), BY_ACCOUNT, vars);
    let pushed: Pushed[] = [];
    const cost = await costOf(async () => {
      const occurredAt = await completion();
      pushed = [await first.next(), await second.next()];
      expect(pushed[0].financialAccountRefreshed).toMatchObject({
        feature: 'BALANCE',
        occurredAt,
        financialAccount: { id: linked.accountId },
      });
    });
    expect(pushed[1]).toEqual(pushed[0]);
    expect(cost).toEqual({ executions: 1, stripeReads: 1 });
    first.stop();
    second.stop();
  });

  it('should execute separately for two callers (a partner and its customer), each getting the event', async () => {
    const endUser = await customerToken(gw, PARTNER_A.apiKey, linked.customerId);
    const vars = { accountId: linked.accountId };
    const partner = await subscribed<Pushed>(gw, client(PARTNER_A.apiKey), BY_ACCOUNT, vars);
    const customer = await subscribed<Pushed>(gw, client(endUser), BY_ACCOUNT, vars);
    let pushed: Pushed[] = [];
    const cost = await costOf(async () => {
      const occurredAt = await completion();
      pushed = [await partner.next(), await customer.next()];
      for (const p of pushed) expect(p.financialAccountRefreshed.occurredAt).toBe(occurredAt);
    });
    expect(pushed[1]).toEqual(pushed[0]);
    // Two executions; the read store still shares their one Stripe read (same partner, same key).
    expect(cost).toEqual({ executions: 2, stripeReads: 1 });
    partner.stop();
    customer.stop();
  });

  it('should execute separately for one caller subscribed with different variables', async () => {
    const byAccount = await subscribed<Pushed>(gw, client(PARTNER_A.apiKey), BY_ACCOUNT, {
      accountId: linked.accountId,
    });
    const byCustomer = await subscribed<Pushed>(gw, client(PARTNER_A.apiKey), BY_ACCOUNT, {
      customerId: linked.customerId,
    });
    const cost = await costOf(async () => {
      const occurredAt = await completion();
      for (const sub of [byAccount, byCustomer])
        expect((await sub.next()).financialAccountRefreshed.occurredAt).toBe(occurredAt);
    });
    expect(cost).toEqual({ executions: 2, stripeReads: 1 });
    byAccount.stop();
    byCustomer.stop();
  });
});
