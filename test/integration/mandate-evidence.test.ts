// Whose acceptance a mandate records: behind a real HTTP proxy hop that TRUST_PROXY trusts, the client's address
// (not the proxy's); without TRUST_PROXY, the socket's; a partner's `mandate` input when its server passes the end
// user's evidence on; a customer token may not override its own request's evidence; and the one rule set
// (services/domain/mandate-evidence.ts) refusing the same evidence alike on confirmPaymentIntent and createSetupIntent,
// with nothing written upstream.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const USER_AGENT = 'MandateEvidenceTest/1.0 (jest)';
/** The test client connects from this loopback address, so it differs from the proxy's own (127.0.0.1). */
const CLIENT_ADDRESS = '127.0.0.2';

interface GqlResult {
  data?: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { message: string; extensions?: { code?: string; field?: string; reason?: string } }[];
}

/** POST /graphql over node:http from `CLIENT_ADDRESS` (fetch cannot pick its local address). */
function post(
  url: string,
  query: string,
  variables: unknown,
  headers: Record<string, string>,
): Promise<GqlResult> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/graphql`,
      {
        method: 'POST',
        localAddress: CLIENT_ADDRESS,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text) as GqlResult));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A reverse proxy as load balancers behave: it appends its peer's address to X-Forwarded-For. */
function forwardingProxy(target: string): Promise<{ url: string; server: Server }> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const prior = req.headers['x-forwarded-for'];
    const headers = {
      ...req.headers,
      'x-forwarded-for': [prior, req.socket.remoteAddress].filter(Boolean).join(', '),
    };
    const up = httpRequest(
      { host: t.hostname, port: t.port, path: req.url, method: req.method, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

const CREATE_CUSTOMER = `mutation { createCustomer(input: { name: "Jenny Payer" }) { customer { id } } }`;
const CREATE_SESSION = `mutation($input: CreateFinancialConnectionsSessionInput!) {
  createFinancialConnectionsSession(input: $input) { session { id } } }`;
const CREATE_PI = `mutation($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id } } }`;
const CONFIRM_PI = `mutation($input: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $input) {
  paymentIntent { id status } mandateEvidence { source ipAddress userAgent acceptedAt } } }`;
const CREATE_SI = `mutation($input: CreateSetupIntentInput!) { createSetupIntent(input: $input) {
  setupIntent { id } mandateEvidence { source ipAddress userAgent acceptedAt } } }`;
const CREATE_TOKEN = `mutation($input: CreateCustomerTokenInput!) { createCustomerToken(input: $input) { token } }`;

function ok(r: GqlResult) {
  expect(r.errors).toBeUndefined();
  return r.data!;
}

let keySeq = 0;

/** A partner-A customer with a linked checking account (payment permission) and an unconfirmed payment on it. */
async function unconfirmedPaymentOf(
  sb: StartedSandbox,
  asPartner: (query: string, variables?: unknown) => Promise<GqlResult>,
) {
  const customerId = ok(await asPartner(CREATE_CUSTOMER)).createCustomer.customer.id as string;
  const sessionId = ok(
    await asPartner(CREATE_SESSION, { input: { customerId, permissions: ['PAYMENT_METHOD'] } }),
  ).createFinancialConnectionsSession.session.id as string;
  const completed = await sb.stripe.rawRequest(
    'POST',
    `/v1/test_helpers/financial_connections/sessions/${sessionId}/complete`,
    { accounts: ['checking'] },
  );
  const accountId = (completed as unknown as { accounts: { data: { id: string }[] } }).accounts.data[0].id;
  const paymentIntentId = ok(
    await asPartner(CREATE_PI, {
      input: {
        customerId,
        financialAccountId: accountId,
        amount: 1_000,
        currency: 'usd',
        billingName: 'Jenny Payer',
        idempotencyKey: `mandate-evidence-${++keySeq}`,
      },
    }),
  ).createPaymentIntent.paymentIntent.id as string;
  return { customerId, accountId, paymentIntentId };
}

describe('mandate evidence', () => {
  let sb: StartedSandbox;
  let trusting: StartedGateway;
  let plain: StartedGateway;
  let proxyToTrusting: { url: string; server: Server };
  let proxyToPlain: { url: string; server: Server };

  beforeAll(async () => {
    sb = await startSandbox();
    trusting = await startGateway({ STRIPE_API_BASE: sb.url, TRUST_PROXY: '1' });
    plain = await startGateway({ STRIPE_API_BASE: sb.url });
    proxyToTrusting = await forwardingProxy(trusting.url);
    proxyToPlain = await forwardingProxy(plain.url);
  });
  afterAll(async () => {
    for (const p of [proxyToTrusting, proxyToPlain]) await new Promise((r) => p?.server.close(r));
    await trusting?.close();
    await plain?.close();
    await sb?.close();
  });

  const asPartner = (url: string, query: string, variables?: unknown, headers: Record<string, string> = {}) =>
    post(url, query, variables, { authorization: `Bearer ${PARTNER_A.apiKey}`, ...headers });

  const unconfirmedPayment = (url: string) =>
    unconfirmedPaymentOf(sb, (query, variables) => asPartner(url, query, variables));

  /** The online acceptance the sandbox recorded for the mandate of `paymentIntentId`. */
  function recordedAcceptance(paymentIntentId: string) {
    const stored = sb.sandbox.store.paymentIntents.get(paymentIntentId)!;
    const mandate = sb.sandbox.store.mandates
      .newestFirst()
      .find((m) => m.payment_method === stored.payment_method);
    return (mandate as unknown as { customer_acceptance: { online: unknown; accepted_at: number } })
      .customer_acceptance;
  }

  it('records the client address behind a trusted proxy hop (TRUST_PROXY=1), not the proxy’s or a spoofed one', async () => {
    const { paymentIntentId } = await unconfirmedPayment(proxyToTrusting.url);
    // The client claims another address itself; only the hop the proxy appended is believed.
    const r = ok(
      await asPartner(
        proxyToTrusting.url,
        CONFIRM_PI,
        { input: { paymentIntentId } },
        { 'x-forwarded-for': '6.6.6.6' },
      ),
    );
    expect(r.confirmPaymentIntent.mandateEvidence).toMatchObject({
      source: 'REQUEST',
      ipAddress: CLIENT_ADDRESS,
      userAgent: USER_AGENT,
    });
    expect(recordedAcceptance(paymentIntentId).online).toEqual({
      ip_address: CLIENT_ADDRESS,
      user_agent: USER_AGENT,
    });
    expect(
      trusting.logs.some((l) => l.includes('"mandateEvidence":"REQUEST"') && l.includes(CLIENT_ADDRESS)),
    ).toBe(true);
  });

  it('records the socket’s address without TRUST_PROXY (X-Forwarded-For is not believed)', async () => {
    const { paymentIntentId } = await unconfirmedPayment(proxyToPlain.url);
    ok(await asPartner(proxyToPlain.url, CONFIRM_PI, { input: { paymentIntentId } }));
    expect(recordedAcceptance(paymentIntentId).online).toEqual({
      ip_address: '127.0.0.1',
      user_agent: USER_AGENT,
    });
  });

  it("uses a partner's mandate input, on confirmPaymentIntent and createSetupIntent", async () => {
    const { paymentIntentId, customerId, accountId } = await unconfirmedPayment(plain.url);
    // Half a minute ago: the end user accepted on the partner's page as the payment was made (an acceptance before
    // the payment was created, beyond a minute of clock skew, is refused: test/security/edges.rows.ts).
    const acceptedAt = new Date(Date.now() - 30_000);
    acceptedAt.setMilliseconds(0);
    const mandate = {
      ipAddress: '2001:db8::7',
      userAgent: 'Mozilla/5.0 (end user)',
      acceptedAt: acceptedAt.toISOString(),
    };
    const r = ok(await asPartner(plain.url, CONFIRM_PI, { input: { paymentIntentId, mandate } }));
    expect(r.confirmPaymentIntent.mandateEvidence).toEqual({ source: 'PARTNER', ...mandate });
    expect(recordedAcceptance(paymentIntentId)).toMatchObject({
      accepted_at: Math.floor(acceptedAt.getTime() / 1000),
      online: { ip_address: '2001:db8::7', user_agent: 'Mozilla/5.0 (end user)' },
    });

    const si = ok(
      await asPartner(plain.url, CREATE_SI, {
        input: {
          customerId,
          financialAccountId: accountId,
          billingName: 'Jenny Payer',
          idempotencyKey: 'si-1',
          mandate,
        },
      }),
    ).createSetupIntent;
    expect(si.mandateEvidence).toEqual({ source: 'PARTNER', ...mandate });
    const stored = sb.sandbox.store.setupIntents.get(si.setupIntent.id)!;
    expect(sb.sandbox.store.mandates.get(stored.mandate as string)).toMatchObject({
      customer_acceptance: { online: { ip_address: '2001:db8::7', user_agent: 'Mozilla/5.0 (end user)' } },
    });
  });

  it("refuses a customer token's mandate input with FORBIDDEN on both mutations, and uses its own request's evidence", async () => {
    const { paymentIntentId, customerId, accountId } = await unconfirmedPayment(plain.url);
    const token = ok(await asPartner(plain.url, CREATE_TOKEN, { input: { customerId } })).createCustomerToken
      .token as string;
    const asCustomer = (query: string, variables: unknown) =>
      post(plain.url, query, variables, { authorization: `Bearer ${token}` });
    const forged = { ipAddress: '198.51.100.1', userAgent: 'Forged/1.0' };
    const before = plain.stripeRequests();
    const refused = [
      await asCustomer(CONFIRM_PI, { input: { paymentIntentId, mandate: forged } }),
      await asCustomer(CREATE_SI, {
        input: {
          customerId,
          financialAccountId: accountId,
          billingName: 'Jenny Payer',
          idempotencyKey: 'si-forged',
          mandate: forged,
        },
      }),
    ];
    expect(refused.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([
      ['FORBIDDEN'],
      ['FORBIDDEN'],
    ]);
    expect(plain.stripeRequests()).toBe(before);
    const r = ok(await asCustomer(CONFIRM_PI, { input: { paymentIntentId } }));
    expect(r.confirmPaymentIntent.mandateEvidence).toMatchObject({
      source: 'REQUEST',
      ipAddress: CLIENT_ADDRESS,
    });
  });
});

describe('mandate evidence rules (services/domain/mandate-evidence.ts)', () => {
  let sb: StartedSandbox;
  let wire: RecordingProxy;
  let gw: StartedGateway;
  let seq = 0;

  beforeAll(async () => {
    sb = await startSandbox();
    wire = await startRecordingProxy(sb.url);
    gw = await startGateway({ STRIPE_API_BASE: wire.url, STRIPE_SECRET_KEY: sb.secretKey });
  });
  afterAll(async () => {
    await gw?.close();
    await wire?.close();
    await sb?.close();
  });

  const asPartner = (query: string, variables?: unknown) =>
    post(gw.url, query, variables, { authorization: `Bearer ${PARTNER_A.apiKey}` });
  const writes = () => wire.requests.filter((r) => r.method !== 'GET').length;
  const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
  const HOUR = 3_600_000;

  const linkedAccountWithPayment = () => unconfirmedPaymentOf(sb, asPartner);

  const UA = 'Mozilla/5.0 (end user)';
  /** Partner evidence that breaks one rule, and the field the refusal names on either mutation. */
  const refusedEvidence: [string, () => Record<string, unknown>, string][] = [
    [
      'an address that is not an IP literal',
      () => ({ ipAddress: 'example.com', userAgent: UA }),
      'mandate.ipAddress',
    ],
    ['a blank user agent', () => ({ ipAddress: '203.0.113.9', userAgent: '   ' }), 'mandate.userAgent'],
    [
      'a user agent over 512 characters',
      () => ({ ipAddress: '203.0.113.9', userAgent: 'x'.repeat(513) }),
      'mandate.userAgent',
    ],
    [
      'an acceptance a day in the future',
      () => ({ ipAddress: '203.0.113.9', userAgent: UA, acceptedAt: iso(24 * HOUR) }),
      'mandate.acceptedAt',
    ],
    [
      'an acceptance 25 hours ago',
      () => ({ ipAddress: '203.0.113.9', userAgent: UA, acceptedAt: iso(-25 * HOUR) }),
      'mandate.acceptedAt',
    ],
    [
      'an acceptance in 1970',
      () => ({ ipAddress: '203.0.113.9', userAgent: UA, acceptedAt: '1970-01-01T00:00:00Z' }),
      'mandate.acceptedAt',
    ],
  ];

  describe('refusals', () => {
    it.each(refusedEvidence)(
      'should refuse %s alike on confirmPaymentIntent and createSetupIntent, with no Stripe request',
      async (_what, evidence, field) => {
        const { customerId, accountId, paymentIntentId } = await linkedAccountWithPayment();
        const setupIntentsBefore = sb.sandbox.store.setupIntents.size;
        const before = wire.requests.length;

        const confirm = await asPartner(CONFIRM_PI, { input: { paymentIntentId, mandate: evidence() } });
        const setup = await asPartner(CREATE_SI, {
          input: {
            customerId,
            financialAccountId: accountId,
            billingName: 'Jenny Payer',
            idempotencyKey: `rules-si-${++seq}`,
            mandate: evidence(),
          },
        });

        const answer = (r: GqlResult) =>
          r.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.extensions?.reason]);
        expect(answer(confirm)).toEqual([['BAD_USER_INPUT', field, undefined]]);
        expect(answer(setup)).toEqual(answer(confirm));
        expect(wire.requests.slice(before)).toEqual([]);
        expect(sb.sandbox.store.setupIntents.size).toBe(setupIntentsBefore);
        expect(sb.sandbox.store.paymentIntents.get(paymentIntentId)!.status).toBe('requires_confirmation');
      },
    );

    it.each([
      ['a day in the future', () => iso(24 * HOUR)],
      ['25 hours ago', () => iso(-25 * HOUR)],
      ['in 1970', () => '1970-01-01T00:00:00Z'],
    ])(
      'should refuse confirmPaymentIntent’s mandateAcceptedAt %s by the same rules, with no Stripe request',
      async (_when, at) => {
        const { paymentIntentId } = await linkedAccountWithPayment();
        const before = wire.requests.length;
        const r = await asPartner(CONFIRM_PI, { input: { paymentIntentId, mandateAcceptedAt: at() } });
        expect(r.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
          ['BAD_USER_INPUT', 'mandateAcceptedAt'],
        ]);
        expect(wire.requests.slice(before)).toEqual([]);
      },
    );

    it('should refuse an acceptance before the payment was created (beyond 60 s of skew), writing nothing', async () => {
      const { paymentIntentId } = await linkedAccountWithPayment();
      const created = sb.sandbox.store.paymentIntents.get(paymentIntentId)!.created as number;
      const writesBefore = writes();
      const r = await asPartner(CONFIRM_PI, {
        input: {
          paymentIntentId,
          mandate: {
            ipAddress: '203.0.113.9',
            userAgent: UA,
            acceptedAt: new Date((created - 120) * 1000).toISOString(),
          },
        },
      });
      expect(r.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
        ['BAD_USER_INPUT', 'mandate.acceptedAt'],
      ]);
      // The ownership lookup reads the payment (its `created` is the bound); nothing is written.
      expect(writes()).toBe(writesBefore);
      expect(sb.sandbox.store.paymentIntents.get(paymentIntentId)!.status).toBe('requires_confirmation');
    });
  });

  describe('acceptance', () => {
    it('should save a mandate accepted 30 s ago with createSetupIntent, with that time at Stripe', async () => {
      const { customerId, accountId } = await linkedAccountWithPayment();
      const acceptedAt = new Date(Date.now() - 30_000);
      acceptedAt.setMilliseconds(0);
      const si = ok(
        await asPartner(CREATE_SI, {
          input: {
            customerId,
            financialAccountId: accountId,
            billingName: 'Jenny Payer',
            idempotencyKey: `rules-si-${++seq}`,
            mandate: { ipAddress: '203.0.113.9', userAgent: UA, acceptedAt: acceptedAt.toISOString() },
          },
        }),
      ).createSetupIntent;
      expect(si.mandateEvidence).toEqual({
        source: 'PARTNER',
        ipAddress: '203.0.113.9',
        userAgent: UA,
        acceptedAt: acceptedAt.toISOString(),
      });
      const stored = sb.sandbox.store.setupIntents.get(si.setupIntent.id)!;
      expect(sb.sandbox.store.mandates.get(stored.mandate as string)).toMatchObject({
        customer_acceptance: { accepted_at: Math.floor(acceptedAt.getTime() / 1000) },
      });
    });
  });
});
