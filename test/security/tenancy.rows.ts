// Cross-tenant rows: every query, mutation and subscription tried with another partner's and another customer's ids.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { once } from 'node:events';
import {
  PARTNER_A,
  PARTNER_B,
  codes,
  init,
  post,
  settled,
  subscribe,
  wsSession,
  type Harness,
  type HttpProbe,
  type TenantObjects,
  type Tenants,
} from './harness';
import { asHttp, asWs, wsErrors, type AttackRow } from './rows';

/** Runs one operation through the `dev` gateway and returns `data`, throwing on any error. */
async function must<T = Record<string, unknown>>(
  h: Harness,
  token: string,
  query: string,
  variables?: unknown,
): Promise<T> {
  const r = await post(h.gw(), query, { token, variables });
  if (r.json?.errors?.length || !r.json?.data) {
    throw new Error(`set-up operation failed (${r.status}): ${JSON.stringify(r.json?.errors ?? r.text)}`);
  }
  return r.json.data as T;
}

async function tenant(h: Harness, partnerKey: string, label: string): Promise<TenantObjects> {
  const { createCustomer } = await must<{ createCustomer: { customer: { id: string } } }>(
    h,
    partnerKey,
    'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
    { i: { email: `${label}@example.com`, name: `Security ${label}` } },
  );
  const customerId = createCustomer.customer.id;
  const { createCustomerToken } = await must<{ createCustomerToken: { token: string } }>(
    h,
    partnerKey,
    'mutation($i: CreateCustomerTokenInput!) { createCustomerToken(input: $i) { token } }',
    { i: { customerId, ttlSeconds: 3600 } },
  );
  h.secrets.add(createCustomerToken.token);
  const { createFinancialConnectionsSession: s } = await must<{
    createFinancialConnectionsSession: { session: { id: string }; clientSecret: string };
  }>(
    h,
    partnerKey,
    'mutation($i: CreateFinancialConnectionsSessionInput!) { createFinancialConnectionsSession(input: $i) { session { id } clientSecret } }',
    { i: { customerId, permissions: ['BALANCES', 'OWNERSHIP', 'PAYMENT_METHOD', 'TRANSACTIONS'] } },
  );
  h.secrets.add(s.clientSecret);
  const completed = h.sandbox.sandbox.completeSession(s.session.id);
  const accountId = completed.accounts[0].id;
  const out: TenantObjects = {
    partnerKey,
    customerId,
    customerToken: createCustomerToken.token,
    sessionId: s.session.id,
    accountId,
  };
  // Payments are optional set-up: rows that need them say so in their own failure.
  try {
    const { createPaymentIntent } = await must<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
      h,
      partnerKey,
      'mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }',
      {
        i: {
          customerId,
          financialAccountId: accountId,
          amount: 1000,
          billingName: `Security ${label}`,
          idempotencyKey: randomUUID(),
        },
      },
    );
    out.paymentIntentId = createPaymentIntent.paymentIntent.id;
    const { createSetupIntent } = await must<{
      createSetupIntent: {
        setupIntent: { id: string; paymentMethod: { id: string }; mandate: { id: string } };
      };
    }>(
      h,
      partnerKey,
      'mutation($i: CreateSetupIntentInput!) { createSetupIntent(input: $i) { setupIntent { id paymentMethod { id } mandate { id } } } }',
      {
        i: {
          customerId,
          financialAccountId: accountId,
          billingName: `Security ${label}`,
          idempotencyKey: randomUUID(),
        },
      },
    );
    out.setupIntentId = createSetupIntent.setupIntent.id;
    out.paymentMethodId = createSetupIntent.setupIntent.paymentMethod.id;
    out.mandateId = createSetupIntent.setupIntent.mandate.id;
  } catch (e) {
    const failed = h.sandbox.sandbox.requestLog.filter((x) => x.status >= 500).slice(-3);
    out.setupError = `payments: ${(e as Error).message} (sandbox 5xx: ${JSON.stringify(failed)})`;
  }
  // A transaction: the account's history loads on its first transactions refresh (started through the gateway).
  try {
    const refreshed = h.sandbox.sandbox.waitForEvent(
      (e) =>
        e.type === 'financial_connections.account.refreshed_transactions' &&
        (e.data.object as { id?: string }).id === accountId,
      10_000,
    );
    await must(
      h,
      partnerKey,
      'mutation($id: ID!) { refreshFinancialAccount(input: { accountId: $id, features: [TRANSACTIONS] }) { financialAccount { id } } }',
      { id: accountId },
    );
    await refreshed;
    out.transactionId = h.sandbox.sandbox.store.fcAccounts.get(accountId)?.transactions[0]?.id;
  } catch (e) {
    out.setupError = `${out.setupError ?? ''} transactions: ${(e as Error).message}`;
  }
  // The account's ownership and an owner (node(id) rows): an ownership refresh, then their ids as the API gives them.
  try {
    const refreshed = h.sandbox.sandbox.waitForEvent(
      (e) =>
        e.type === 'financial_connections.account.refreshed_ownership' &&
        (e.data.object as { id?: string }).id === accountId,
      10_000,
    );
    await must(
      h,
      partnerKey,
      'mutation($id: ID!) { refreshFinancialAccount(input: { accountId: $id, features: [OWNERSHIP] }) { financialAccount { id } } }',
      { id: accountId },
    );
    await refreshed;
    const { financialAccount } = await must<{
      financialAccount: { ownership: { id: string; owners: { nodes: { id: string }[] } } | null };
    }>(
      h,
      partnerKey,
      'query($id: ID!) { financialAccount(id: $id) { ownership { id owners(first: 1) { nodes { id } } } } }',
      { id: accountId },
    );
    out.ownershipId = financialAccount.ownership?.id;
    out.ownerId = financialAccount.ownership?.owners.nodes[0]?.id;
  } catch (e) {
    out.setupError = `${out.setupError ?? ''} ownership: ${(e as Error).message}`;
  }
  return out;
}

/** Creates partner A's customer (a), a second customer of A (a2) and partner B's customer (b). */
export async function setUpTenants(h: Harness): Promise<Tenants & { error?: string }> {
  try {
    const a = await tenant(h, PARTNER_A.apiKey, 'tenant-a');
    const a2 = await tenant(h, PARTNER_A.apiKey, 'tenant-a2');
    const b = await tenant(h, PARTNER_B.apiKey, 'tenant-b');
    // The refreshes started above are followed by the gateway's refresh poller; wait until it is idle
    // so that its Stripe requests do not land in the per-row counts.
    const poller = h.gw().gateway.live.poller;
    while (poller.size > 0) await once(poller, 'settled');
    return { ready: true, a, a2, b };
  } catch (e) {
    const empty = {} as TenantObjects;
    return { ready: false, a: empty, a2: empty, b: empty, error: (e as Error).message };
  }
}

/** Whether the response denies access exactly as for an id that does not exist. */
async function deniedLikeMissing(h: Harness, victim: HttpProbe, missing: () => Promise<HttpProbe>) {
  expect(codes(victim)).toContain('NOT_FOUND');
  const m = await missing();
  expect(victim.status).toBe(m.status);
  expect(codes(victim)).toEqual(codes(m));
  // Same message once the id itself is blanked: nothing tells "exists elsewhere" from "does not exist".
  const blank = (p: HttpProbe) =>
    (p.json?.errors ?? []).map((e) => e.message.replace(/\b[a-z]{2,8}_[A-Za-z0-9]+\b/g, '<id>'));
  expect(blank(victim)).toEqual(blank(m));
  expect(JSON.stringify(victim.json?.data ?? null)).toBe(JSON.stringify(m.json?.data ?? null));
}

type Who = 'partnerB' | 'customerA2';
const tokenOf = (h: Harness, who: Who) =>
  who === 'partnerB' ? PARTNER_B.apiKey : h.tenants.a2.customerToken;
const WHO_TEXT: Record<Who, string> = {
  partnerB: "partner B with partner A's",
  customerA2: "another customer of partner A (customer token) with customer A's",
};

/** The fake id of the same kind (each segment of a qualified one), for the "looks exactly like a missing object" comparison. */
const missingId = (id: string) =>
  id
    .split('.')
    .map((segment) => `${segment.slice(0, segment.indexOf('_'))}_DoesNotExist0000`)
    .join('.');

interface ProbeSpec {
  id: string;
  what: string;
  /** Victim object id (of tenant a). */
  target: (t: TenantObjects) => string | undefined;
  query: string;
  vars: (id: string, h: Harness, who: Who) => Record<string, unknown>;
  who: Who[];
  /**
   * The Stripe calls each attacker's probe makes on a cold cache: the lookups that tell whose the object is. A
   * customer token is refused without one where the id is a customer (the token names its own); a partner key needs
   * the customer's record to know its partner. The off-session rows (AU5h, AU5i) also read the victim's customer,
   * which is one more than needed: the method's or mandate's owner already differs from the paying customer.
   */
  calls: Partial<Record<Who, readonly string[]>>;
}

const ACCOUNT = 'GET /v1/financial_connections/accounts/{id}';
const CUSTOMER = 'GET /v1/customers/{id}';
const SESSION = 'GET /v1/financial_connections/sessions/{id}';
const TRANSACTION = 'GET /v1/financial_connections/transactions/{id}';
const PAYMENT = 'GET /v1/payment_intents/{id}';
const SETUP = 'GET /v1/setup_intents/{id}';
const METHOD = 'GET /v1/payment_methods/{id}';
const MANDATE = 'GET /v1/mandates/{id}';

const Q = (field: string, sel = 'id') => `query($id: ID!) { ${field}(id: $id) { ${sel} } }`;

const SPECS: ProbeSpec[] = [
  {
    id: 'AU2a',
    what: 'customer(id)',
    target: (t) => t.customerId,
    query: Q('customer'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [CUSTOMER], customerA2: [] },
  },
  {
    id: 'AU2b',
    what: 'financialAccount(id)',
    target: (t) => t.accountId,
    query: Q('financialAccount'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU2c',
    what: 'financialConnectionsSession(id)',
    target: (t) => t.sessionId,
    query: Q('financialConnectionsSession'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [SESSION], customerA2: [SESSION] },
  },
  {
    id: 'AU2d',
    what: 'transaction(id)',
    target: (t) => t.transactionId,
    query: Q('transaction'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [TRANSACTION, ACCOUNT], customerA2: [TRANSACTION, ACCOUNT] },
  },
  {
    id: 'AU2e',
    what: 'paymentIntent(id)',
    target: (t) => t.paymentIntentId,
    query: Q('paymentIntent'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [PAYMENT], customerA2: [PAYMENT] },
  },
  {
    id: 'AU2f',
    what: 'setupIntent(id)',
    target: (t) => t.setupIntentId,
    query: Q('setupIntent'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [SETUP], customerA2: [SETUP] },
  },
  {
    id: 'AU3a',
    what: 'node(id) on an account',
    target: (t) => t.accountId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU3b',
    what: 'node(id) on a customer',
    target: (t) => t.customerId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [CUSTOMER], customerA2: [] },
  },
  {
    id: 'AU3e',
    what: 'node(id) on a session',
    target: (t) => t.sessionId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [SESSION], customerA2: [SESSION] },
  },
  {
    id: 'AU3f',
    what: 'node(id) on a transaction',
    target: (t) => t.transactionId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [TRANSACTION, ACCOUNT], customerA2: [TRANSACTION, ACCOUNT] },
  },
  {
    id: 'AU3g',
    what: 'node(id) on a PaymentIntent',
    target: (t) => t.paymentIntentId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [PAYMENT], customerA2: [PAYMENT] },
  },
  {
    id: 'AU3c',
    what: 'financialConnectionsSession { accounts } (the account through another edge)',
    target: (t) => t.sessionId,
    query: Q('financialConnectionsSession', 'accounts { nodes { id } }'),
    vars: (id) => ({ id }),
    who: ['partnerB'],
    calls: { partnerB: [SESSION] },
  },
  {
    id: 'AU3d',
    what: 'financialAccount { accountHolder { customer } } (the customer through another edge)',
    target: (t) => t.accountId,
    query: Q('financialAccount', 'accountHolder { customer { id email } }'),
    vars: (id) => ({ id }),
    who: ['partnerB'],
    calls: { partnerB: [ACCOUNT] },
  },
  {
    id: 'AU4a',
    what: 'disconnectFinancialAccount',
    target: (t) => t.accountId,
    query:
      'mutation($id: ID!) { disconnectFinancialAccount(input: { accountId: $id }) { financialAccount { id } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU4b',
    what: 'refreshFinancialAccount',
    target: (t) => t.accountId,
    query:
      'mutation($id: ID!) { refreshFinancialAccount(input: { accountId: $id, features: [BALANCE] }) { financialAccount { id } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU4c',
    what: 'subscribeFinancialAccount',
    target: (t) => t.accountId,
    query:
      'mutation($id: ID!) { subscribeFinancialAccount(input: { accountId: $id }) { financialAccount { id } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU4d',
    what: 'unsubscribeFinancialAccount',
    target: (t) => t.accountId,
    query:
      'mutation($id: ID!) { unsubscribeFinancialAccount(input: { accountId: $id }) { financialAccount { id } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU5a',
    what: 'createFinancialConnectionsSession for the victim customer',
    target: (t) => t.customerId,
    query:
      'mutation($id: ID!) { createFinancialConnectionsSession(input: { customerId: $id, permissions: [BALANCES] }) { clientSecret session { id } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [CUSTOMER], customerA2: [] },
  },
  {
    id: 'AU5b',
    what: 'createCustomerToken for the victim customer',
    target: (t) => t.customerId,
    query: 'mutation($id: ID!) { createCustomerToken(input: { customerId: $id }) { token } }',
    vars: (id) => ({ id }),
    who: ['partnerB'],
    calls: { partnerB: [CUSTOMER] },
  },
  {
    id: 'AU5c',
    what: "createPaymentIntent debiting the victim's account",
    target: (t) => t.accountId,
    query:
      'mutation($c: ID!, $id: ID!, $k: String!) { createPaymentIntent(input: { customerId: $c, financialAccountId: $id, amount: 500, billingName: "Mallory", idempotencyKey: $k }) { paymentIntent { id } } }',
    vars: (id, h, who) => ({
      id,
      c: who === 'partnerB' ? h.tenants.b.customerId : h.tenants.a2.customerId,
      k: randomUUID(),
    }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [CUSTOMER, ACCOUNT], customerA2: [CUSTOMER, ACCOUNT] },
  },
  {
    id: 'AU5d',
    what: "createSetupIntent on the victim's account",
    target: (t) => t.accountId,
    query:
      'mutation($c: ID!, $id: ID!, $k: String!) { createSetupIntent(input: { customerId: $c, financialAccountId: $id, billingName: "Mallory", idempotencyKey: $k }) { setupIntent { id } } }',
    vars: (id, h, who) => ({
      id,
      c: who === 'partnerB' ? h.tenants.b.customerId : h.tenants.a2.customerId,
      k: randomUUID(),
    }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [CUSTOMER, ACCOUNT], customerA2: [CUSTOMER, ACCOUNT] },
  },
  {
    id: 'AU5e',
    what: "confirmPaymentIntent on the victim's payment",
    target: (t) => t.paymentIntentId,
    query:
      'mutation($id: ID!) { confirmPaymentIntent(input: { paymentIntentId: $id }) { paymentIntent { id status } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [PAYMENT], customerA2: [PAYMENT] },
  },
  {
    id: 'AU5f',
    what: "cancelPaymentIntent on the victim's payment",
    target: (t) => t.paymentIntentId,
    query:
      'mutation($id: ID!) { cancelPaymentIntent(input: { paymentIntentId: $id }) { paymentIntent { id status } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [PAYMENT], customerA2: [PAYMENT] },
  },
  {
    id: 'AU2g',
    what: 'paymentMethod(id) { mandate } (a saved bank account and its mandate)',
    target: (t) => t.paymentMethodId,
    query: Q('paymentMethod', 'id last4 bankName mandate { id status }'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [METHOD, CUSTOMER], customerA2: [METHOD] },
  },
  {
    id: 'AU2h',
    what: 'mandate(id)',
    target: (t) => t.mandateId,
    query: Q('mandate', 'id status paymentMethod { id }'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [MANDATE, CUSTOMER], customerA2: [MANDATE] },
  },
  {
    id: 'AU3h',
    what: 'node(id) on a PaymentMethod',
    target: (t) => t.paymentMethodId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [METHOD, CUSTOMER], customerA2: [METHOD] },
  },
  {
    id: 'AU3i',
    what: 'node(id) on a Mandate',
    target: (t) => t.mandateId,
    query: Q('node', '__typename id'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [MANDATE, CUSTOMER], customerA2: [MANDATE] },
  },
  {
    id: 'AU3l',
    what: 'node(id) on an Ownership (qualified by its account)',
    target: (t) => t.ownershipId,
    query: Q('node', '__typename id ... on Ownership { created owners { nodes { name } } }'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU3m',
    what: 'node(id) on an AccountOwner (qualified by its account)',
    target: (t) => t.ownerId,
    query: Q('node', '__typename id ... on AccountOwner { name email }'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
  },
  {
    id: 'AU3j',
    what: 'customer { paymentMethods } (saved accounts through the customer)',
    target: (t) => t.customerId,
    query: Q('customer', 'paymentMethods { nodes { id last4 } }'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [CUSTOMER], customerA2: [] },
  },
  {
    id: 'AU3k',
    what: 'setupIntent { paymentMethod mandate } (the saved account through its SetupIntent)',
    target: (t) => t.setupIntentId,
    query: Q('setupIntent', 'paymentMethod { id } mandate { id }'),
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [SETUP], customerA2: [SETUP] },
  },
  {
    id: 'AU5g',
    what: "detachPaymentMethod on the victim's saved account",
    target: (t) => t.paymentMethodId,
    query:
      'mutation($id: ID!) { detachPaymentMethod(input: { paymentMethodId: $id }) { paymentMethod { id attached } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [METHOD, CUSTOMER], customerA2: [METHOD] },
  },
  {
    id: 'AU5h',
    what: "off-session createPaymentIntent for the attacker's customer from the victim's saved account and mandate",
    target: (t) => t.paymentMethodId,
    query:
      'mutation($c: ID!, $id: ID!, $m: ID!, $k: String!) { createPaymentIntent(input: { customerId: $c, paymentMethodId: $id, mandateId: $m, offSession: true, amount: 500, idempotencyKey: $k }) { paymentIntent { id } } }',
    vars: (id, h, who) => ({
      id,
      m: h.tenants.a.mandateId,
      c: who === 'partnerB' ? h.tenants.b.customerId : h.tenants.a2.customerId,
      k: randomUUID(),
    }),
    who: ['partnerB'], // a customer token's off-session debit is FORBIDDEN before any lookup (PA4)
    calls: { partnerB: [CUSTOMER, METHOD, CUSTOMER] },
  },
  {
    id: 'AU5i',
    what: "off-session createPaymentIntent from the attacker's own saved account under the victim's mandate",
    target: (t) => t.mandateId,
    query:
      'mutation($c: ID!, $p: ID!, $id: ID!, $k: String!) { createPaymentIntent(input: { customerId: $c, paymentMethodId: $p, mandateId: $id, offSession: true, amount: 500, idempotencyKey: $k }) { paymentIntent { id } } }',
    vars: (id, h, who) => {
      const own = who === 'partnerB' ? h.tenants.b : h.tenants.a2;
      return { id, c: own.customerId, p: own.paymentMethodId, k: randomUUID() };
    },
    who: ['partnerB'], // a customer token's off-session debit is FORBIDDEN before any lookup (PA4)
    calls: { partnerB: [CUSTOMER, METHOD, MANDATE, CUSTOMER] },
  },
  {
    id: 'AU5j',
    what: "verifyMicrodeposits on the victim's PaymentIntent",
    target: (t) => t.paymentIntentId,
    query:
      'mutation($id: ID!) { verifyMicrodeposits(input: { intentId: $id, amounts: [32, 45] }) { paymentIntent { id status } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [PAYMENT], customerA2: [PAYMENT] },
  },
  {
    id: 'AU5k',
    what: "verifyMicrodeposits on the victim's SetupIntent",
    target: (t) => t.setupIntentId,
    query:
      'mutation($id: ID!) { verifyMicrodeposits(input: { intentId: $id, descriptorCode: "SM11AA" }) { setupIntent { id status } } }',
    vars: (id) => ({ id }),
    who: ['partnerB', 'customerA2'],
    calls: { partnerB: [SETUP], customerA2: [SETUP] },
  },
];

const crossRows: AttackRow[] = SPECS.flatMap((spec) =>
  spec.who.map((who): AttackRow => ({
    id: `${spec.id}-${who === 'partnerB' ? 'P' : 'C'}`,
    attack: `${spec.what}: ${WHO_TEXT[who]} id`,
    needsTenants: true,
    stripeRequests: spec.calls[who]!,
    run: async (h) => {
      const target = spec.target(h.tenants.a);
      if (!target) throw new Error(`set-up did not produce the victim object: ${h.tenants.a.setupError}`);
      return post(h.gw(), spec.query, { token: tokenOf(h, who), variables: spec.vars(target, h, who) });
    },
    expect: async (p, h) => {
      const target = spec.target(h.tenants.a)!;
      await deniedLikeMissing(h, asHttp(p), () =>
        post(h.gw(), spec.query, { token: tokenOf(h, who), variables: spec.vars(missingId(target), h, who) }),
      );
    },
  })),
);

const partnerOnlyRows: AttackRow[] = [
  {
    id: 'AU10a',
    attack: 'customer token lists customers (partner-only)',
    needsTenants: true,
    run: (h) => post(h.gw(), '{ customers { nodes { id } } }', { token: h.tenants.a.customerToken }),
    expect: (p) => expect(codes(asHttp(p))).toEqual(['FORBIDDEN']),
  },
  {
    id: 'AU10b',
    attack: 'customer token creates a customer (partner-only)',
    needsTenants: true,
    run: (h) =>
      post(h.gw(), 'mutation { createCustomer(input: { email: "m@example.com" }) { customer { id } } }', {
        token: h.tenants.a.customerToken,
      }),
    expect: (p) => expect(codes(asHttp(p))).toEqual(['FORBIDDEN']),
  },
  {
    id: 'AU10c',
    attack: 'customer token mints a token for its own customer (partner-only)',
    needsTenants: true,
    run: (h) =>
      post(h.gw(), 'mutation($id: ID!) { createCustomerToken(input: { customerId: $id }) { token } }', {
        token: h.tenants.a.customerToken,
        variables: { id: h.tenants.a.customerId },
      }),
    expect: (p) => expect(codes(asHttp(p))).toEqual(['FORBIDDEN']),
  },
  {
    id: 'AU10d',
    attack: "partner B's customers list never shows partner A's customers",
    needsTenants: true,
    stripeRequests: ['GET /v1/customers/search'],
    run: (h) => post(h.gw(), '{ customers(first: 100) { nodes { id } } }', { token: PARTNER_B.apiKey }),
    expect: (p, h) => {
      const r = asHttp(p);
      // The list itself answered (an error would hide every customer, A's included) and holds B's own customer.
      expect(r.json?.errors).toBeUndefined();
      const ids = (r.json?.data as { customers: { nodes: { id: string }[] } }).customers.nodes.map(
        (n) => n.id,
      );
      expect(ids).toContain(h.tenants.b.customerId);
      expect(ids).not.toContain(h.tenants.a.customerId);
      expect(ids).not.toContain(h.tenants.a2.customerId);
    },
  },
  {
    id: 'AU9b',
    attack:
      'a session created and read back through a Redis-backed instance: no client secret anywhere in Redis',
    on: 'redisA',
    writes: 'expected',
    // Its own set-up (a customer, a session on it) and the session read back.
    stripeRequests: ['POST /v1/customers', CUSTOMER, 'POST /v1/financial_connections/sessions', SESSION],
    nextAs: () => PARTNER_B.apiKey,
    run: async (h) => {
      const gw = h.gw('redisA');
      const run = async (query: string, variables: unknown) => {
        const r = await post(gw, query, { token: PARTNER_B.apiKey, variables });
        if (r.json?.errors) throw new Error(JSON.stringify(r.json.errors));
        return r;
      };
      const c = await run(
        'mutation { createCustomer(input: { email: "redis-scan@example.com" }) { customer { id } } }',
        {},
      );
      const customerId = (c.json!.data as { createCustomer: { customer: { id: string } } }).createCustomer
        .customer.id;
      const s = await run(
        'mutation($id: ID!) { createFinancialConnectionsSession(input: { customerId: $id, permissions: [BALANCES] }) { session { id } clientSecret } }',
        { id: customerId },
      );
      const created = (
        s.json!.data as {
          createFinancialConnectionsSession: { session: { id: string }; clientSecret: string };
        }
      ).createFinancialConnectionsSession;
      h.secrets.add(created.clientSecret);
      return run('query($id: ID!) { financialConnectionsSession(id: $id) { id permissions } }', {
        id: created.session.id,
      });
    },
    expect: async (p, h) => {
      expect(asHttp(p).text).not.toMatch(/secret/i);
      const redis = new Redis(h.redis.url);
      try {
        const dump: string[] = [];
        for (const key of await redis.keys('*')) {
          const type = await redis.type(key);
          if (type === 'string') dump.push(key, (await redis.get(key)) ?? '');
          else if (type === 'hash') dump.push(key, JSON.stringify(await redis.hgetall(key)));
          else if (type === 'list') dump.push(key, JSON.stringify(await redis.lrange(key, 0, -1)));
          else if (type === 'set') dump.push(key, JSON.stringify(await redis.smembers(key)));
          else if (type === 'zset') dump.push(key, JSON.stringify(await redis.zrange(key, 0, -1)));
          else dump.push(key);
        }
        const text = dump.join('\n');
        expect(dump.length).toBeGreaterThan(0);
        expect(text).not.toMatch(/_secret_/);
        for (const secret of h.secrets) expect(text.includes(secret)).toBe(false);
      } finally {
        redis.disconnect();
      }
    },
  },
  {
    id: 'IN6a',
    attack: 'createFinancialConnectionsSession with returnUrl `javascript:alert(1)`',
    needsTenants: true,
    run: (h) =>
      post(
        h.gw(),
        'mutation($id: ID!) { createFinancialConnectionsSession(input: { customerId: $id, permissions: [BALANCES], returnUrl: "javascript:alert(1)" }) { clientSecret } }',
        { token: PARTNER_A.apiKey, variables: { id: h.tenants.a.customerId } },
      ),
    // Refused on its argument: no lookup of the customer, nothing written.
    expect: (p) => expect(codes(asHttp(p))).toEqual(['BAD_USER_INPUT']),
  },
  {
    id: 'IN6b',
    attack: 'createFinancialConnectionsSession with a plain-http returnUrl',
    needsTenants: true,
    run: (h) =>
      post(
        h.gw(),
        'mutation($id: ID!) { createFinancialConnectionsSession(input: { customerId: $id, permissions: [BALANCES], returnUrl: "http://evil.example/cb" }) { clientSecret } }',
        { token: PARTNER_A.apiKey, variables: { id: h.tenants.a.customerId } },
      ),
    expect: (p) => expect(codes(asHttp(p))).toEqual(['BAD_USER_INPUT']),
  },
  {
    id: 'DS7',
    attack: '15 aliases reading the same account (one upstream read at most: DataLoader dedupe)',
    needsTenants: true,
    stripeRequests: [ACCOUNT],
    run: (h) =>
      post(
        h.gw(),
        `query($id: ID!) { ${Array.from({ length: 15 }, (_, i) => `a${i}: financialAccount(id: $id) { id last4 }`).join(' ')} }`,
        { token: PARTNER_A.apiKey, variables: { id: h.tenants.a.accountId } },
      ),
    expect: (p, h) => {
      const r = asHttp(p);
      expect(r.json?.errors).toBeUndefined();
      expect((r.json?.data as Record<string, { id: string }>).a14.id).toBe(h.tenants.a.accountId);
    },
  },
  {
    id: 'AU9',
    attack: 'reading an own session back never shows its client_secret',
    needsTenants: true,
    stripeRequests: [SESSION],
    run: (h) =>
      post(h.gw(), 'query($id: ID!) { financialConnectionsSession(id: $id) { id accountHolder { type } } }', {
        token: PARTNER_A.apiKey,
        variables: { id: h.tenants.a.sessionId },
      }),
    expect: (p, h) => {
      const r = asHttp(p);
      expect(r.json?.errors).toBeUndefined();
      expect(r.text).toContain(h.tenants.a.sessionId);
      expect(r.text).not.toMatch(/secret/i);
    },
  },
];

const SUBSCRIPTIONS: {
  id: string;
  what: string;
  query: (t: TenantObjects) => string | undefined;
  /** The ownership lookup of each attacker's subscribe (as `calls` of the cross-tenant rows). */
  calls: Record<Who, readonly string[]>;
}[] = [
  {
    id: 'WS5a',
    what: "financialAccountRefreshed on partner A's account",
    calls: { partnerB: [ACCOUNT], customerA2: [ACCOUNT] },
    query: (t) =>
      `subscription { financialAccountRefreshed(accountId: "${t.accountId}") { feature status } }`,
  },
  {
    id: 'WS5b',
    what: "financialAccountUpdated on partner A's customer",
    calls: { partnerB: [CUSTOMER], customerA2: [] },
    query: (t) => `subscription { financialAccountUpdated(customerId: "${t.customerId}") { type } }`,
  },
  {
    id: 'WS5c',
    what: "paymentIntentUpdated on partner A's payment",
    calls: { partnerB: [PAYMENT], customerA2: [PAYMENT] },
    query: (t) =>
      t.paymentIntentId
        ? `subscription { paymentIntentUpdated(paymentIntentId: "${t.paymentIntentId}") { id } }`
        : undefined,
  },
];

const subscriptionRows: AttackRow[] = SUBSCRIPTIONS.flatMap((s) =>
  (['partnerB', 'customerA2'] as Who[]).map((who): AttackRow => ({
    id: `${s.id}-${who === 'partnerB' ? 'P' : 'C'}`,
    attack: `subscription ${s.what} by ${who === 'partnerB' ? 'partner B' : 'another customer of A'}`,
    needsTenants: true,
    stripeRequests: s.calls[who],
    run: (h) => {
      const q = s.query(h.tenants.a);
      if (!q) throw new Error(`set-up did not produce the victim object: ${h.tenants.a.setupError}`);
      return wsSession(h.gw(), {
        awaitAck: true,
        frames: [init(tokenOf(h, who)), subscribe('1', q)],
        until: settled('1'),
      });
    },
    expect: (p) => {
      const w = asWs(p);
      expect(wsErrors(w, '1').map((e) => e.extensions?.code)).toContain('NOT_FOUND');
      expect(w.messages.filter((m) => m.type === 'next' && !(m.payload as { errors?: [] }).errors)).toEqual(
        [],
      );
    },
  })),
);

export const tenancyRows: AttackRow[] = [...crossRows, ...partnerOnlyRows, ...subscriptionRows];
