// Microdeposit verification through GraphQL against the sandbox over HTTP: a SetupIntent verified with the two
// amounts, a PaymentIntent with the descriptor code (Stripe's test values, docs/stripe-facts.md §4), wrong values
// refused until the attempt limit, and nothing sent for a foreign intent or one not waiting for microdeposits.
import { print } from 'graphql';
import {
  ConfirmPaymentIntentDocument,
  CreatePaymentIntentDocument,
  CreateSetupIntentDocument,
  CustomerPaymentMethodsDocument,
  PaymentIntentStatusDocument,
  PaymentIntentUpdatedDocument,
  SetupIntentDocument,
  VerifyMicrodepositsDocument,
  type PaymentIntentFieldsFragment,
  type VerifyMicrodepositsInput,
} from '../generated/graphql';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { subscribed, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const USER_AGENT = 'MicrodepositsTest/1.0 (jest; +https://example.test)';

describe('microdeposit verification', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  let linked: LinkedCustomer;

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 100, refreshDelayMs: 20 });
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey });
    linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  const as =
    (token: string) =>
    <TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars) =>
      gql(gw.graphqlUrl, doc, variables, { token, headers: { 'user-agent': USER_AGENT } });
  const asA = as(PARTNER_A.apiKey);
  const asB = as(PARTNER_B.apiKey);
  const posts = () => sb.sandbox.requestLog.filter((r) => r.method === 'POST').length;
  let unique = 0;
  const key = (tag: string) => `${tag}-${process.pid}-${unique++}`;
  const verify = (input: VerifyMicrodepositsInput) => asA(VerifyMicrodepositsDocument, { input });

  /** A SetupIntent waiting for microdeposits (amounts, on the SetupIntents API). */
  async function setupWaiting() {
    const si = ok(
      await asA(CreateSetupIntentDocument, {
        input: {
          customerId: linked.customerId,
          financialAccountId: linked.accountId,
          billingName: 'Jenny Payer',
          idempotencyKey: key('seti'),
          verificationMethod: 'MICRODEPOSITS',
        },
      }),
    ).createSetupIntent.setupIntent;
    expect(si).toMatchObject({
      status: 'REQUIRES_ACTION',
      nextAction: {
        type: 'VERIFY_WITH_MICRODEPOSITS',
        microdepositType: 'AMOUNTS',
        arrivalDate: expect.any(String),
        hostedVerificationUrl: expect.stringMatching(/^https?:\/\//),
      },
      mandate: { status: 'PENDING' },
    });
    return si;
  }

  /** A PaymentIntent confirmed into microdeposits (a descriptor code, on the PaymentIntents API). */
  async function paymentWaiting() {
    const created = ok(
      await asA(CreatePaymentIntentDocument, {
        input: {
          customerId: linked.customerId,
          financialAccountId: linked.accountId,
          amount: 4_200,
          currency: 'usd',
          billingName: 'Jenny Payer',
          idempotencyKey: key('pi'),
          verificationMethod: 'MICRODEPOSITS',
        },
      }),
    ).createPaymentIntent.paymentIntent;
    const confirmed = ok(await asA(ConfirmPaymentIntentDocument, { input: { paymentIntentId: created.id } }))
      .confirmPaymentIntent.paymentIntent;
    expect(confirmed).toMatchObject({
      status: 'REQUIRES_ACTION',
      nextAction: { type: 'VERIFY_WITH_MICRODEPOSITS', microdepositType: 'DESCRIPTOR_CODE' },
    });
    return confirmed;
  }

  it('should verify a SetupIntent with the two amounts after a wrong pair, saving the account and its mandate', async () => {
    const si = await setupWaiting();
    const wrong = await verify({ intentId: si.id, amounts: [12, 34] });
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors![0].extensions).toMatchObject({ reason: 'MICRODEPOSITS_MISMATCH', field: 'amounts' });
    expect(wrong.errors![0].message).toMatch(/do not match/);

    const verified = ok(await verify({ intentId: si.id, amounts: [45, 32] })).verifyMicrodeposits;
    expect(verified.paymentIntent).toBeNull();
    expect(verified.setupIntent).toMatchObject({
      id: si.id,
      status: 'SUCCEEDED',
      nextAction: null,
      mandate: { id: si.mandate!.id, status: 'ACTIVE', type: 'MULTI_USE' },
      paymentMethod: { attached: true, status: 'USABLE' },
    });
    const listed = ok(await asA(CustomerPaymentMethodsDocument, { customerId: linked.customerId })).customer!
      .paymentMethods.nodes;
    expect(listed.map((n) => n.id)).toContain(verified.setupIntent!.paymentMethod!.id);
  });

  it('should verify a PaymentIntent with the descriptor code, pushing REQUIRES_ACTION then PROCESSING to SUCCEEDED', async () => {
    const client = wsClient(gw, PARTNER_A.apiKey);
    const updates = await subscribed<{ paymentIntentUpdated: PaymentIntentFieldsFragment }>(
      gw,
      client,
      print(PaymentIntentUpdatedDocument),
      { customerId: linked.customerId },
    );
    try {
      const pi = await paymentWaiting();
      const waiting = await updates.until(
        (m) => m.paymentIntentUpdated.id === pi.id && m.paymentIntentUpdated.status === 'REQUIRES_ACTION',
      );
      expect(waiting[waiting.length - 1].paymentIntentUpdated.nextAction).toMatchObject({
        type: 'VERIFY_WITH_MICRODEPOSITS',
        microdepositType: 'DESCRIPTOR_CODE',
        hostedVerificationUrl: pi.nextAction!.hostedVerificationUrl,
      });
      const wrong = await verify({ intentId: pi.id, descriptorCode: 'SM99ZZ' });
      expect(wrong.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'MICRODEPOSITS_MISMATCH',
      });
      const verified = ok(await verify({ intentId: pi.id, descriptorCode: 'sm11aa' })).verifyMicrodeposits
        .paymentIntent!;
      expect(verified).toMatchObject({ id: pi.id, status: 'PROCESSING', nextAction: null });
      await updates.until(
        (m) => m.paymentIntentUpdated.id === pi.id && m.paymentIntentUpdated.status === 'SUCCEEDED',
      );
    } finally {
      updates.stop();
      await client.dispose();
    }
  });

  it('should refuse wrong amounts until the attempt limit, then end the SetupIntent and send nothing more', async () => {
    const si = await setupWaiting();
    const verifies = () =>
      sb.sandbox.requestLog.filter((r) => r.path === `/v1/setup_intents/${si.id}/verify_microdeposits`)
        .length;
    const sent = verifies();
    const reasons: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await verify({ intentId: si.id, amounts: [1, 2] });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      reasons.push(r.errors![0].extensions!.reason);
    }
    // Stripe allows three attempts with amounts: two mismatches, then the limit.
    expect(reasons).toEqual([
      'MICRODEPOSITS_MISMATCH',
      'MICRODEPOSITS_MISMATCH',
      'MICRODEPOSIT_ATTEMPTS_EXCEEDED',
    ]);
    expect(verifies() - sent).toBe(3);
    const ended = ok(await asA(SetupIntentDocument, { id: si.id })).setupIntent!;
    expect(ended).toMatchObject({
      status: 'REQUIRES_PAYMENT_METHOD',
      nextAction: null,
      lastSetupError: { code: 'payment_method_microdeposit_verification_attempts_exceeded' },
    });

    const before = posts();
    const late = await verify({ intentId: si.id, amounts: [32, 45] });
    expect(late.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_AWAITING_MICRODEPOSITS',
    });
    expect(posts()).toBe(before);
  });

  it('should refuse wrong descriptor codes until the attempt limit of a PaymentIntent: nine mismatches, then the tenth ends it', async () => {
    const pi = await paymentWaiting();
    const verifies = () =>
      sb.sandbox.requestLog.filter((r) => r.path === `/v1/payment_intents/${pi.id}/verify_microdeposits`)
        .length;
    const sent = verifies();
    const reasons: unknown[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const r = await verify({ intentId: pi.id, descriptorCode: `SM${String(attempt).padStart(2, '0')}XX` });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      reasons.push(r.errors![0].extensions!.reason);
    }
    // Stripe allows ten attempts with a descriptor code (docs/stripe-facts.md §4): nine mismatches, then the limit.
    expect(reasons).toEqual([...Array(9).fill('MICRODEPOSITS_MISMATCH'), 'MICRODEPOSIT_ATTEMPTS_EXCEEDED']);
    // One verification request per attempt, none repeated by a retry.
    expect(verifies() - sent).toBe(10);
    expect(ok(await asA(PaymentIntentStatusDocument, { id: pi.id })).paymentIntent).toMatchObject({
      status: 'REQUIRES_PAYMENT_METHOD',
    });
  });

  it("should answer NOT_FOUND for another partner's intent and refuse malformed values, sending nothing", async () => {
    const si = await setupWaiting();
    const before = posts();
    const foreign = await asB(VerifyMicrodepositsDocument, { input: { intentId: si.id, amounts: [32, 45] } });
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    for (const input of [
      { intentId: si.id, amounts: [32, 45], descriptorCode: 'SM11AA' },
      { intentId: si.id },
      { intentId: si.id, amounts: [32] },
      { intentId: si.id, amounts: [320, 45] },
      { intentId: si.id, descriptorCode: 'XX11AA' },
      { intentId: 'fca_123', amounts: [32, 45] },
    ]) {
      expect(errorCodes(await verify(input))).toEqual(['BAD_USER_INPUT']);
    }
    expect(posts()).toBe(before);
    // Still waiting: the refusals used up no attempt.
    expect(ok(await asA(SetupIntentDocument, { id: si.id })).setupIntent!.status).toBe('REQUIRES_ACTION');
  });
});
