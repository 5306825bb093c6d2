// Webhook endpoints, events and signed delivery: every delivery verifies with stripe.webhooks.constructEvent,
// non-2xx answers are retried with backoff (a new signature each time), start-up registration works,
// and GET /v1/events filters by type, types[], created and delivery_success.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { checkRecordedResponses, linkAccounts, startRecordingSandbox, stripeError } from './support';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A tiny local HTTP receiver; `failures` answers 500 that many times before answering 200. */
async function startReceiver(
  failures = 0,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let left = failures;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      if (left > 0) {
        left -= 1;
        res.writeHead(500).end('try later');
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('sandbox webhooks and events', () => {
  let s: StartedSandbox;
  const verifier = new Stripe('sk_test_verifier');

  beforeAll(async () => {
    s = await startRecordingSandbox();
  });

  afterEach(() => {
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });

  afterAll(async () => {
    await s.close();
  });

  it('should deliver the enabled events, signed so that stripe.webhooks.constructEvent verifies them', async () => {
    const receiver = await startReceiver();
    try {
      const endpoint = await s.stripe.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['financial_connections.account.created'],
      });
      const secret = endpoint.secret!;
      const { accounts } = await linkAccounts(s);
      for (const a of accounts)
        await s.sandbox.waitForDelivery(
          (d) => d.endpointId === endpoint.id && d.ok && d.payload.includes(a.id),
        );
      expect(receiver.received).toHaveLength(accounts.length);
      const events = receiver.received.map((r) =>
        verifier.webhooks.constructEvent(r.body, r.headers['stripe-signature'] as string, secret),
      );
      expect(events.map((e) => e.type)).toEqual(accounts.map(() => 'financial_connections.account.created'));
      expect(events.map((e) => (e.data.object as { id: string }).id).sort()).toEqual(
        accounts.map((a) => a.id).sort(),
      );
      expect(receiver.received[0].headers['content-type']).toContain('application/json');
      // The same payload under another secret does not verify.
      expect(() =>
        verifier.webhooks.constructEvent(
          receiver.received[0].body,
          receiver.received[0].headers['stripe-signature'] as string,
          'whsec_wrong',
        ),
      ).toThrow(Stripe.errors.StripeSignatureVerificationError);
      // The event is also readable through the API.
      const stored = await s.stripe.events.retrieve(events[0].id);
      expect(stored.type).toBe('financial_connections.account.created');
      await s.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await receiver.close();
    }
  });

  it('should retry a failing endpoint with backoff and a fresh signature, until it answers 2xx', async () => {
    const receiver = await startReceiver(2);
    try {
      const endpoint = await s.stripe.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['customer.created', 'payment_intent.canceled'],
      });
      const pi = await s.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
      await s.stripe.paymentIntents.cancel(pi.id);
      const final = await s.sandbox.waitForDelivery((d) => d.endpointId === endpoint.id && d.ok);
      const attempts = s.sandbox.deliveries.filter((d) => d.endpointId === endpoint.id);
      expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      for (const r of receiver.received)
        expect(
          verifier.webhooks.constructEvent(r.body, r.headers['stripe-signature'] as string, endpoint.secret!)
            .id,
        ).toBe(final.eventId);
      expect((await s.stripe.events.retrieve(final.eventId)).pending_webhooks).toBe(0);
      await s.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await receiver.close();
    }
  });

  it('should give up after the last retry and list the event under delivery_success=false', async () => {
    const endpoint = await s.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/unreachable',
      enabled_events: ['payment_intent.canceled'],
    });
    const pi = await s.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await s.stripe.paymentIntents.cancel(pi.id);
    const last = await s.sandbox.waitForDelivery((d) => d.endpointId === endpoint.id && d.attempt === 4);
    expect([last.ok, last.status]).toEqual([false, 0]);
    const failed = await s.stripe.events.list({ delivery_success: false });
    expect(failed.data.map((e) => e.id)).toContain(last.eventId);
    await s.stripe.webhookEndpoints.del(endpoint.id);
  });

  it('should not deliver to disabled or deleted endpoints', async () => {
    const receiver = await startReceiver();
    try {
      const a = await s.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
      await s.stripe.webhookEndpoints.update(a.id, { disabled: true });
      const b = await s.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
      await s.stripe.webhookEndpoints.del(b.id);
      const missing = await stripeError(s.stripe.webhookEndpoints.retrieve(b.id));
      expect(missing.statusCode).toBe(404);
      const c = await s.stripe.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['payment_intent.canceled'],
      });
      const pi = await s.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
      await s.stripe.paymentIntents.cancel(pi.id);
      await s.sandbox.waitForDelivery((d) => d.endpointId === c.id && d.ok);
      expect(s.sandbox.deliveries.filter((d) => d.endpointId === a.id || d.endpointId === b.id)).toEqual([]);
      await s.stripe.webhookEndpoints.del(a.id);
      await s.stripe.webhookEndpoints.del(c.id);
    } finally {
      await receiver.close();
    }
  });

  it('should register the start-up webhook (SANDBOX_WEBHOOK_URL / SANDBOX_WEBHOOK_SECRET) for every event', async () => {
    const receiver = await startReceiver();
    const secret = 'whsec_startup_secret_for_tests';
    const own = await startSandbox({ webhook: { url: receiver.url, secret }, refreshDelayMs: 5 });
    try {
      const { accounts } = await linkAccounts(own);
      await own.stripe.financialConnections.accounts.refresh(accounts[0].id, { features: ['balance'] });
      await own.sandbox.waitForDelivery(
        (d) => d.ok && d.eventType === 'financial_connections.account.refreshed_balance',
      );
      const types = receiver.received.map(
        (r) => verifier.webhooks.constructEvent(r.body, r.headers['stripe-signature'] as string, secret).type,
      );
      expect(types).toContain('financial_connections.account.created');
      expect(types).toContain('financial_connections.account.refreshed_balance');
    } finally {
      await own.close();
      await receiver.close();
    }
  });

  it('should filter events by type (with wildcards), types[] and created, newest first', async () => {
    const { accounts } = await linkAccounts(s);
    const pi = await s.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await s.stripe.paymentIntents.cancel(pi.id);
    const created = await s.stripe.events.list({ type: 'financial_connections.account.created', limit: 100 });
    expect(created.data.every((e) => e.type === 'financial_connections.account.created')).toBe(true);
    expect(
      created.data
        .slice(0, accounts.length)
        .map((e) => (e.data.object as { id: string }).id)
        .sort(),
    ).toEqual(accounts.map((a) => a.id).sort());
    const wildcard = await s.stripe.events.list({ type: 'payment_intent.*' });
    expect(wildcard.data[0]).toMatchObject({
      type: 'payment_intent.canceled',
      data: { object: { id: pi.id } },
    });
    const types = await s.stripe.events.list({
      types: ['payment_intent.canceled', 'financial_connections.account.created'],
      limit: 100,
    });
    expect(new Set(types.data.map((e) => e.type))).toEqual(
      new Set(['payment_intent.canceled', 'financial_connections.account.created']),
    );
    const future = await s.stripe.events.list({ created: { gt: s.sandbox.store.clock.now() + 3600 } });
    expect(future.data).toEqual([]);
    const all = s.sandbox.events();
    expect(all[all.length - 1].type).toBe('payment_intent.canceled');
  });
});
