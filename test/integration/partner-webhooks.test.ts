import { createHmac, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { startGateway, PARTNER_A, PARTNER_B, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { postWebhook, refreshedEvent, stripeEvent, TEST_WEBHOOK_SECRET } from '../helpers/live';
import { linkedCustomer } from '../helpers/linking';
import { createPayment } from '../helpers/payment-intents';
import { waitUntil } from '../helpers/wait';
import { CREATE_WEBHOOK_ENDPOINT as CREATE, createEndpoint, deliveryOf } from '../helpers/partner-webhooks';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import {
  docsVerifier,
  startReceiver,
  type ReceivedWebhook,
  type Receiver,
} from '../helpers/webhook-receiver';

/** docs/partner-webhooks.md's snippet, as partners copy it. */
const docsVerify = docsVerifier();
/** Whether a delivery verifies with `secret` through the docs' snippet (the `standardwebhooks` library). */
const verifies = (r: Pick<ReceivedWebhook, 'body' | 'headers'>, secret: string) =>
  docsVerify(r.body, r.headers, secret) !== null;
const signatures = (r: ReceivedWebhook) => String(r.headers['webhook-signature']).split(' ');

/**
 * The deprecated Gateway-Signature check as partners wrote it before Standard Webhooks: the header is still sent, and a
 * receiver verifying it must keep working during the deprecation window.
 */
function verifiesLegacy(r: ReceivedWebhook, secret: string): boolean {
  const parts = String(r.headers['gateway-signature'])
    .split(',')
    .map((p) => p.split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${r.body}`).digest();
  return parts.some(
    ([k, v]) =>
      k === 'v1' &&
      Buffer.from(v, 'hex').length === expected.length &&
      timingSafeEqual(Buffer.from(v, 'hex'), expected),
  );
}

describe('partner webhooks (in memory, real HTTP receivers)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let receiverA: Receiver;
  let receiverB: Receiver;
  let endpointA: { id: string; secret: string };
  let endpointB: { id: string; secret: string };
  let linkedA: { customerId: string; accountId: string };
  let linkedB: { customerId: string; accountId: string };
  let accountA: Stripe.FinancialConnections.Account;
  let accountB: Stripe.FinancialConnections.Account;
  let last = 0;
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_BASE_MS: '5',
      WEBHOOK_RETRY_MAX_MS: '20',
      RATE_LIMIT_PER_MINUTE: '100000', // the delivery log is polled while waiting
    });
    [receiverA, receiverB] = await Promise.all([startReceiver(), startReceiver()]);
    linkedA = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    linkedB = await linkedCustomer(gw, sandbox, PARTNER_B.apiKey);
    accountA = await sandbox.stripe.financialConnections.accounts.retrieve(linkedA.accountId);
    accountB = await sandbox.stripe.financialConnections.accounts.retrieve(linkedB.accountId);
    endpointA = await createEndpoint(gw, PARTNER_A.apiKey, receiverA.url);
    endpointB = await createEndpoint(gw, PARTNER_B.apiKey, receiverB.url);
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
    await receiverA?.close();
    await receiverB?.close();
  });

  it('should show the signing secret once, as whsec_ and 32 bytes in base64 (the Standard Webhooks form)', () => {
    expect(endpointA.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpointA.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(endpointA.secret).not.toBe(endpointB.secret);
  });

  it('should deliver financial_account.linked signed per Standard Webhooks, verifying with the library and the docs snippet, in the API shape', async () => {
    const created = tick();
    const event = stripeEvent('financial_connections.account.created', accountA, { created });
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    const got = await receiverA.next((r) => r.event.type === 'financial_account.linked');

    expect(got.headers['webhook-id']).toBe(got.event.id);
    expect(got.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(String(got.headers['gateway-signature'])).toContain(`t=${got.headers['webhook-timestamp']},`);
    expect(signatures(got)).toEqual([expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/)]);
    // The library itself, as any partner would call it: it checks the headers, the timestamp and the signature.
    const headers = got.headers as Record<string, string>;
    expect(new Webhook(endpointA.secret).verify(got.body, headers)).toEqual(got.event);
    expect(() => new Webhook(endpointB.secret).verify(got.body, headers)).toThrow(
      'No matching signature found',
    );
    expect(verifies(got, endpointA.secret)).toBe(true);
    expect(verifies(got, endpointB.secret)).toBe(false);
    expect(verifies({ ...got, body: got.body.replace('partner_a', 'partner_b') }, endpointA.secret)).toBe(
      false,
    );
    const forOtherId = { ...got, headers: { ...got.headers, 'webhook-id': 'wevt_000000000000000000000000' } };
    expect(verifies(forOtherId, endpointA.secret)).toBe(false);
    // A delivery replayed an hour later, correctly signed for that time, is refused on its timestamp.
    const stale = new Date(Date.now() - 3600_000);
    const staleHeaders = {
      ...headers,
      'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)),
      'webhook-signature': new Webhook(endpointA.secret).sign(got.event.id, stale, got.body),
    };
    expect(verifies({ ...got, headers: staleHeaders }, endpointA.secret)).toBe(false);
    // The deprecated header is still sent, and still verifies as before.
    expect(String(got.headers['gateway-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifiesLegacy(got, endpointA.secret)).toBe(true);
    expect(verifiesLegacy(got, endpointB.secret)).toBe(false);

    expect(got.event).toMatchObject({
      type: 'financial_account.linked',
      partnerId: PARTNER_A.partnerId,
      createdAt: new Date(created * 1000).toISOString(),
    });
    expect(got.event.id).toMatch(/^wevt_[0-9a-f]{24}$/);
    expect(got.headers['gateway-event-id']).toBe(got.event.id);
    const account = got.event.data.financialAccount as Record<string, unknown>;
    expect(account).toMatchObject({
      id: linkedA.accountId,
      status: 'ACTIVE',
      institutionName: accountA.institution_name,
    });
    expect(Object.keys(account).filter((k) => k.includes('_'))).toEqual([]);
    expect(account).not.toHaveProperty('raw');
    expect(got.body).not.toMatch(/whsec_|sk_test|client_secret/);
  });

  it("should deliver each partner's events to that partner's endpoints only", async () => {
    const created = tick();
    const event = stripeEvent(
      'financial_connections.account.disconnected',
      { ...accountB, status: 'disconnected' },
      { created },
    );
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    const got = await receiverB.next((r) => r.event.type === 'financial_account.disconnected');
    expect(verifies(got, endpointB.secret)).toBe(true);
    expect(verifies(got, endpointA.secret)).toBe(false);
    expect(got.event.partnerId).toBe(PARTNER_B.partnerId);
    expect((got.event.data.financialAccount as { status: string }).status).toBe('DISCONNECTED');
    // Everything each receiver got belongs to its partner, and A never saw B's account.
    expect(receiverB.received.every((r) => r.event.partnerId === PARTNER_B.partnerId)).toBe(true);
    expect(receiverA.received.every((r) => r.event.partnerId === PARTNER_A.partnerId)).toBe(true);
    expect(receiverA.received.some((r) => r.body.includes(linkedB.accountId))).toBe(false);
  });

  it('should retry a receiver failing its first three attempts and deliver on the fourth', async () => {
    const pi = await sandbox.stripe.paymentIntents.create({
      amount: 1234,
      currency: 'usd',
      customer: linkedA.customerId,
      payment_method_types: ['us_bank_account'],
    });
    receiverA.answer = ({ event, count }) =>
      event.type === 'payment_intent.processing' && count <= 3 ? 503 : 200;
    const created = tick();
    const event = stripeEvent('payment_intent.processing', { ...pi, status: 'processing' }, { created });
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    const delivered = await receiverA.next(
      (r) => r.event.type === 'payment_intent.processing' && r.status === 200,
    );
    const attempts = receiverA.received.filter((r) => r.event.id === delivered.event.id);
    expect(attempts.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1); // the same body every time
    expect(delivered.event.data.paymentIntent).toMatchObject({
      id: pi.id,
      status: 'PROCESSING',
      amount: { amount: 1234, currency: 'usd' },
      customer: { id: linkedA.customerId },
    });
    await waitUntil(
      async () =>
        (await deliveryOf(gw, PARTNER_A.apiKey, endpointA.id, delivered.event.id))?.status === 'DELIVERED',
      'the delivery log to show the delivery',
    );
    const log = await deliveryOf(gw, PARTNER_A.apiKey, endpointA.id, delivered.event.id);
    expect(log).toMatchObject({
      eventType: 'payment_intent.processing',
      attempts: 4,
      lastHttpStatus: 200,
      lastError: null,
    });
    expect(log!.deliveredAt).not.toBeNull();
  });

  it('should redeliver an event on request, with the same id', async () => {
    const original = receiverA.received.find((r) => r.event.type === 'financial_account.linked')!;
    const r = await gql<{ redeliverWebhookEvent: { delivery: { eventId: string; status: string } } }>(
      gw.graphqlUrl,
      'mutation($i: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $i) { delivery { eventId status } } }',
      { i: { endpointId: endpointA.id, eventId: original.event.id } },
      { token: PARTNER_A.apiKey },
    );
    expect(r.data?.redeliverWebhookEvent.delivery).toEqual({ eventId: original.event.id, status: 'PENDING' });
    const again = await receiverA.next((x) => x.event.id === original.event.id && x !== original);
    expect(again.event).toEqual(original.event);
    // Standard Webhooks: a message sent again keeps its webhook-id, so the receiver de-duplicates it.
    expect(again.headers['webhook-id']).toBe(original.headers['webhook-id']);
    expect(verifies(again, endpointA.secret)).toBe(true);
  });

  it('should refuse to redeliver another partner’s event or to another partner’s endpoint (NOT_FOUND)', async () => {
    const bEvent = receiverB.received[0].event.id;
    const mutation =
      'mutation($i: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $i) { delivery { eventId } } }';
    const foreignEvent = await gql(
      gw.graphqlUrl,
      mutation,
      { i: { endpointId: endpointA.id, eventId: bEvent } },
      { token: PARTNER_A.apiKey },
    );
    expect(foreignEvent.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const foreignEndpoint = await gql(
      gw.graphqlUrl,
      mutation,
      { i: { endpointId: endpointA.id, eventId: bEvent } },
      { token: PARTNER_B.apiKey },
    );
    expect(foreignEndpoint.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const update = await gql(
      gw.graphqlUrl,
      'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { webhookEndpoint { id } } }',
      { i: { id: endpointA.id, url: receiverB.url } },
      { token: PARTNER_B.apiKey },
    );
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('should sign with both secrets after a rotation (two v1 signatures), each verifying with the library', async () => {
    const r = await gql<{
      rotateWebhookEndpointSecret: { secret: string; webhookEndpoint: { previousSecretExpiresAt: string } };
    }>(
      gw.graphqlUrl,
      'mutation($i: WebhookEndpointIdInput!) { rotateWebhookEndpointSecret(input: $i) { secret webhookEndpoint { previousSecretExpiresAt } } }',
      { i: { id: endpointA.id } },
      { token: PARTNER_A.apiKey },
    );
    const secret = r.data!.rotateWebhookEndpointSecret.secret;
    expect(secret).not.toBe(endpointA.secret);
    const expires = Date.parse(r.data!.rotateWebhookEndpointSecret.webhookEndpoint.previousSecretExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    const at = tick();
    const event = refreshedEvent(accountA, 'balance', at, { created: at });
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    const got = await receiverA.next((x) => x.event.type === 'financial_account.refreshed');
    expect(signatures(got)).toEqual([
      expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    ]);
    const headers = got.headers as Record<string, string>;
    // A receiver holding the new secret and one still holding the old one both verify, with the library.
    expect(new Webhook(secret).verify(got.body, headers)).toEqual(got.event);
    expect(new Webhook(endpointA.secret).verify(got.body, headers)).toEqual(got.event);
    expect(verifies(got, secret)).toBe(true);
    expect(verifies(got, endpointA.secret)).toBe(true);
    expect(verifies(got, endpointB.secret)).toBe(false);
    expect(String(got.headers['gateway-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifiesLegacy(got, secret) && verifiesLegacy(got, endpointA.secret)).toBe(true);
    expect(got.event.data).toMatchObject({
      feature: 'BALANCE',
      status: 'SUCCEEDED',
      financialAccount: { id: linkedA.accountId },
    });
  });

  it('should refuse customer tokens, unknown event types and bad input with contract codes', async () => {
    const token = await gql<{ createCustomerToken: { token: string } }>(
      gw.graphqlUrl,
      'mutation($i: CreateCustomerTokenInput!) { createCustomerToken(input: $i) { token } }',
      { i: { customerId: linkedA.customerId } },
      { token: PARTNER_A.apiKey },
    );
    const asCustomer = await gql(
      gw.graphqlUrl,
      'query { webhookEndpoints { nodes { id } } }',
      {},
      { token: token.data!.createCustomerToken.token },
    );
    expect(asCustomer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const i of [
      { url: receiverA.url, events: ['charge.succeeded'] },
      { url: receiverA.url, events: [] },
      { url: 'not a url', events: ['financial_account.linked'] },
      { url: 'ftp://example.com/x', events: ['financial_account.linked'] },
    ]) {
      const r = await gql(gw.graphqlUrl, CREATE, { i }, { token: PARTNER_A.apiKey });
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('should deliver financial_account.upcoming_deactivation with the expected deactivation date', async () => {
    const created = tick();
    const when = created + 30 * 86400;
    const object = {
      ...accountA,
      status_details: {
        active: { action: 'relink_required', cause: 'access_expired', expected_deactivation_date: when },
      },
    };
    const event = stripeEvent('financial_connections.account.upcoming_deactivation', object, { created });
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    const got = await receiverA.next((r) => r.event.type === 'financial_account.upcoming_deactivation');
    expect(got.event.data.financialAccount).toMatchObject({
      id: linkedA.accountId,
      statusDetails: { cause: 'access_expired', expectedDeactivationAt: new Date(when * 1000).toISOString() },
    });
  });

  it('should render payment_intent events from the PaymentIntent their webhook carried, with no Stripe request', async () => {
    const piId = await createPayment(gw, PARTNER_A.apiKey, {
      customerId: linkedA.customerId,
      accountId: linkedA.accountId,
      idempotencyKey: `carried-${Date.now()}`,
    });
    const pi = await sandbox.stripe.paymentIntents.retrieve(piId);
    const post = (status: string) =>
      postWebhook(
        gw,
        JSON.stringify(stripeEvent(`payment_intent.${status}`, { ...pi, status }, { created: tick() })),
      );
    const deliveredAs = (type: string) =>
      receiverA.next(
        (r) => r.event.type === type && (r.event.data.paymentIntent as { id: string }).id === piId,
      );
    // The first event of this customer may look its partner up (customer metadata, cached after).
    expect((await post('processing')).status).toBe(200);
    await deliveredAs('payment_intent.processing');
    // Every request this gateway's stripe-node client sends from here until the next delivery arrived.
    const sent: string[] = [];
    const record = (r: Stripe.RequestEvent) => sent.push(`${r.method} ${r.path}`);
    gw.gateway.stripeClient.stripe.on('request', record);
    try {
      expect((await post('succeeded')).status).toBe(200);
      const got = await deliveredAs('payment_intent.succeeded');
      expect(got.event.data.paymentIntent).toMatchObject({
        id: piId,
        status: 'SUCCEEDED',
        amount: { amount: 2_500, currency: 'usd' },
      });
    } finally {
      gw.gateway.stripeClient.stripe.off('request', record);
    }
    expect(sent).toEqual([]);
  });

  it('should say at start-up that in-memory endpoints are lost on restart, and never log a signing secret', () => {
    expect(gw.logs.some((l) => l.includes('lost on restart'))).toBe(true);
    expect(gw.logs.filter((l) => l.includes(endpointA.secret) || l.includes(endpointB.secret))).toEqual([]);
    expect(
      gw.logs.filter((l) => /whsec_[A-Za-z0-9+/=_-]{20,}/.test(l) && !l.includes(TEST_WEBHOOK_SECRET)),
    ).toEqual([]);
  });

  it('should expose delivery outcomes, queue depth and oldest pending age on /metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/^partner_webhook_deliveries_total\{outcome="delivered"\} [1-9]/m);
    expect(text).toMatch(/^partner_webhook_deliveries_total\{outcome="retry"\} [1-9]/m);
    expect(text).toMatch(/^partner_webhook_queue_depth \d+/m);
    expect(text).toMatch(/^partner_webhook_oldest_pending_age_seconds [\d.]+/m);
  });

  it('should delete an endpoint', async () => {
    const extra = await createEndpoint(gw, PARTNER_A.apiKey, receiverA.url, ['payment_intent.succeeded']);
    const r = await gql<{ deleteWebhookEndpoint: { deletedWebhookEndpointId: string } }>(
      gw.graphqlUrl,
      'mutation($i: WebhookEndpointIdInput!) { deleteWebhookEndpoint(input: $i) { deletedWebhookEndpointId } }',
      { i: { id: extra.id } },
      { token: PARTNER_A.apiKey },
    );
    expect(r.data?.deleteWebhookEndpoint.deletedWebhookEndpointId).toBe(extra.id);
    const list = await gql<{ webhookEndpoints: { nodes: { id: string }[] } }>(
      gw.graphqlUrl,
      'query { webhookEndpoints { nodes { id } } }',
      {},
      { token: PARTNER_A.apiKey },
    );
    expect(list.data?.webhookEndpoints.nodes.map((n) => n.id)).toEqual([endpointA.id]);
  });
});

describe('partner webhooks: an endpoint failing for the whole retry window', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let receiver: Receiver;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_BASE_MS: '5',
      WEBHOOK_RETRY_MAX_MS: '20',
      WEBHOOK_RETRY_WINDOW_MS: '200', // 3 days in production
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  it('should give the delivery up as FAILED and disable the endpoint, with its status visible', async () => {
    receiver.answer = () => 500;
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    const endpoint = await createEndpoint(gw, PARTNER_A.apiKey, receiver.url, ['financial_account.linked']);
    const event = stripeEvent('financial_connections.account.created', account);
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    const query = `query { webhookEndpoints(first: 5) { nodes { id status disabledReason failingSince
      deliveries(first: 5) { nodes { eventId status attempts lastHttpStatus lastError nextAttemptAt } } } } }`;
    type Endpoint = {
      id: string;
      status: string;
      disabledReason: string | null;
      failingSince: string | null;
      deliveries: { nodes: Record<string, unknown>[] };
    };
    let found: Endpoint | undefined;
    await waitUntil(async () => {
      const r = await gql<{ webhookEndpoints: { nodes: Endpoint[] } }>(
        gw.graphqlUrl,
        query,
        {},
        { token: PARTNER_A.apiKey },
      );
      found = r.data?.webhookEndpoints.nodes.find((e) => e.id === endpoint.id);
      return found?.status === 'DISABLED' && found.deliveries.nodes[0]?.status === 'FAILED';
    }, 'the endpoint to be disabled');
    expect(found!.disabledReason).toMatch(/failed/);
    expect(found!.failingSince).not.toBeNull();
    const delivery = found!.deliveries.nodes[0];
    expect(delivery).toMatchObject({
      status: 'FAILED',
      lastHttpStatus: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: null,
    });
    expect(delivery.attempts).toBe(receiver.received.length);
    expect(receiver.received.length).toBeGreaterThan(1);
  });
});
