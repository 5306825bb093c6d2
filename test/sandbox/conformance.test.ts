// Every endpoint of the OpenAPI subset, driven through the official stripe SDK; every response body the
// sandbox sent is validated against the subset's schemas with ajv, and every operation must have answered 2xx.
import type Stripe from 'stripe';
import type { StartedSandbox } from '../helpers/sandbox';
import { openapiValidator } from '../helpers/openapi';
import {
  checkRecordedResponses,
  exercisedOperations,
  linkAccounts,
  ONLINE_MANDATE,
  startRecordingSandbox,
  stripeError,
} from './support';

describe('sandbox conformance (OpenAPI subset)', () => {
  let s: StartedSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    s = await startRecordingSandbox();
    stripe = s.stripe;
  });

  afterAll(async () => {
    await s.close();
  });

  it('should answer customers create, list, retrieve, update, search and delete', async () => {
    const c = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { gateway_partner_id: 'p1' },
    });
    expect(c.object).toBe('customer');
    const listed = await stripe.customers.list({ limit: 3, expand: ['data.invoice_settings'] });
    expect(listed.data[0].id).toBe(c.id);
    const got = await stripe.customers.retrieve(c.id);
    expect(got.id).toBe(c.id);
    const updated = await stripe.customers.update(c.id, { name: 'Ada L.', metadata: { tier: 'gold' } });
    expect(updated.metadata).toEqual({ gateway_partner_id: 'p1', tier: 'gold' });
    const found = await stripe.customers.search({ query: "metadata['gateway_partner_id']:'p1'" });
    expect(found.data.map((x) => x.id)).toEqual([c.id]);
    const gone = await stripe.customers.del(c.id);
    expect(gone.deleted).toBe(true);
    const again = await stripe.customers.retrieve(c.id);
    expect(again.deleted).toBe(true);
  });

  it('should answer every Financial Connections endpoint', async () => {
    const { customer, session, accounts } = await linkAccounts(s, { prefetch: ['balances'] });
    const retrieved = await stripe.financialConnections.sessions.retrieve(session.id, {
      expand: ['accounts'],
    });
    expect(retrieved.accounts.data.map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    const list = await stripe.financialConnections.accounts.list({
      account_holder: { customer: customer.id },
    });
    expect(list.data).toHaveLength(accounts.length);
    const checking = accounts[0];
    const refreshed = await stripe.financialConnections.accounts.refresh(checking.id, {
      features: ['ownership', 'transactions'],
    });
    expect(refreshed.ownership_refresh?.status).toBe('pending');
    await s.sandbox.waitForEvent(
      (e) =>
        e.type === 'financial_connections.account.refreshed_transactions' &&
        (e.data.object as { id: string }).id === checking.id,
    );
    await s.sandbox.waitForEvent(
      (e) =>
        e.type === 'financial_connections.account.refreshed_ownership' &&
        (e.data.object as { id: string }).id === checking.id,
    );
    const acc = await stripe.financialConnections.accounts.retrieve(checking.id, { expand: ['ownership'] });
    const ownership = acc.ownership as Stripe.FinancialConnections.AccountOwnership;
    const owners = await stripe.financialConnections.accounts.listOwners(checking.id, {
      ownership: ownership.id,
    });
    expect(owners.data.length).toBeGreaterThan(0);
    const txns = await stripe.financialConnections.transactions.list({ account: checking.id, limit: 5 });
    expect(txns.data).toHaveLength(5);
    const txn = await stripe.financialConnections.transactions.retrieve(txns.data[0].id);
    expect(txn.id).toBe(txns.data[0].id);
    const sub = await stripe.financialConnections.accounts.subscribe(accounts[1].id, {
      features: ['transactions'],
    });
    expect(sub.subscriptions).toEqual(['transactions']);
    const unsub = await stripe.financialConnections.accounts.unsubscribe(accounts[1].id, {
      features: ['transactions'],
    });
    expect(unsub.subscriptions).toEqual([]);
    const disc = await stripe.financialConnections.accounts.disconnect(accounts[2].id);
    expect(disc.status).toBe('disconnected');
  });

  it('should answer every PaymentIntent and SetupIntent endpoint', async () => {
    const { customer, accounts } = await linkAccounts(s);
    const pi = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
    });
    expect(pi.status).toBe('requires_payment_method');
    const updated = await stripe.paymentIntents.update(pi.id, {
      description: 'Invoice 7',
      metadata: { order: '7' },
    });
    expect(updated.description).toBe('Invoice 7');
    const confirmed = await stripe.paymentIntents.confirm(pi.id, {
      payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { financial_connections_account: accounts[0].id },
      } as Stripe.PaymentIntentConfirmParams.PaymentMethodData,
      mandate_data: ONLINE_MANDATE,
    });
    expect(confirmed.status).toBe('processing');
    await s.sandbox.waitForEvent(
      (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === pi.id,
    );
    expect(
      (await stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method', 'customer'] })).status,
    ).toBe('succeeded');
    const other = await stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method_types: ['us_bank_account'],
    });
    const canceled = await stripe.paymentIntents.cancel(other.id, { cancellation_reason: 'abandoned' });
    expect(canceled.status).toBe('canceled');
    const pis = await stripe.paymentIntents.list({ customer: customer.id });
    expect(pis.data.map((x) => x.id)).toEqual([pi.id]);

    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
    });
    const siUpdated = await stripe.setupIntents.update(si.id, { metadata: { purpose: 'autopay' } });
    expect(siUpdated.metadata).toEqual({ purpose: 'autopay' });
    const siConfirmed = await stripe.setupIntents.confirm(si.id, {
      payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { financial_connections_account: accounts[1].id },
      } as Stripe.SetupIntentConfirmParams.PaymentMethodData,
      mandate_data: ONLINE_MANDATE,
    });
    expect(siConfirmed.status).toBe('succeeded');
    expect(
      (await stripe.setupIntents.retrieve(si.id, { expand: ['mandate', 'payment_method'] })).status,
    ).toBe('succeeded');
    expect((await stripe.setupIntents.list({ customer: customer.id })).data.map((x) => x.id)).toEqual([
      si.id,
    ]);
  });

  it('should answer every PaymentMethod, Mandate, microdeposit and SetupIntent cancel endpoint', async () => {
    const { customer, accounts } = await linkAccounts(s);
    const pm = await stripe.paymentMethods.create({
      type: 'us_bank_account',
      us_bank_account: { financial_connections_account: accounts[0].id },
      billing_details: { name: 'Jenny Rosen' },
    } as Stripe.PaymentMethodCreateParams);
    expect(pm.us_bank_account?.financial_connections_account).toBe(accounts[0].id);
    expect((await stripe.paymentMethods.retrieve(pm.id)).id).toBe(pm.id);
    const attached = await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    const updated = await stripe.paymentMethods.update(pm.id, { metadata: { label: 'rent' } });
    expect(updated.metadata).toEqual({ label: 'rent' });
    const listed = await stripe.paymentMethods.list({ customer: customer.id, type: 'us_bank_account' });
    expect(listed.data.map((x) => x.id)).toEqual([pm.id]);
    const saved = await stripe.customers.listPaymentMethods(customer.id, { type: 'us_bank_account' });
    expect(saved.data.map((x) => x.id)).toEqual([pm.id]);
    expect((await stripe.customers.retrievePaymentMethod(customer.id, pm.id)).id).toBe(pm.id);

    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method: pm.id,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    expect(si.status).toBe('succeeded');
    const mandate = await stripe.mandates.retrieve(si.mandate as string);
    expect([mandate.type, mandate.status]).toEqual(['multi_use', 'active']);
    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();

    const manual = {
      type: 'us_bank_account',
      us_bank_account: { account_number: '000123456789', routing_number: '110000000' },
      billing_details: { name: 'Jenny Rosen' },
    };
    const pi = await stripe.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method_data: manual as Stripe.PaymentIntentCreateParams.PaymentMethodData,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    expect([pi.status, pi.next_action?.type]).toEqual(['requires_action', 'verify_with_microdeposits']);
    const verified = await stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM11AA' });
    expect(verified.status).toBe('processing');
    const seti = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method_data: manual as Stripe.SetupIntentCreateParams.PaymentMethodData,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    expect(seti.next_action?.verify_with_microdeposits?.microdeposit_type).toBe('amounts');
    expect((await stripe.setupIntents.verifyMicrodeposits(seti.id, { amounts: [32, 45] })).status).toBe(
      'succeeded',
    );
    const other = await stripe.setupIntents.create({ customer: customer.id });
    const canceled = await stripe.setupIntents.cancel(other.id, { cancellation_reason: 'abandoned' });
    expect(canceled.status).toBe('canceled');
  });

  it('should answer events and webhook endpoints', async () => {
    const events = await stripe.events.list({ limit: 3 });
    expect(events.data).toHaveLength(3);
    const one = await stripe.events.retrieve(events.data[0].id);
    expect(one.id).toBe(events.data[0].id);
    const we = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['payment_intent.succeeded'],
    });
    expect(we.secret).toMatch(/^whsec_/);
    expect((await stripe.webhookEndpoints.retrieve(we.id)).secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.update(we.id, { disabled: true })).status).toBe('disabled');
    expect((await stripe.webhookEndpoints.list()).data.map((x) => x.id)).toContain(we.id);
    expect((await stripe.webhookEndpoints.del(we.id)).deleted).toBe(true);
  });

  it('should answer rejected requests with Stripe error bodies', async () => {
    const errors = await Promise.all([
      stripeError(stripe.customers.retrieve('cus_missing')),
      stripeError(stripe.financialConnections.accounts.retrieve('fca_missing')),
      stripeError(
        stripe.financialConnections.transactions.list(
          {} as Stripe.FinancialConnections.TransactionListParams,
        ),
      ),
      stripeError(stripe.paymentIntents.create({ amount: 100 } as Stripe.PaymentIntentCreateParams)),
      stripeError(stripe.events.retrieve('evt_missing')),
    ]);
    expect(errors.map((e) => [e.statusCode, e.code])).toEqual([
      [404, 'resource_missing'],
      [404, 'resource_missing'],
      [400, 'parameter_missing'],
      [400, 'parameter_missing'],
      [404, 'resource_missing'],
    ]);
  });

  it('should have answered 2xx on every operation of the subset, with bodies that match its schemas', () => {
    const all = openapiValidator().operations.map((o) => `${o.method} ${o.template}`);
    const done = exercisedOperations(s);
    expect(all.filter((op) => !done.has(op))).toEqual([]);
    const { problems, checked } = checkRecordedResponses(s);
    expect(problems).toEqual([]);
    expect(checked).toBe(s.sandbox.requestLog.length);
  });
});
