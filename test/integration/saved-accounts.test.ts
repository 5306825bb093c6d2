// Saved bank accounts and recurring ACH debits through GraphQL against the sandbox over HTTP: save an account with
// a SetupIntent, debit it off-session under its mandate again and again, see why a debit failed (pushed live), and
// the refusals that never reach Stripe (detached method, inactive mandate, another customer's method).
import { print } from 'graphql';
import { setMandateStatus } from '../../src/sandbox/ach';
import {
  CreatePaymentIntentDocument,
  CreateSetupIntentDocument,
  CustomerPaymentMethodsDocument,
  DetachPaymentMethodDocument,
  MandateDocument,
  PaymentIntentDocument,
  PaymentIntentUpdatedDocument,
  PaymentMethodDocument,
  SavedAccountsDocument,
  SetupIntentDocument,
  VerifyMicrodepositsDocument,
  type CustomerModel,
  type PaymentIntentFieldsFragment,
} from '../generated/graphql';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { createSession, linkedCustomer } from '../helpers/linking';
import { followUpOutcomes, subscribed, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const USER_AGENT = 'SavedAccountsTest/1.0 (jest; +https://example.test)';

describe('saved bank accounts and recurring debits', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 100, refreshDelayMs: 20 });
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey });
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

  /** Every POST the gateway sent the sandbox so far (a refusal must add none). */
  const posts = () => sb.sandbox.requestLog.filter((r) => r.method === 'POST').length;
  let unique = 0;
  const key = (tag: string) => `${tag}-${process.pid}-${unique++}`;

  /** Saves the customer's linked account with a SetupIntent (the one acceptance), as partner A. */
  async function save(customerId: string, financialAccountId: string) {
    const si = ok(
      await asA(CreateSetupIntentDocument, {
        input: { customerId, financialAccountId, billingName: 'Jenny Payer', idempotencyKey: key('save') },
      }),
    ).createSetupIntent.setupIntent;
    expect(si.status).toBe('SUCCEEDED');
    return { setupIntent: si, paymentMethodId: si.paymentMethod!.id, mandateId: si.mandate!.id };
  }

  const debit = (customerId: string, paymentMethodId: string, mandateId: string, amount = 1_999) =>
    asA(CreatePaymentIntentDocument, {
      input: {
        customerId,
        paymentMethodId,
        mandateId,
        offSession: true,
        amount,
        currency: 'usd',
        description: 'Monthly plan',
        idempotencyKey: key('debit'),
      },
    });

  /** paymentIntentUpdated(customerId) as partner A, subscribed before anything is confirmed. */
  async function followCustomer(customerId: string) {
    const client = wsClient(gw, PARTNER_A.apiKey);
    const updates = await subscribed<{ paymentIntentUpdated: PaymentIntentFieldsFragment }>(
      gw,
      client,
      print(PaymentIntentUpdatedDocument),
      { customerId },
    );
    return {
      updates,
      async close() {
        updates.stop();
        await client.dispose();
      },
    };
  }

  it.each<[CustomerModel]>([['CUSTOMER'], ['ACCOUNT']])(
    'should save a %s customer’s account with a SetupIntent, then debit it three times off-session under its mandate with no new acceptance',
    async (model) => {
      const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, model, { accounts: ['checking'] });
      const { setupIntent, paymentMethodId, mandateId } = await save(linked.customerId, linked.accountId);
      expect(setupIntent.paymentMethod).toMatchObject({
        id: expect.stringMatching(/^pm_/),
        last4: expect.stringMatching(/^\d{4}$/),
        bankName: expect.any(String),
        accountType: 'CHECKING',
        accountHolderType: 'INDIVIDUAL',
        status: 'USABLE',
        blockedReason: null,
        attached: true,
      });
      expect(setupIntent.mandate).toMatchObject({
        id: expect.stringMatching(/^mandate_/),
        status: 'ACTIVE',
        type: 'MULTI_USE',
        acceptanceType: 'ONLINE',
        acceptedAt: expect.any(String),
      });

      // The saved account is the customer's, readable by its partner only.
      const listed = ok(await asA(CustomerPaymentMethodsDocument, { customerId: linked.customerId }))
        .customer!.paymentMethods;
      expect(listed.nodes.map((n) => n.id)).toEqual([paymentMethodId]);
      expect(JSON.stringify(listed)).not.toMatch(/\d{9,}/); // never a full account or routing number
      expect(ok(await asA(PaymentMethodDocument, { id: paymentMethodId })).paymentMethod).toMatchObject({
        financialAccount: { id: linked.accountId },
        customer: { id: linked.customerId },
        mandate: { id: mandateId, status: 'ACTIVE' },
      });
      // What a client needs for an off-session debit, without having kept the SetupIntent's answer.
      const savedAccounts = ok(await asA(SavedAccountsDocument, { customerId: linked.customerId })).customer!
        .paymentMethods.nodes;
      expect(savedAccounts.map((n) => [n.id, n.mandate?.id])).toEqual([[paymentMethodId, mandateId]]);
      const mandate = ok(await asA(MandateDocument, { id: mandateId })).mandate!;
      expect(mandate).toMatchObject({
        id: mandateId,
        status: 'ACTIVE',
        paymentMethod: { id: paymentMethodId },
      });

      const mandatesBefore = sb.sandbox.store.mandates.newestFirst().length;
      const live = await followCustomer(linked.customerId);
      const followUps = followUpOutcomes(gw);
      try {
        const ids: string[] = [];
        for (const amount of [1_000, 2_000, 3_000]) {
          const pi = ok(await debit(linked.customerId, paymentMethodId, mandateId, amount))
            .createPaymentIntent.paymentIntent;
          // Confirmed at once: no confirmPaymentIntent, no mandate acceptance from anyone.
          expect(pi).toMatchObject({
            status: 'PROCESSING',
            amount: { amount, currency: 'usd' },
            paymentMethod: { id: paymentMethodId },
            mandate: { id: mandateId, status: 'ACTIVE' },
            lastPaymentError: null,
          });
          ids.push(pi.id);
        }
        // Each settles, pushed over the subscription.
        const settled = new Set<string>();
        await live.updates.until((m) => {
          if (m.paymentIntentUpdated.status === 'SUCCEEDED') settled.add(m.paymentIntentUpdated.id);
          return ids.every((id) => settled.has(id));
        });
        for (const [i, id] of ids.entries()) {
          const pi = ok(await asA(PaymentIntentDocument, { id })).paymentIntent!;
          expect(pi).toMatchObject({
            status: 'SUCCEEDED',
            amountReceived: { amount: [1_000, 2_000, 3_000][i], currency: 'usd' },
            mandate: { id: mandateId },
          });
        }
        // Created and confirmed in one request, each debit was still followed until it settled (the webhook ended it).
        for (const id of ids) expect(await followUps.of(id)).toBe('webhook');
      } finally {
        followUps.stop();
        await live.close();
      }
      // The three debits used the saved mandate: Stripe recorded no new one.
      expect(sb.sandbox.store.mandates.newestFirst()).toHaveLength(mandatesBefore);
      for (const pi of sb.sandbox.store.paymentIntents.newestFirst().slice(0, 3)) {
        expect(pi.payment_method).toBe(paymentMethodId);
      }
    },
  );

  describe('a debit from each failing test account', () => {
    // Stripe's ACH test outcomes (docs/stripe-facts.md §4) as linked test accounts (src/sandbox/institutions.ts).
    const FAILING: [template: string, displayName: string, code: string, blocked: string | null][] = [
      ['insufficient_funds', 'Insufficient Funds', 'insufficient_funds', null],
      ['account_closed', 'Account Closed', 'account_closed', 'bank_account_closed'],
      ['no_account', 'No Account', 'no_account', 'bank_account_invalid_details'],
      ['debit_not_authorized', 'Debit Not Authorized', 'debit_not_authorized', 'debit_not_authorized'],
      ['weekly_limit_exceeded', 'Weekly Limit Exceeded', 'weekly_limit_exceeded', null],
    ];

    it.each(FAILING)(
      'should end %s in REQUIRES_PAYMENT_METHOD with its lastPaymentError.code, pushed over the subscription',
      async (template, displayName, code, blocked) => {
        const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: [template] });
        const { paymentMethodId, mandateId } = await save(linked.customerId, linked.accounts[displayName]);
        const live = await followCustomer(linked.customerId);
        let failed: PaymentIntentFieldsFragment;
        try {
          const pi = ok(await debit(linked.customerId, paymentMethodId, mandateId)).createPaymentIntent
            .paymentIntent;
          const pushed = await live.updates.until(
            (m) =>
              m.paymentIntentUpdated.id === pi.id &&
              m.paymentIntentUpdated.status === 'REQUIRES_PAYMENT_METHOD',
          );
          failed = pushed[pushed.length - 1].paymentIntentUpdated;
        } finally {
          await live.close();
        }
        expect(failed.lastPaymentError).toMatchObject({ code, message: expect.any(String) });
        expect(failed.amountReceived.amount).toBe(0);
        // The account the debit failed on stays known, even though Stripe detached it from the intent.
        expect(failed.paymentMethod?.id).toBe(paymentMethodId);

        const saved = ok(await asA(PaymentMethodDocument, { id: paymentMethodId })).paymentMethod!;
        if (blocked) {
          // A return that means "never again" blocks the account and ends its mandate: the next debit is refused
          // by the gateway, before Stripe.
          expect(saved).toMatchObject({ status: 'BLOCKED', blockedReason: blocked });
          const before = posts();
          const again = await debit(linked.customerId, paymentMethodId, mandateId);
          expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
          expect(again.errors![0].extensions).toMatchObject({ reason: 'PAYMENT_METHOD_BLOCKED' });
          expect(posts()).toBe(before);
        } else {
          expect(saved.status).toBe('USABLE');
        }
      },
    );
  });

  describe('a debit from each failing test account number, entered by hand and verified with microdeposits', () => {
    // Stripe's test account numbers (docs/stripe-facts.md §4), typed into the hosted flow's manual entry.
    const NUMBERS: [number: string, code: string][] = [
      ['000222222227', 'insufficient_funds'],
      ['000111111113', 'account_closed'],
      ['000111111116', 'no_account'],
      ['000333333335', 'debit_not_authorized'],
      ['000444444440', 'invalid_currency'],
      ['000777777771', 'weekly_limit_exceeded'],
      ['000000004954', 'payment_method_blocked'],
    ];

    /** A customer whose session linked one account typed in by hand (the sandbox's complete helper, over HTTP). */
    async function manuallyEntered(accountNumber: string) {
      const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
      const { session } = await createSession(gw, PARTNER_A.apiKey, linked.customerId);
      const res = await fetch(
        `${sb.url}/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${sb.secretKey}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ 'manual_entry[account_number]': accountNumber }),
        },
      );
      const body = (await res.json()) as { accounts: { data: { id: string }[] } };
      expect(res.status).toBe(200);
      return { customerId: linked.customerId, accountId: body.accounts.data[0].id };
    }

    it.each(NUMBERS)(
      'should end a debit from %s with lastPaymentError.code %s, pushed over the subscription',
      async (accountNumber, code) => {
        const { customerId, accountId } = await manuallyEntered(accountNumber);
        // A typed-in account cannot be verified instantly: Stripe sends microdeposits first.
        const si = ok(
          await asA(CreateSetupIntentDocument, {
            input: {
              customerId,
              financialAccountId: accountId,
              billingName: 'Jenny Payer',
              idempotencyKey: key('s'),
            },
          }),
        ).createSetupIntent.setupIntent;
        expect(si).toMatchObject({
          status: 'REQUIRES_ACTION',
          nextAction: { type: 'VERIFY_WITH_MICRODEPOSITS' },
        });
        const verified = ok(
          await asA(VerifyMicrodepositsDocument, { input: { intentId: si.id, amounts: [32, 45] } }),
        ).verifyMicrodeposits.setupIntent!;
        expect(verified.status).toBe('SUCCEEDED');

        const live = await followCustomer(customerId);
        try {
          const pi = ok(await debit(customerId, verified.paymentMethod!.id, verified.mandate!.id))
            .createPaymentIntent.paymentIntent;
          const pushed = await live.updates.until(
            (m) =>
              m.paymentIntentUpdated.id === pi.id &&
              m.paymentIntentUpdated.status === 'REQUIRES_PAYMENT_METHOD',
          );
          expect(pushed[pushed.length - 1].paymentIntentUpdated.lastPaymentError).toMatchObject({ code });
        } finally {
          await live.close();
        }
      },
    );

    it('should end the SetupIntent of 000666666661 (microdeposits never arrive) with its lastSetupError', async () => {
      const { customerId, accountId } = await manuallyEntered('000666666661');
      const si = ok(
        await asA(CreateSetupIntentDocument, {
          input: {
            customerId,
            financialAccountId: accountId,
            billingName: 'Jenny Payer',
            idempotencyKey: key('s'),
          },
        }),
      ).createSetupIntent.setupIntent;
      expect(si.status).toBe('REQUIRES_ACTION');
      // No subscription pushes SetupIntents: the sandbox's own event says when the deposits failed.
      await sb.sandbox.waitForEvent(
        (e) => e.type === 'setup_intent.setup_failed' && (e.data.object as { id?: string }).id === si.id,
      );
      const failed = ok(await asA(SetupIntentDocument, { id: si.id })).setupIntent!;
      expect(failed).toMatchObject({
        status: 'REQUIRES_PAYMENT_METHOD',
        nextAction: null,
        lastSetupError: { code: 'payment_method_microdeposit_failed' },
      });
    });
  });

  describe('refusals before any Stripe write', () => {
    let customerId: string;
    let paymentMethodId: string;
    let mandateId: string;

    beforeAll(async () => {
      const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
      customerId = linked.customerId;
      ({ paymentMethodId, mandateId } = await save(customerId, linked.accountId));
    });

    it("should answer NOT_FOUND for another customer's saved account, and for another partner's", async () => {
      const other = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
      const before = posts();
      const wrongCustomer = await debit(other.customerId, paymentMethodId, mandateId);
      expect(errorCodes(wrongCustomer)).toEqual(['NOT_FOUND']);
      expect(wrongCustomer.errors![0].message).toBe(`PaymentMethod ${paymentMethodId} was not found.`);

      const otherSaved = await save(other.customerId, other.accountId);
      const mixed = await debit(customerId, paymentMethodId, otherSaved.mandateId);
      expect(errorCodes(mixed)).toEqual(['NOT_FOUND']);
      const afterSave = posts();

      const foreign = await asB(CreatePaymentIntentDocument, {
        input: {
          customerId,
          paymentMethodId,
          mandateId,
          offSession: true,
          amount: 500,
          currency: 'usd',
          idempotencyKey: key('foreign'),
        },
      });
      expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
      expect(errorCodes(await asB(PaymentMethodDocument, { id: paymentMethodId }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await asB(MandateDocument, { id: mandateId }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await asB(DetachPaymentMethodDocument, { input: { paymentMethodId } }))).toEqual([
        'NOT_FOUND',
      ]);
      // Only the second customer's SetupIntent was written.
      expect(afterSave - before).toBe(1);
      expect(posts()).toBe(afterSave);
    });

    it('should refuse a debit without offSession: true, or with a linked account as well', async () => {
      const before = posts();
      const online = await asA(CreatePaymentIntentDocument, {
        input: {
          customerId,
          paymentMethodId,
          mandateId,
          amount: 500,
          currency: 'usd',
          idempotencyKey: key('x'),
        },
      });
      expect(errorCodes(online)).toEqual(['BAD_USER_INPUT']);
      expect(online.errors![0].extensions).toMatchObject({ field: 'offSession' });
      const noMandate = await asA(CreatePaymentIntentDocument, {
        input: {
          customerId,
          paymentMethodId,
          offSession: true,
          amount: 500,
          currency: 'usd',
          idempotencyKey: key('x'),
        },
      });
      expect(noMandate.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mandateId' });
      const both = await asA(CreatePaymentIntentDocument, {
        input: {
          customerId,
          financialAccountId: 'fca_123',
          paymentMethodId,
          mandateId,
          offSession: true,
          billingName: 'Jenny Payer',
          amount: 500,
          currency: 'usd',
          idempotencyKey: key('x'),
        },
      });
      expect(both.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'paymentMethodId' });
      expect(posts()).toBe(before);
    });

    it('should refuse a debit under an inactive mandate with MANDATE_INACTIVE', async () => {
      // Stripe ends a mandate on its own (e.g. the customer revoked it at the bank): mandate.updated.
      setMandateStatus(sb.sandbox.store, mandateId, 'inactive');
      const before = posts();
      const refused = await debit(customerId, paymentMethodId, mandateId);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0].extensions).toMatchObject({ field: 'mandateId', reason: 'MANDATE_INACTIVE' });
      expect(posts()).toBe(before);
      setMandateStatus(sb.sandbox.store, mandateId, 'active');
    });

    it('should detach a saved account: gone from the list, and a debit from it answers PAYMENT_METHOD_DETACHED', async () => {
      const detached = ok(await asA(DetachPaymentMethodDocument, { input: { paymentMethodId } }))
        .detachPaymentMethod.paymentMethod;
      expect(detached).toMatchObject({ id: paymentMethodId, attached: false });
      const listed = ok(await asA(CustomerPaymentMethodsDocument, { customerId })).customer!.paymentMethods;
      expect(listed.nodes).toEqual([]);
      // Still readable by its owner (a past payment's method), and its mandate ended with it.
      expect(ok(await asA(PaymentMethodDocument, { id: paymentMethodId })).paymentMethod).toMatchObject({
        attached: false,
        customer: { id: customerId },
      });
      expect(ok(await asA(MandateDocument, { id: mandateId })).mandate!.status).toBe('INACTIVE');
      expect(
        ok(await asA(PaymentMethodDocument, { id: paymentMethodId })).paymentMethod!.mandate,
      ).toMatchObject({
        id: mandateId,
        status: 'INACTIVE',
      });

      const before = posts();
      const refused = await debit(customerId, paymentMethodId, mandateId);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0].extensions).toMatchObject({
        field: 'paymentMethodId',
        reason: 'PAYMENT_METHOD_DETACHED',
      });
      const twice = await asA(DetachPaymentMethodDocument, { input: { paymentMethodId } });
      expect(twice.errors![0].extensions).toMatchObject({ reason: 'PAYMENT_METHOD_DETACHED' });
      expect(posts()).toBe(before);
    });
  });
});
