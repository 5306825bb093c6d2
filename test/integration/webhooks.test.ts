import type Stripe from 'stripe';
import type { Client } from 'graphql-ws';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import {
  postWebhook,
  refreshedEvent,
  signatureFor,
  stripeEvent,
  REFRESHED,
  type Refreshed,
  subscribed,
  TEST_WEBHOOK_SECRET,
  wsClient,
  type Subscription,
} from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const UPDATED = `subscription($customerId: ID!) {
  financialAccountUpdated(customerId: $customerId) { type occurredAt financialAccount { id status } }
}`;
interface Updated {
  financialAccountUpdated: {
    type: string;
    occurredAt: string;
    financialAccount: { id: string; status: string };
  };
}

const iso = (unix: number) => new Date(unix * 1000).toISOString();

describe('POST /webhooks/stripe (STRIPE_WEBHOOK_SECRET set, events sent by the test)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let client: Client;
  let linked: LinkedCustomer;
  let account: Stripe.FinancialConnections.Account;
  let sub: Subscription<Refreshed>;
  /**
   * Event times in this file: strictly increasing, never behind the wall clock. Every event sent is then
   * the newest of its account (as deliveries mostly are), except the deliberately older ones.
   */
  let last = 0;
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));

  /** Sends a distinct valid completion and asserts it is the very next message: proves nothing came before it. */
  async function expectNextIsMarker(): Promise<void> {
    const markerTime = tick();
    const marker = refreshedEvent(account, 'ownership', markerTime, { created: markerTime });
    expect((await postWebhook(gw, JSON.stringify(marker))).status).toBe(200);
    const msg = (await sub.next()).financialAccountRefreshed;
    expect({ feature: msg.feature, occurredAt: msg.occurredAt }).toEqual({
      feature: 'OWNERSHIP',
      occurredAt: iso(markerTime),
    });
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    client = wsClient(gw, PARTNER_A.apiKey);
    sub = await subscribed<Refreshed>(gw, client, REFRESHED, { accountId: linked.accountId });
  });
  afterAll(async () => {
    sub?.stop();
    await client?.dispose();
    await gw?.close();
    await sandbox?.close();
  });

  it('should not self-register when STRIPE_WEBHOOK_SECRET is set', async () => {
    const endpoints = await sandbox.stripe.webhookEndpoints.list();
    expect(endpoints.data.filter((e) => e.url.startsWith(gw.url))).toHaveLength(0);
  });

  it('should push a valid signed completion with the balance it carries', async () => {
    const at = tick();
    const event = refreshedEvent(account, 'balance', at, { created: at, balance: 123_45 });
    const res = await postWebhook(gw, JSON.stringify(event));
    expect(res).toEqual({ status: 200, body: { received: true } });
    const msg = (await sub.next()).financialAccountRefreshed;
    expect(msg).toMatchObject({ feature: 'BALANCE', status: 'SUCCEEDED', occurredAt: iso(at) });
    expect(msg.financialAccount.balance?.current).toEqual([{ amount: 123_45, currency: 'usd' }]);
  });

  describe('rejected deliveries push nothing (docs/security-catalogue.md WH1–WH3, WH7, WH8)', () => {
    const fresh = () => {
      const at = tick();
      return JSON.stringify(refreshedEvent(account, 'balance', at, { created: at, balance: 1 }));
    };
    const rows: [
      string,
      () => Promise<{ status: number; body: Record<string, unknown> }>,
      number,
      RegExp | null,
    ][] = [
      [
        'a forged signature (wrong secret)',
        () => postWebhook(gw, fresh(), { secret: 'whsec_not_the_right_one' }),
        400,
        /No signatures found/,
      ],
      [
        'a missing Stripe-Signature header',
        () => postWebhook(gw, fresh(), { signature: null }),
        400,
        /missing/,
      ],
      [
        'a stale timestamp (signed 10 minutes ago)',
        () => postWebhook(gw, fresh(), { timestamp: Math.floor(Date.now() / 1000) - 600 }),
        400,
        /Timestamp outside the tolerance zone/,
      ],
      [
        'a body re-serialized after signing',
        () => {
          const payload = fresh();
          return postWebhook(gw, payload, { body: JSON.stringify(JSON.parse(payload), null, 2) });
        },
        400,
        /No signatures found/,
      ],
      [
        'only a v0 signature',
        () => {
          const payload = fresh();
          const t = Math.floor(Date.now() / 1000);
          return postWebhook(gw, payload, { signature: `t=${t},v0=${'a'.repeat(64)}` });
        },
        400,
        /No signatures found/,
      ],
      [
        'a v2 thin event',
        () =>
          postWebhook(
            gw,
            JSON.stringify({
              id: 'evt_thin_1',
              object: 'v2.core.event',
              type: 'v1.financial_connections.account.refreshed_balance',
              livemode: false,
              created: new Date().toISOString(),
            }),
          ),
        400,
        /thin/,
      ],
    ];
    it.each(rows)(
      'should answer %s with the expected status and push nothing',
      async (_name, send, status, message) => {
        const res = await send();
        expect(res.status).toBe(status);
        if (message) expect(String(res.body.error)).toMatch(message);
        await expectNextIsMarker();
      },
    );

    it('should accept a header with two v1 signatures when one is valid (secret rotation)', async () => {
      const at = tick();
      const payload = JSON.stringify(refreshedEvent(account, 'balance', at, { created: at, balance: 77 }));
      const signedAt = Math.floor(Date.now() / 1000);
      const valid = signatureFor(payload, TEST_WEBHOOK_SECRET, signedAt);
      const sig = valid.split(',v1=')[1];
      const res = await postWebhook(gw, payload, {
        signature: `t=${signedAt},v1=${'0'.repeat(64)},v1=${sig}`,
      });
      expect(res.status).toBe(200);
      expect((await sub.next()).financialAccountRefreshed.financialAccount.balance?.current).toEqual([
        { amount: 77, currency: 'usd' },
      ]);
    });

    it.each([
      [
        'an unknown event type',
        () => stripeEvent('customer.tax_id.created', { id: 'txi_1', object: 'tax_id' }),
      ],
      [
        'an event without data.object',
        () => ({
          id: 'evt_nodata_1',
          object: 'event',
          type: 'financial_connections.account.refreshed_balance',
          created: 1,
          livemode: false,
        }),
      ],
      [
        'a live-mode event on a test-mode gateway',
        () => ({ ...refreshedEvent(account, 'balance', 43, { created: 43 }), livemode: true }),
      ],
    ])('should answer 200 to %s, ignore it and push nothing (WH6, WH8)', async (_name, make) => {
      const res = await postWebhook(gw, JSON.stringify(make()));
      expect(res.status).toBe(200);
      await expectNextIsMarker();
    });
  });

  describe('de-duplication and ordering (WH4, WH5)', () => {
    it('should push a replayed event once, whether replayed serially or in parallel', async () => {
      const at = tick();
      const payload = JSON.stringify(refreshedEvent(account, 'balance', at, { created: at, balance: 555 }));
      const first = await postWebhook(gw, payload);
      const again = await postWebhook(gw, payload);
      const parallel = await Promise.all([postWebhook(gw, payload), postWebhook(gw, payload)]);
      expect([first, again, ...parallel].map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(again.body).toEqual({ received: true, duplicate: true });
      expect((await sub.next()).financialAccountRefreshed.occurredAt).toBe(iso(at));
      await expectNextIsMarker();
    });

    it('should push the same completion once even under a new event id (Stripe re-sends with a new id)', async () => {
      const at = tick();
      const e1 = refreshedEvent(account, 'balance', at, { created: at, balance: 556 });
      const e2 = { ...e1, id: `${String(e1.id)}_resent` };
      expect((await postWebhook(gw, JSON.stringify(e1))).status).toBe(200);
      expect((await postWebhook(gw, JSON.stringify(e2))).status).toBe(200);
      expect((await sub.next()).financialAccountRefreshed.occurredAt).toBe(iso(at));
      await expectNextIsMarker();
    });

    it('should drop an older balance event arriving after a newer one (no roll-back)', async () => {
      const newerAt = tick();
      const newer = refreshedEvent(account, 'balance', newerAt, { created: newerAt, balance: 2000 });
      const older = refreshedEvent(account, 'balance', newerAt - 5, { created: newerAt - 5, balance: 1000 });
      await postWebhook(gw, JSON.stringify(newer));
      const msg = (await sub.next()).financialAccountRefreshed;
      expect(msg.financialAccount.balance?.current).toEqual([{ amount: 2000, currency: 'usd' }]);
      expect((await postWebhook(gw, JSON.stringify(older))).status).toBe(200);
      await expectNextIsMarker();
    });

    it('should leave financialAccountUpdated at DISCONNECTED when an older reactivated arrives after it', async () => {
      const updates = await subscribed<Updated>(gw, client, UPDATED, { customerId: linked.customerId });
      const base = tick();
      const newerAt = tick();
      const latest = tick();
      const disconnected = stripeEvent(
        'financial_connections.account.disconnected',
        { ...account, status: 'disconnected' },
        { created: newerAt },
      );
      const reactivated = stripeEvent(
        'financial_connections.account.reactivated',
        { ...account, status: 'active' },
        { created: base },
      );
      const deactivatedLater = stripeEvent(
        'financial_connections.account.deactivated',
        { ...account, status: 'inactive' },
        { created: latest },
      );
      await postWebhook(gw, JSON.stringify(disconnected));
      expect((await updates.next()).financialAccountUpdated).toMatchObject({
        type: 'DISCONNECTED',
        financialAccount: { id: account.id, status: 'DISCONNECTED' },
      });
      await postWebhook(gw, JSON.stringify(reactivated));
      await postWebhook(gw, JSON.stringify(deactivatedLater));
      // The older `reactivated` was dropped: the next message is the newer `deactivated`.
      expect((await updates.next()).financialAccountUpdated.type).toBe('DEACTIVATED');
      updates.stop();
    });
  });

  it('should acknowledge a delivery before serving any subscriber (work after the acknowledgement)', async () => {
    // A subscriber whose every push reads Stripe, made slow: had the route waited for the work, the
    // push would come first.
    const slow = await subscribed<{ financialAccountRefreshed: { occurredAt: string } }>(
      gw,
      client,
      `subscription($accountId: ID) {
        financialAccountRefreshed(accountId: $accountId) {
          occurredAt financialAccount { id transactions(first: 1) { nodes { id } } }
        }
      }`,
      { accountId: linked.accountId },
    );
    sandbox.sandbox.setFaults({ latencyMs: 1000 });
    try {
      const order: string[] = [];
      const pushed = slow.next().then((m) => (order.push('pushed'), m));
      const at = tick();
      const res = await postWebhook(
        gw,
        JSON.stringify(refreshedEvent(account, 'balance', at, { created: at })),
      );
      order.push('acknowledged');
      expect(res).toEqual({ status: 200, body: { received: true } });
      expect((await pushed).financialAccountRefreshed.occurredAt).toBe(iso(at));
      expect(order).toEqual(['acknowledged', 'pushed']);
      expect((await sub.next()).financialAccountRefreshed.occurredAt).toBe(iso(at));
    } finally {
      sandbox.sandbox.setFaults(null);
      slow.stop();
    }
  });

  it('should never log the webhook secret or a signature', () => {
    const logs = gw.logs.join('\n');
    expect(logs).not.toContain(TEST_WEBHOOK_SECRET);
    expect(logs).not.toMatch(/v1=[0-9a-f]{64}/);
  });

  it('should keep queries working (a webhook route parse error never affects /graphql JSON)', async () => {
    const r = await gql(gw.graphqlUrl, '{ viewer { partnerId } }', undefined, { token: PARTNER_A.apiKey });
    expect(r.data).toEqual({ viewer: { partnerId: PARTNER_A.partnerId } });
  });
});
