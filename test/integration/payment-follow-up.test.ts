// The payment follow-up in one process (no REDIS_URL): a webhook with the final status ends it before any look, and a
// payment that never settles is given up after the window, its status pushed once however often it was looked at.
import type { LiveEvent } from '../../src/services/live/live-events';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { linkedCustomer } from '../helpers/linking';
import { confirmPayment, createPayment } from '../helpers/payment-intents';
import { followUpOutcome, subscribed, TEST_WEBHOOK_SECRET, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const PI_UPDATED = `subscription($id: ID) { paymentIntentUpdated(paymentIntentId: $id) { id status } }`;

async function confirmedPayment(gw: StartedGateway, sb: StartedSandbox, accounts?: string[]) {
  const { customerId, accountId } = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts });
  const pi = await createPayment(gw, PARTNER_A.apiKey, {
    customerId,
    accountId,
    idempotencyKey: `follow-up-${customerId}`,
  });
  const client = wsClient(gw, PARTNER_A.apiKey);
  const payments = await subscribed<{ paymentIntentUpdated: { id: string; status: string } }>(
    gw,
    client,
    PI_UPDATED,
    { id: pi },
  );
  const outcome = followUpOutcome(gw, pi);
  await confirmPayment(gw, PARTNER_A.apiKey, pi);
  return { pi, payments, outcome, client };
}

describe('a payment follow-up in memory, with webhooks flowing', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 10 });
    gw = await startGateway({ STRIPE_API_BASE: sb.url }); // registers itself for the sandbox's webhooks
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('ends when a webhook reports the final status, before its first look (a minute by default)', async () => {
    let looks = 0;
    gw.gateway.live.followUp.on('looked', () => (looks += 1));
    const { payments, outcome, client } = await confirmedPayment(gw, sb);
    try {
      expect(await outcome).toBe('webhook');
      const statuses = (await payments.until((m) => m.paymentIntentUpdated.status === 'SUCCEEDED')).map(
        (m) => m.paymentIntentUpdated.status,
      );
      expect(statuses.at(-1)).toBe('SUCCEEDED');
      expect(new Set(statuses).size).toBe(statuses.length); // each status once
      expect(looks).toBe(0);
      expect(await gw.gateway.live.followUp.pending()).toBe(0);
      expect(await (await fetch(`${gw.url}/metrics`)).text()).toMatch(
        /^payment_follow_ups_total\{outcome="webhook"\} 1$/m,
      );
    } finally {
      payments.stop();
      await client.dispose();
    }
  });
});

describe('a payment follow-up in memory, without webhooks', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, // no endpoint: nothing is delivered
      PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS: '20',
      PAYMENT_FOLLOW_UP_MAX_DELAY_MS: '20',
      PAYMENT_FOLLOW_UP_WINDOW_MS: '300',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('gives up on a payment that never settles after its window, having pushed its status once', async () => {
    const published: string[] = [];
    gw.gateway.live.publisher.addSink((e: LiveEvent) => {
      if (e.kind === 'payment_intent.updated') published.push(e.status);
    });
    let looks = 0;
    gw.gateway.live.followUp.on('looked', () => (looks += 1));
    // "Always Processing" (src/sandbox/institutions.ts): the debit never settles.
    const { payments, outcome, client } = await confirmedPayment(gw, sb, ['processing']);
    try {
      expect(await outcome).toBe('expired');
      expect(looks).toBeGreaterThan(1);
      expect(published).toEqual(['processing']);
      expect((await payments.next()).paymentIntentUpdated.status).toBe('PROCESSING');
      expect(payments.pending).toBe(0);
      expect(gw.logs.some((l) => l.includes('payment follow-up gave up'))).toBe(true);
      expect(await (await fetch(`${gw.url}/metrics`)).text()).toMatch(
        /^payment_follow_ups_total\{outcome="expired"\} 1$/m,
      );
      expect(await gw.gateway.live.followUp.pending()).toBe(0);
    } finally {
      payments.stop();
      await client.dispose();
    }
  });
});
