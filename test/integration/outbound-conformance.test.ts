// Every request the gateway sends upstream, checked from outside against the *request* schemas of Stripe's OpenAPI
// subset: a recording HTTP hop sits between the gateway and the sandbox while every query and mutation of
// schema/operations/ runs (and the mutations' error paths); each recorded request must be a known operation, with
// no unknown parameter, right enums and types, and `expand[]` only on expandable fields. The run must also reach
// every Stripe endpoint the gateway calls. v2 Accounts (/v2/core/accounts) are outside the subset: they are
// counted, not validated.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import * as documents from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, type GqlResponse } from '../helpers/gql';
import { requestValidator } from '../helpers/openapi-requests';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { GATEWAY_ENDPOINTS } from '../helpers/gateway-endpoints';

const OPERATIONS_DIR = path.resolve(__dirname, '../../schema/operations');

/**
 * Where the OpenAPI subset (test/sandbox/fixtures/stripe-openapi, README there: a 2023 base with a later overlay)
 * is older than the API version the gateway pins. Each gap must still occur (so the list shrinks when the copy is
 * refreshed), and nothing else may fail.
 */
const SUBSET_GAPS: { error: RegExp; why: string }[] = [
  {
    // https://docs.stripe.com/changelog/clover/2025-12-15/accounts-v2-v1-api-support
    error:
      /^(POST \/v1\/payment_intents body|POST \/v1\/setup_intents body|GET \/v1\/(payment_intents|payment_methods): unknown query).*customer_account/,
    why: 'customer_account (v2 customer-configured Accounts on v1 intents and PaymentMethod lists) arrived with 2025-12-15.clover',
  },
];

/** Names of the queries and mutations in schema/operations/ (subscriptions send nothing but reads on events). */
function operationNames(): string[] {
  return readdirSync(OPERATIONS_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .flatMap((f) => [
      ...readFileSync(path.join(OPERATIONS_DIR, f), 'utf8').matchAll(/^(?:query|mutation)\s+(\w+)/gm),
    ])
    .map((m) => m[1]);
}

describe('outbound conformance: every request sent upstream is valid against Stripe’s request schemas', () => {
  let sb: StartedSandbox;
  let proxy: RecordingProxy;
  let gw: StartedGateway;
  const ran = new Set<string>();

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 60_000, refreshDelayMs: 10 });
    proxy = await startRecordingProxy(sb.url);
    gw = await startGateway({ STRIPE_API_BASE: proxy.url, STRIPE_SECRET_KEY: sb.secretKey });
  });
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await sb?.close();
  });

  /** Runs the named operation of schema/operations/ (as its generated document). */
  async function run(name: string, variables: Record<string, unknown> = {}, token = PARTNER_A.apiKey) {
    const doc = (documents as unknown as Record<string, TypedDocumentNode<unknown, unknown>>)[
      `${name}Document`
    ];
    if (!doc) throw new Error(`no generated document for ${name}`);
    ran.add(name);
    return gql(gw.graphqlUrl, doc, variables, {
      token,
      headers: { 'user-agent': 'OutboundConformance/1.0' },
    });
  }
  function ok(r: GqlResponse<unknown>): string {
    expect(r.errors).toBeUndefined();
    return JSON.stringify(r.data);
  }
  const idIn = (json: string, prefix: string) =>
    new RegExp(`"(${prefix}_[A-Za-z0-9]+)"`).exec(json)?.[1] ?? '';

  async function complete(sessionId: string) {
    await sb.stripe.rawRequest(
      'POST',
      `/v1/test_helpers/financial_connections/sessions/${sessionId}/complete`,
      {
        accounts: ['checking'],
      },
    );
  }

  it('runs every query and mutation (and their error paths) with only valid requests upstream', async () => {
    for (const model of ['CUSTOMER', 'ACCOUNT']) {
      const customerJson = ok(
        await run('CreateCustomer', { input: { model, email: `c-${model}@example.test`, name: 'C' } }),
      );
      const customerId = idIn(customerJson, model === 'CUSTOMER' ? 'cus' : 'acct');
      ok(await run('PaymentsSetupCreateCustomer', { input: { model, name: 'P' } }));
      ok(await run('GetCustomer', { id: customerId }));
      const sessionJson = ok(
        await run('CreateSession', {
          input: {
            customerId,
            permissions: ['BALANCES', 'OWNERSHIP', 'PAYMENT_METHOD', 'TRANSACTIONS'],
            prefetch: ['BALANCE', 'OWNERSHIP'],
            filters: { countries: ['US'], accountSubcategories: ['CHECKING', 'SAVINGS'] },
            returnUrl: 'https://app.example.test/return',
            idempotencyKey: `session-${model}`,
          },
        }),
      );
      const sessionId = idIn(sessionJson, 'fcsess');
      ok(await run('PaymentsSetupCreateSession', { input: { customerId, permissions: ['PAYMENT_METHOD'] } }));
      await complete(sessionId);
      const accountsJson = ok(await run('GetSession', { id: sessionId, first: 5 }));
      ok(await run('PaymentsSetupSessionAccounts', { id: sessionId }));
      const accountId = idIn(accountsJson, 'fca');
      ok(await run('CustomerDashboard', { id: customerId }));
      ok(await run('CustomerAccounts', { id: customerId, first: 2, status: 'ACTIVE' }));
      ok(await run('GetFinancialAccount', { id: accountId }));
      ok(await run('GetFinancialAccountBalance', { id: accountId }));
      // The first page comes embedded in the account (expand[]=ownership); the next one, `after` a cursor,
      // is read from the owners endpoint itself.
      const ownersJson = ok(await run('GetAccountOwners', { id: accountId, first: 1 }));
      const ownerId = idIn(ownersJson, 'fcaown');
      ok(await run('GetAccountOwners', { id: accountId, first: 1, after: ownerId }));
      ok(await run('SubscribeFinancialAccount', { input: { accountId } }));
      ok(await run('RefreshFinancialAccount', { input: { accountId, features: ['TRANSACTIONS'] } }));
      const txJson = ok(
        await run('GetAccountTransactions', {
          id: accountId,
          first: 3,
          status: 'POSTED',
          transactedAfter: '2020-01-01T00:00:00Z',
          transactedBefore: '2100-01-01T00:00:00Z',
        }),
      );
      const transactionId = idIn(txJson, 'fctxn');
      if (transactionId) ok(await run('GetTransaction', { id: transactionId }));
      const firstSync = JSON.parse(ok(await run('TransactionUpdates', { accountId, first: 5 }))) as {
        financialAccount: { transactionUpdates: { nextCursor: string } };
      };
      ok(
        await run('TransactionUpdates', {
          accountId,
          cursor: firstSync.financialAccount.transactionUpdates.nextCursor,
        }),
      );
      // A balance refresh: the transactions refresh above may still be pending, and Stripe refuses a second one.
      ok(await run('RefreshTransactions', { input: { accountId, features: ['BALANCE'] } }));
      ok(await run('UnsubscribeFinancialAccount', { input: { accountId } }));
      ok(await run('GetNode', { id: accountId }));
      // node(id) of an Ownership and an AccountOwner: their qualified ids (`fcaowns_….fca_…`) reach Stripe as the
      // account's retrieve (and its owners list), never as an id Stripe has no endpoint for.
      for (const prefix of ['fcaowns', 'fcaown']) {
        const qualified = new RegExp(`"(${prefix}_[A-Za-z0-9]+\\.fca_[A-Za-z0-9]+)"`).exec(ownersJson)?.[1];
        expect(qualified).toBeDefined();
        ok(await run('GetNode', { id: qualified }));
      }

      const piJson = ok(
        await run('CreatePaymentIntent', {
          input: {
            customerId,
            financialAccountId: accountId,
            amount: 1_234,
            currency: 'usd',
            billingName: 'C',
            description: 'order',
            idempotencyKey: `pi-${model}`,
          },
        }),
      );
      const pi = idIn(piJson, 'pi');
      ok(await run('ConfirmPaymentIntent', { input: { paymentIntentId: pi } }));
      ok(await run('PaymentIntent', { id: pi }));
      ok(await run('PaymentIntentStatus', { id: pi }));
      ok(await run('PaymentNode', { id: pi }));
      ok(await run('CustomerPaymentIntents', { customerId, first: 5 }));
      const second = idIn(
        ok(
          await run('CreatePaymentIntent', {
            input: {
              customerId,
              financialAccountId: accountId,
              amount: 99,
              currency: 'usd',
              billingName: 'C',
              idempotencyKey: `pi2-${model}`,
            },
          }),
        ),
        'pi',
      );
      ok(await run('CancelPaymentIntent', { input: { paymentIntentId: second } }));
      const si = idIn(
        ok(
          await run('CreateSetupIntent', {
            input: {
              customerId,
              financialAccountId: accountId,
              billingName: 'C',
              idempotencyKey: `si-${model}`,
            },
          }),
        ),
        'seti',
      );
      // Saved accounts: the SetupIntent's method and mandate, a recurring debit under it, microdeposits, detach.
      const saved = ok(await run('SetupIntent', { id: si }));
      const paymentMethodId = idIn(saved, 'pm');
      const mandateId = idIn(saved, 'mandate');
      ok(await run('CustomerPaymentMethods', { customerId, first: 5 }));
      ok(await run('PaymentMethod', { id: paymentMethodId }));
      ok(await run('Mandate', { id: mandateId }));
      ok(await run('SavedAccounts', { customerId }));
      ok(
        await run('CreatePaymentIntent', {
          input: {
            customerId,
            paymentMethodId,
            mandateId,
            offSession: true,
            amount: 500,
            currency: 'usd',
            idempotencyKey: `off-${model}`,
          },
        }),
      );
      const waitingSetup = idIn(
        ok(
          await run('CreateSetupIntent', {
            input: {
              customerId,
              financialAccountId: accountId,
              billingName: 'C',
              idempotencyKey: `md-si-${model}`,
              verificationMethod: 'MICRODEPOSITS',
            },
          }),
        ),
        'seti',
      );
      const wrongAmounts = await run('VerifyMicrodeposits', {
        input: { intentId: waitingSetup, amounts: [1, 2] },
      });
      expect(wrongAmounts.errors?.[0]?.extensions?.reason).toBe('MICRODEPOSITS_MISMATCH');
      ok(await run('VerifyMicrodeposits', { input: { intentId: waitingSetup, amounts: [32, 45] } }));
      const waitingPayment = idIn(
        ok(
          await run('CreatePaymentIntent', {
            input: {
              customerId,
              financialAccountId: accountId,
              amount: 700,
              currency: 'usd',
              billingName: 'C',
              idempotencyKey: `md-pi-${model}`,
              verificationMethod: 'MICRODEPOSITS',
            },
          }),
        ),
        'pi',
      );
      ok(await run('ConfirmPaymentIntent', { input: { paymentIntentId: waitingPayment } }));
      ok(await run('VerifyMicrodeposits', { input: { intentId: waitingPayment, descriptorCode: 'SM11AA' } }));
      ok(await run('DetachPaymentMethod', { input: { paymentMethodId } }));

      const token = JSON.parse(
        ok(await run('CreateCustomerToken', { input: { customerId, ttlSeconds: 300 } })),
      ).createCustomerToken.token as string;
      ok(await run('ViewerCustomer', {}, token));

      await run('RefreshFinancialAccount', { input: { accountId, features: ['OWNERSHIP'] } });
      await run('CancelPaymentIntent', { input: { paymentIntentId: pi } }); // processing ACH may still be canceled
      // Error paths: each answers with an error code, and whatever it sent upstream is still valid.
      const failing = [
        await run('ConfirmPaymentIntent', { input: { paymentIntentId: second } }), // canceled: Stripe refuses
        await run('GetFinancialAccount', { id: 'fca_doesnotexist1234' }),
        await run('CreatePaymentIntent', {
          input: {
            customerId,
            financialAccountId: 'fca_nope1234',
            amount: 5,
            currency: 'usd',
            billingName: 'C',
            idempotencyKey: `bad-${model}`,
          },
        }),
        await run('CreateSetupIntent', {
          input: {
            customerId: 'cus_nope1234',
            financialAccountId: accountId,
            billingName: 'C',
            idempotencyKey: `bad-si-${model}`,
          },
        }),
        await run('CreateSession', { input: { customerId: 'cus_nope1234', permissions: ['BALANCES'] } }),
      ];
      ok(await run('DisconnectFinancialAccount', { input: { accountId } }));
      // On a disconnected account (answers vary: Stripe's own errors, or the gateway's checks).
      await run('DisconnectFinancialAccount', { input: { accountId } });
      await run('SubscribeFinancialAccount', { input: { accountId } });
      await run('RefreshFinancialAccount', { input: { accountId, features: ['BALANCE'] } });
      for (const r of failing) expect(r.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
    }
    ok(await run('ListCustomers', { first: 3 }));
    ok(await run('ListCustomers', { first: 3, email: 'c-CUSTOMER@example.test' }));
    await gw.close(); // deletes the self-registered webhook endpoint

    expect(operationNames().filter((n) => !ran.has(n))).toEqual([]);

    const validator = requestValidator();
    const v1 = proxy.requests.filter(
      (r) => !r.path.startsWith('/v2/') && !r.path.startsWith('/v1/test_helpers/'),
    );
    expect(v1.length).toBeGreaterThan(40);
    const errors = v1.flatMap((r) => validator.requestErrors(r));
    expect(errors.filter((e) => !SUBSET_GAPS.some((g) => g.error.test(e)))).toEqual([]);
    expect(SUBSET_GAPS.filter((g) => !errors.some((e) => g.error.test(e))).map((g) => g.why)).toEqual([]);
    // Its enabled_events are checked against the spec's event enum with the other requests above.
    expect(v1.filter((r) => r.method === 'POST' && r.path === '/v1/webhook_endpoints')).toHaveLength(1);
    const reached = new Set(v1.map((r) => validator.operationOf(r)));
    expect(GATEWAY_ENDPOINTS.filter((e) => !reached.has(e))).toEqual([]);
    expect([...reached].filter((e) => !GATEWAY_ENDPOINTS.includes(e!))).toEqual([]);
  });

  it('the request check refuses unknown parameters, wrong enums and types, and expand[] on a plain field', () => {
    const v = requestValidator();
    const form = 'application/x-www-form-urlencoded';
    const wire = (method: string, p: string, query: string, body = '') => ({
      method,
      path: p,
      query,
      body,
      contentType: form,
    });
    expect(
      v.requestErrors(wire('POST', '/v1/customers', '', 'name=A&metadata[k]=v&expand[0]=test_clock')),
    ).toEqual([]);
    expect(v.requestErrors(wire('POST', '/v1/customers', '', 'nickname=A'))).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(
      v.requestErrors(wire('GET', '/v1/financial_connections/accounts', 'limit=ten&colour=red')),
    ).toEqual([
      expect.stringContaining('?limit must be integer'),
      expect.stringContaining('unknown query parameter colour'),
    ]);
    expect(
      v.requestErrors(
        wire('POST', '/v1/payment_intents/pi_1/confirm', '', 'mandate_data[customer_acceptance][type]=paper'),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'mandate_data/customer_acceptance/type must be equal to one of the allowed values',
        ),
      ]),
    );
    expect(v.requestErrors(wire('GET', '/v1/payment_intents/pi_1', 'expand[0]=amount'))).toEqual([
      expect.stringContaining('expand[] amount: amount is not expandable'),
    ]);
    expect(
      v.requestErrors(
        wire('GET', '/v1/payment_intents/pi_1', 'expand[0]=payment_method&expand[1]=latest_charge.customer'),
      ),
    ).toEqual([]);
  });
});
