// FinancialAccount.transactionUpdates and transactionUpdatesAvailable: clients keep a local copy of an
// account's transactions in step with Stripe through five refreshes, on two instances joined by Redis.
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql } from '../helpers/gql';
import { subscribe, wsClient, type Subscription, listening } from '../helpers/live';
import { waitUntil } from '../helpers/wait';
import { linkedCustomer } from '../helpers/linking';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

interface Txn {
  id: string;
  status: string;
  postedAt: string | null;
}
interface Updates {
  added: Txn[];
  modified: Txn[];
  removed: string[];
  nextCursor: string;
  hasMore: boolean;
}
const TXN = 'id status postedAt';
const UPDATES = `query($id: ID!, $cursor: String, $first: Int) {
  financialAccount(id: $id) {
    transactionUpdates(cursor: $cursor, first: $first) { added { ${TXN} } modified { ${TXN} } removed nextCursor hasMore }
  }
}`;
const AVAILABLE = `subscription($accountId: ID!) {
  transactionUpdatesAvailable(accountId: $accountId) { accountId transactionRefreshId completedAt }
}`;
interface Available {
  transactionUpdatesAvailable: { accountId: string; transactionRefreshId: string; completedAt: string };
}

/** A client of the sync: a local copy, the last cursor, and how each change was classified. */
class SyncClient {
  readonly copy = new Map<string, Txn>();
  cursor: string | null = null;
  readonly seen = { added: 0, modified: 0, removed: 0 };
  constructor(
    private readonly gw: () => StartedGateway,
    private readonly accountId: string,
    private readonly pageSize: number,
  ) {}

  /** Calls transactionUpdates until hasMore is false, applying every page. @returns the pages taken. */
  async sync(): Promise<number> {
    let pages = 0;
    for (;;) {
      const r = await gql<{ financialAccount: { transactionUpdates: Updates } }>(
        this.gw().graphqlUrl,
        UPDATES,
        { id: this.accountId, cursor: this.cursor, first: this.pageSize },
        { token: PARTNER_A.apiKey },
      );
      if (!r.data?.financialAccount) throw new Error(JSON.stringify(r.errors));
      const u = r.data.financialAccount.transactionUpdates;
      pages += 1;
      for (const t of u.added) {
        // Never the same change twice: an added transaction is new to this copy.
        expect(this.copy.has(t.id)).toBe(false);
        this.copy.set(t.id, t);
      }
      for (const t of u.modified) {
        expect(this.copy.get(t.id)).toBeDefined();
        expect(this.copy.get(t.id)).not.toEqual(t);
        this.copy.set(t.id, t);
      }
      for (const id of u.removed) {
        expect(this.copy.has(id)).toBe(true);
        this.copy.delete(id);
      }
      this.seen.added += u.added.length;
      this.seen.modified += u.modified.length;
      this.seen.removed += u.removed.length;
      this.cursor = u.nextCursor;
      if (!u.hasMore) return pages;
    }
  }
}

describe('transaction sync over five refreshes, two instances joined by Redis', () => {
  let redis: StartedRedis;
  let probe: Redis;
  let sandbox: StartedSandbox;
  let a: StartedGateway;
  let b: StartedGateway;
  let ws: Client;
  let sub: Subscription<Available>;
  let accountId: string;
  let otherAccountId: string;

  const query = <T>(gw: StartedGateway, q: string, v: Record<string, unknown>, token = PARTNER_A.apiKey) =>
    gql<T>(gw.graphqlUrl, q, v, { token });

  /** Every transaction Stripe holds for the account, voided ones left out, as the full listing shows them. */
  async function fullListing(): Promise<Map<string, Txn>> {
    const out = new Map<string, Txn>();
    let after: string | null = null;
    for (;;) {
      const r: Awaited<
        ReturnType<
          typeof query<{
            financialAccount: {
              transactions: { nodes: Txn[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
            };
          }>
        >
      > = await query(
        a,
        `query($id: ID!, $after: String) { financialAccount(id: $id) {
          transactions(first: 100, after: $after) { nodes { ${TXN} } pageInfo { hasNextPage endCursor } } } }`,
        { id: accountId, after },
      );
      const conn = r.data!.financialAccount.transactions;
      for (const t of conn.nodes) if (t.status !== 'VOID') out.set(t.id, t);
      if (!conn.pageInfo.hasNextPage) return out;
      after = conn.pageInfo.endCursor;
    }
  }

  async function transactionRefreshId(): Promise<string> {
    const r = await query<{ financialAccount: { transactionRefresh: { id: string; status: string } } }>(
      a,
      'query($id: ID!) { financialAccount(id: $id) { transactionRefresh { id status } } }',
      { id: accountId },
    );
    return r.data!.financialAccount.transactionRefresh.id;
  }

  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    sandbox = await startSandbox({ refreshDelayMs: 5, transactionsPerAccount: 40 });
    const env = { STRIPE_API_BASE: sandbox.url, REDIS_URL: redis.url };
    a = await startGateway(env);
    b = await startGateway(env);
    const linked = await linkedCustomer(a, sandbox, PARTNER_A.apiKey);
    accountId = linked.accountId;
    otherAccountId = linked.accountIds.find((id) => id !== accountId)!;
    ws = wsClient(b, PARTNER_A.apiKey);
    const opened = listening(b);
    sub = subscribe<Available>(ws, AVAILABLE, { accountId });
    await opened;
    await waitUntil(
      async () =>
        Number(
          (
            (await probe.pubsub('NUMSUB', `fcgw.transactions.updated:${linked.customerId}`)) as [
              string,
              number,
            ]
          )[1],
        ) >= 1,
      'instance B to subscribe in Redis',
    );
  });
  afterAll(async () => {
    sub?.stop();
    await ws?.dispose();
    await a?.close();
    await b?.close();
    await sandbox?.close();
    probe?.disconnect();
    await redis?.stop();
  });

  it('should keep local copies equal to the full listing through five refreshes, each pushed exactly once', async () => {
    const early = new SyncClient(() => a, accountId, 7);
    // Before any transaction refresh there is nothing at Stripe: an empty first sync.
    await early.sync();
    expect(early.copy.size).toBe(0);
    let late: SyncClient | undefined;
    const pushed: string[] = [];
    // What other consumers (e.g. outgoing webhooks) hear: each instance's publisher, once per refresh overall.
    const published: string[] = [];
    const offs = [a, b].map((gw) =>
      gw.gateway.live.publisher.addSink((e) => {
        if (e.kind === 'transactions.updated' && e.accountId === accountId)
          published.push(e.transactionRefreshId);
      }),
    );

    for (let i = 1; i <= 5; i++) {
      if (i === 1) {
        // Subscribing starts the first transaction refresh (docs/stripe-facts.md §2).
        const r = await query<{ subscribeFinancialAccount: unknown }>(
          a,
          'mutation($i: SubscribeFinancialAccountInput!) { subscribeFinancialAccount(input: $i) { financialAccount { id } } }',
          { i: { accountId, features: ['TRANSACTIONS'] } },
        );
        expect(r.errors).toBeUndefined();
      } else if (i === 5) {
        // The daily refresh of a subscribed account, driven by the sandbox clock (a day and an hour on:
        // the refreshes above ran back to back, each attempt a second after the previous one).
        sandbox.sandbox.advanceTime(86_400 + 3_600);
      } else {
        const r = await query<{ refreshFinancialAccount: unknown }>(
          b,
          'mutation($i: RefreshFinancialAccountInput!) { refreshFinancialAccount(input: $i) { financialAccount { id } } }',
          { i: { accountId, features: ['TRANSACTIONS'] } },
        );
        expect(r.errors).toBeUndefined();
      }
      const push = (await sub.next()).transactionUpdatesAvailable;
      expect(push.accountId).toBe(accountId);
      // Exactly one push per refresh: this is the newest refresh, not a repeat of an earlier one.
      expect(push.transactionRefreshId).toMatch(/^fctxnref_/);
      expect(pushed).not.toContain(push.transactionRefreshId);
      expect(push.transactionRefreshId).toBe(await transactionRefreshId());
      pushed.push(push.transactionRefreshId);

      // Alternate instances: the cursor opens on both.
      await early.sync();
      const truth = await fullListing();
      expect(new Map([...early.copy].sort())).toEqual(new Map([...truth].sort()));
      if (i === 2) late = new SyncClient(() => b, accountId, 100);
      if (late) {
        await late.sync();
        expect(new Map([...late.copy].sort())).toEqual(new Map([...truth].sort()));
      }
    }
    expect(early.seen.added).toBeGreaterThan(0);
    expect(early.seen.modified).toBeGreaterThan(0);
    expect(early.seen.removed).toBeGreaterThan(0);
    expect(sub.pending).toBe(0);
    for (const off of offs) off();
    expect(published.sort()).toEqual([...pushed].sort());

    // Nothing new: one more sync is one page with no change, and at most one Stripe request (the account).
    const total = () => early.seen.added + early.seen.modified + early.seen.removed;
    const [changes, before] = [total(), a.stripeRequests()];
    expect(await early.sync()).toBe(1);
    expect(total()).toBe(changes);
    expect(a.stripeRequests() - before).toBeLessThanOrEqual(1);
  });

  it('should refuse a forged, tampered or other-account cursor with BAD_USER_INPUT', async () => {
    const first = await query<{ financialAccount: { transactionUpdates: Updates } }>(a, UPDATES, {
      id: accountId,
      first: 1,
    });
    const cursor = first.data!.financialAccount.transactionUpdates.nextCursor;
    const flipped = cursor.slice(0, -3) + (cursor.at(-3) === 'A' ? 'B' : 'A') + cursor.slice(-2);
    for (const [id, bad] of [
      [accountId, 'v1.' + Buffer.from(JSON.stringify({ w: null, wt: null })).toString('base64url')],
      [accountId, flipped],
      [accountId, 'garbage'],
      [otherAccountId, cursor],
    ]) {
      const r = await query(b, UPDATES, { id, cursor: bad });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(r.errors)).not.toContain('fctxnref_');
    }
    // Another partner does not reach the account at all.
    const foreign = await query(a, UPDATES, { id: accountId, cursor }, PARTNER_B.apiKey);
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    const outOfRange = await query(a, UPDATES, { id: accountId, first: 101 });
    expect(errorCodes(outOfRange)).toEqual(['BAD_USER_INPUT']);
  });

  it('should answer PERMISSION_NOT_GRANTED without the transactions permission', async () => {
    const c = await query<{ createCustomer: { customer: { id: string } } }>(
      a,
      'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
      { i: { email: 'nosync@example.com' } },
    );
    const s = await query<{ createFinancialConnectionsSession: { session: { id: string } } }>(
      a,
      'mutation($i: CreateFinancialConnectionsSessionInput!) { createFinancialConnectionsSession(input: $i) { session { id } } }',
      { i: { customerId: c.data!.createCustomer.customer.id, permissions: ['PAYMENT_METHOD'] } },
    );
    const done = sandbox.sandbox.completeSession(s.data!.createFinancialConnectionsSession.session.id);
    const r = await query(a, UPDATES, { id: (done.accounts[0] as { id: string }).id });
    expect(errorCodes(r)).toEqual(['PERMISSION_NOT_GRANTED']);
  });
});
