// The whole story (link, dashboard, refresh, pay) against a sandbox failing on purpose: 20% 5xx, 429s from its
// rate limit, added latency and dropped connections. Every operation ends right or with a contract error, nothing
// is created twice, and the process never crashes. That each call ends by its deadline is shown on a fake clock
// (test/unit/stripe-client.test.ts "deadline"), not timed here.
// Which requests fail is drawn from a seeded generator (src/sandbox/README.md): SANDBOX_FAULT_SEED, else a fixed
// seed; a failure names it. Concurrent stories can still reorder requests between runs. That each kind of fault is
// injected, retried and answered with its own contract code is shown first, one kind at a time, with the fault on
// every request.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  ConfirmPaymentIntentDocument,
  CreateCustomerDocument,
  CreatePaymentIntentDocument,
  CreateSessionDocument,
  CustomerDashboardDocument,
  GetFinancialAccountBalanceDocument,
  PaymentIntentStatusDocument,
  RefreshFinancialAccountDocument,
} from '../generated/graphql';
import { ErrorCode } from '../../src/platform/errors';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, type GqlResponse } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const DEADLINE_MS = 4_000;
const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));
/** The fault seed: SANDBOX_FAULT_SEED replays a failing run; by default a fixed one. */
const FAULT_SEED = Number(process.env.SANDBOX_FAULT_SEED ?? 2512);
const RANDOM_FAULTS = { errorRate: 0.2, errorStatus: 503, latencyMs: 40, dropRate: 0.05, seed: FAULT_SEED };
/** Tighter than the gateway's budget (STRIPE_MAX_RPS 20), so Stripe-style 429s happen and are retried. */
const RATE_LIMIT = { requestsPerSecond: 12 };

interface Attempt {
  op: string;
  outcome: string;
}

describe('resilience: the full story against a failing Stripe', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  const attempts: Attempt[] = [];
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    sb = await startSandbox({ refreshDelayMs: 100, achDelayMs: 200 });
    // No STRIPE_WEBHOOK_SECRET: the gateway registers itself for the sandbox's webhooks, before the faults start.
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      STRIPE_MAX_RPS: '20',
      STRIPE_TIMEOUT_MS: '1500',
      STRIPE_DEADLINE_MS: String(DEADLINE_MS),
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    sb.sandbox.setFaults(RANDOM_FAULTS);
    sb.sandbox.setRateLimit(RATE_LIMIT);
  });

  /**
   * Resolves once the sandbox has delivered (2xx) an event of `type` about `id` to the gateway, newer than the
   * deliveries made so far: the gateway has then been told, so a read no longer waits on a cache's expiry.
   */
  function deliveredLater(type: string, id: string): () => Promise<unknown> {
    const before = new Set(sb.sandbox.deliveries);
    return () =>
      sb.sandbox.waitForDelivery(
        (d) =>
          !before.has(d) &&
          d.ok &&
          d.eventType === type &&
          (JSON.parse(d.payload) as { data: { object: { id: string } } }).data.object.id === id,
        60_000,
      );
  }
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  /**
   * One operation as a careful client runs it: on a contract error it tries again (mutations with
   * the same idempotency key), up to `tries` times. Every attempt is recorded with its outcome.
   */
  async function run<TData, TVars>(
    op: string,
    doc: TypedDocumentNode<TData, TVars>,
    variables: TVars,
    accept: (data: TData) => boolean = () => true,
    tries = 8,
  ): Promise<TData> {
    let last: GqlResponse<TData> | undefined;
    for (let i = 0; i < tries; i++) {
      last = await gql(gw.graphqlUrl, doc, variables, { token: PARTNER_A.apiKey });
      const codes = (last.errors ?? []).map((e) => String(e.extensions?.code));
      const good = !codes.length && last.data && accept(last.data);
      attempts.push({ op, outcome: good ? 'ok' : codes.join(',') || 'not yet' });
      if (good) return last.data!;
    }
    throw new Error(
      `${op} did not succeed in ${tries} tries (SANDBOX_FAULT_SEED=${FAULT_SEED}): ${JSON.stringify(last?.errors)}`,
    );
  }

  async function story(n: number) {
    const tag = `${process.pid}-${Date.now()}-${n}`;
    const customer = (
      await run('createCustomer', CreateCustomerDocument, {
        input: {
          model: 'CUSTOMER',
          email: `resilient.${tag}@example.com`,
          name: 'Resilient',
          idempotencyKey: `cus-${tag}`,
        },
      })
    ).createCustomer.customer;
    const session = (
      await run('createSession', CreateSessionDocument, {
        input: {
          customerId: customer.id,
          permissions: ['BALANCES', 'OWNERSHIP', 'PAYMENT_METHOD', 'TRANSACTIONS'],
          idempotencyKey: `sess-${tag}`,
        },
      })
    ).createFinancialConnectionsSession.session;
    // The end user links outside the gateway (Stripe.js); the sandbox's in-process helper stands in for it.
    const linked = sb.sandbox.completeSession(session.id);

    const dashboard = await run(
      'dashboard',
      CustomerDashboardDocument,
      { id: customer.id },
      (d) => d.customer?.financialAccounts.nodes.length === linked.accounts.length,
    );
    const payable = dashboard.customer!.financialAccounts.nodes.find(
      (a) => a.status === 'ACTIVE' && a.supportedPaymentMethodTypes.includes('us_bank_account'),
    )!;
    expect(payable).toBeDefined();

    // Counted polls would race the refresh (cached answers come back faster than it completes): the story waits
    // for the event, then reads (trying again only when a fault answers).
    const refreshed = deliveredLater('financial_connections.account.refreshed_balance', payable.id);
    await run('refresh', RefreshFinancialAccountDocument, {
      input: { accountId: payable.id, features: ['BALANCE'] },
    });
    await refreshed();
    await run(
      'balance',
      GetFinancialAccountBalanceDocument,
      { id: payable.id },
      (d) => d.financialAccount?.balanceRefresh?.status === 'SUCCEEDED',
    );

    const pi = (
      await run('createPaymentIntent', CreatePaymentIntentDocument, {
        input: {
          customerId: customer.id,
          financialAccountId: payable.id,
          amount: 1234,
          currency: 'usd',
          billingName: 'Resilient Payer',
          idempotencyKey: `pi-${tag}`,
        },
      })
    ).createPaymentIntent.paymentIntent;
    const succeeded = deliveredLater('payment_intent.succeeded', pi.id);
    // Confirm is not idempotent by key from the client; a retry after a lost answer finds the intent
    // already processing, so the client re-reads it instead.
    for (let i = 0; i < 8; i++) {
      const r = await gql(
        gw.graphqlUrl,
        ConfirmPaymentIntentDocument,
        { input: { paymentIntentId: pi.id } },
        { token: PARTNER_A.apiKey },
      );
      const codes = (r.errors ?? []).map((e) => String(e.extensions?.code));
      attempts.push({ op: 'confirm', outcome: codes.length ? codes.join(',') : 'ok' });
      if (!codes.length) break;
      const now = await gql(
        gw.graphqlUrl,
        PaymentIntentStatusDocument,
        { id: pi.id },
        { token: PARTNER_A.apiKey },
      );
      if (now.data?.paymentIntent && now.data.paymentIntent.status !== 'REQUIRES_CONFIRMATION') break;
    }
    await succeeded();
    await run(
      'paymentStatus',
      PaymentIntentStatusDocument,
      { id: pi.id },
      (d) => d.paymentIntent?.status === 'SUCCEEDED',
    );
    return { customerId: customer.id, sessionId: session.id, paymentIntentId: pi.id, tag };
  }

  describe('each kind of fault on every request', () => {
    const ACCOUNT_READ = 'query($id: ID!) { financialAccount(id: $id) { id } }';
    const UNKNOWN_ACCOUNT = 'fca_NeverLinked000000000000';
    const ATTEMPTS = 3; // the first one and STRIPE_MAX_RETRIES (2) retries
    /** One read that needs Stripe, and the statuses the sandbox answered its attempts with. */
    async function readUnder(setUp: () => void) {
      sb.sandbox.clearRequestLog();
      setUp();
      try {
        const r = await gql(
          gw.graphqlUrl,
          ACCOUNT_READ,
          { id: UNKNOWN_ACCOUNT },
          { token: PARTNER_A.apiKey },
        );
        const attempts = sb.sandbox.requestLog.filter(
          (e) => e.path === `/v1/financial_connections/accounts/${UNKNOWN_ACCOUNT}`,
        );
        return { r, statuses: attempts.map((e) => e.status) };
      } finally {
        sb.sandbox.setFaults(RANDOM_FAULTS);
        sb.sandbox.setRateLimit(RATE_LIMIT);
      }
    }

    it('should retry a 503 and then answer UPSTREAM_UNAVAILABLE', async () => {
      const { r, statuses } = await readUnder(() => sb.sandbox.setFaults({ errorRate: 1, errorStatus: 503 }));
      expect(statuses).toEqual(Array(ATTEMPTS).fill(503));
      expect(errorCodes(r)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(r.data).toEqual({ financialAccount: null });
    });

    it('should retry a dropped connection and then answer UPSTREAM_UNAVAILABLE', async () => {
      const { r, statuses } = await readUnder(() => sb.sandbox.setFaults({ dropRate: 1 }));
      expect(statuses).toEqual(Array(ATTEMPTS).fill(-1));
      expect(errorCodes(r)).toEqual(['UPSTREAM_UNAVAILABLE']);
    });

    it("should retry Stripe's 429 and then answer UPSTREAM_RATE_LIMITED", async () => {
      const { r, statuses } = await readUnder(() => {
        sb.sandbox.setFaults(null);
        sb.sandbox.setRateLimit({ requestsPerSecond: 0 }); // every request is over the budget
      });
      expect(statuses).toEqual(Array(ATTEMPTS).fill(429));
      expect(errorCodes(r)).toEqual(['UPSTREAM_RATE_LIMITED']);
    });

    it('should answer NOT_FOUND for the same read once nothing fails', async () => {
      const { r, statuses } = await readUnder(() => {
        sb.sandbox.setFaults(null);
        sb.sandbox.setRateLimit(null);
      });
      expect(statuses).toEqual([404]);
      expect(errorCodes(r)).toEqual(['NOT_FOUND']);
    });
  });

  it('should finish three concurrent stories with every attempt right or a contract error, creating nothing twice', async () => {
    sb.sandbox.clearRequestLog();
    const done = await Promise.all([story(1), story(2), story(3)]);

    // Every attempt ended right, not yet (a refresh or payment still under way) or with contract codes only.
    const nonContract = attempts.flatMap((a) =>
      a.outcome === 'ok' || a.outcome === 'not yet'
        ? []
        : a.outcome
            .split(',')
            .filter((code) => !CONTRACT_CODES.has(code))
            .map((code) => `${a.op}: ${code}`),
    );
    expect({ seed: FAULT_SEED, nonContract }).toEqual({ seed: FAULT_SEED, nonContract: [] });
    // The faults really were in the way: the sandbox answered some requests with a 503, a 429 or a dropped connection.
    const statuses = new Set(sb.sandbox.requestLog.map((e) => e.status));
    expect([503, -1].filter((s) => statuses.has(s))).toEqual([503, -1]);

    // Exactly one PaymentIntent, one session and one customer per story, however often requests were retried.
    for (const d of done) {
      const intents = sb.sandbox.store.paymentIntents
        .newestFirst()
        .filter((pi) => pi.customer === d.customerId);
      expect(intents.map((pi) => pi.id)).toEqual([d.paymentIntentId]);
    }
    const created = (path: string) =>
      sb.sandbox.requestLog.filter(
        (e) => e.method === 'POST' && e.path === path && e.status === 200 && !e.replayed,
      );
    expect(created('/v1/payment_intents')).toHaveLength(3);
    expect(created('/v1/financial_connections/sessions')).toHaveLength(3);
    expect(created('/v1/customers')).toHaveLength(3);
    expect(crashes).toEqual([]);
  }, 240_000);
});
