// Saved accounts in the read cache: a mandate or PaymentMethod Stripe changed outside the gateway is served from the
// cache until its event (mandate.updated, payment_method.detached) arrives, and fresh right after.
import type Stripe from 'stripe';
import { setMandateStatus } from '../../src/sandbox/ach';
import {
  CreateSetupIntentDocument,
  CustomerPaymentMethodsDocument,
  MandateDocument,
  PaymentMethodDocument,
} from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import { TEST_WEBHOOK_SECRET } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('saved accounts in the read cache', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 100 });
    // An operator's webhook secret: the gateway registers no endpoint, so events reach it only as this test hands
    // them over (exactly when it says so).
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  const asA = <TData, TVars>(doc: Parameters<typeof gql<TData, TVars>>[1], variables: TVars) =>
    gql(gw.graphqlUrl, doc, variables, {
      token: PARTNER_A.apiKey,
      headers: { 'user-agent': 'CacheTest/1.0' },
    });

  /** The sandbox's newest event of `type` about `id`, delivered to the gateway's webhook handler. */
  async function deliver(type: string, id: string) {
    const event = sb.sandbox
      .events()
      .filter((e) => e.type === type && (e.data.object as { id?: string }).id === id)
      .pop();
    if (!event) throw new Error(`the sandbox emitted no ${type} for ${id}`);
    await gw.gateway.live.webhooks.process(event as unknown as Stripe.Event);
  }

  it('should serve a cached mandate and saved account until mandate.updated and payment_method.detached arrive', async () => {
    const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
    const si = ok(
      await asA(CreateSetupIntentDocument, {
        input: {
          customerId: linked.customerId,
          financialAccountId: linked.accountId,
          billingName: 'Jenny Payer',
          idempotencyKey: `cache-${process.pid}`,
        },
      }),
    ).createSetupIntent.setupIntent;
    const mandateId = si.mandate!.id;
    const paymentMethodId = si.paymentMethod!.id;
    const mandateStatus = async () => ok(await asA(MandateDocument, { id: mandateId })).mandate!.status;
    const savedMandateStatus = async () =>
      ok(await asA(PaymentMethodDocument, { id: paymentMethodId })).paymentMethod!.mandate!.status;
    const saved = async () =>
      ok(
        await asA(CustomerPaymentMethodsDocument, { customerId: linked.customerId }),
      ).customer!.paymentMethods.nodes.map((n) => n.id);

    expect(await mandateStatus()).toBe('ACTIVE');
    expect(await savedMandateStatus()).toBe('ACTIVE');
    setMandateStatus(sb.sandbox.store, mandateId, 'inactive');
    expect(await mandateStatus()).toBe('ACTIVE'); // cached: Stripe changed it behind the gateway's back
    await deliver('mandate.updated', mandateId);
    expect(await mandateStatus()).toBe('INACTIVE');
    expect(await savedMandateStatus()).toBe('INACTIVE');

    expect(await saved()).toEqual([paymentMethodId]);
    await sb.stripe.paymentMethods.detach(paymentMethodId);
    expect(await saved()).toEqual([paymentMethodId]); // cached
    await deliver('payment_method.detached', paymentMethodId);
    expect(await saved()).toEqual([]);
  });
});
