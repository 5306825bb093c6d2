// Differential test: the fast lane (src/transport/http/fast-lane.ts) answers exactly as Apollo Server does.
//
// Every operation of schema/operations/, the HTTP requests the security rows send (recorded while the rows run)
// and a set of error cases are each sent to two gateways of one configuration, one with GRAPHQL_FAST_LANE=off
// (Apollo Server answers everything) and one with it on, twice each (the first sight of a document goes through
// Apollo and seeds the lane; the second is the lane's). The second answers must agree: status, body, and the
// content-type, retry-after and x-request-id headers.
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { startGateway, type StartedGateway } from '../helpers/gateway';
import { startRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { gatewayEnvs, PARTNER_A, PARTNER_B, type GatewayName, type Harness } from '../security/harness';
import type { AttackRow } from '../security/rows';
import { setUpTenants, tenancyRows } from '../security/tenancy.rows';
import { authRows, corsRows, csrfRows, inputRows, limitRows, rateRows } from '../security/transport.rows';
import { upstreamRows } from '../security/upstream.rows';

/** Configurations compared (the Redis pair and the slow-socket `edges` gateway are not HTTP-request rows). */
const COMPARED: GatewayName[] = ['dev', 'prod', 'rate', 'origin', 'wide'];
const ROWS: AttackRow[] = [
  ...authRows,
  ...inputRows,
  ...csrfRows,
  ...corsRows,
  ...limitRows,
  ...rateRows,
  ...tenancyRows,
  ...upstreamRows,
];

interface Sent {
  label: string;
  on: GatewayName;
  /** Path and query string below the gateway's origin. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** A document of schema/operations/ that must run on the lane when it succeeds. */
  mustUseLane?: boolean;
}

interface Seen {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  requestId: string | null;
  body: string;
}

let sandbox: StartedSandbox;
let redis: Awaited<ReturnType<typeof startRedis>>;
const recorded: Sent[] = [];
const pairs = new Map<GatewayName, { off: StartedGateway; on: StartedGateway }>();
let tenants: Harness['tenants'];

/** Runs the security rows against their own gateways, recording every HTTP request sent to a /graphql URL. */
async function recordSecurityRows(): Promise<void> {
  const gateways = new Map<GatewayName, StartedGateway>();
  const envs = gatewayEnvs(redis.url);
  for (const name of COMPARED) {
    gateways.set(name, await startGateway({ STRIPE_API_BASE: sandbox.url, ...envs[name] }));
  }
  const h = {
    sandbox,
    redis,
    secrets: new Set<string>(),
    gw: (name: GatewayName = 'dev') => {
      const g = gateways.get(name);
      if (!g) throw new Error(`gateway ${name} is not part of the differential test`);
      return g;
    },
  } as Harness;
  h.tenants = await setUpTenants(h);
  tenants = h.tenants;
  const realFetch = globalThis.fetch;
  let current = '';
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const name = [...gateways].find(([, g]) => new URL(g.graphqlUrl).host === url.host)?.[0];
    const body = init?.body;
    if (name && url.pathname === '/graphql' && (body === undefined || typeof body === 'string')) {
      recorded.push({
        label: `${current} #${recorded.length}`,
        on: name,
        path: `${url.pathname}${url.search}`,
        method: init?.method ?? 'GET',
        headers: { ...((init?.headers as Record<string, string> | undefined) ?? {}) },
        body,
      });
    }
    return realFetch(input, init);
  }) as typeof fetch;
  try {
    for (const row of ROWS) {
      if (!COMPARED.includes(row.on ?? 'dev')) continue;
      current = row.id;
      await row.run(h).catch(() => undefined); // the attack suite checks outcomes; here only the requests matter
    }
  } finally {
    globalThis.fetch = realFetch;
    for (const g of gateways.values()) await g.close();
  }
}

/** Variables for an operation of schema/operations/, from the tenant fixtures (partner A, customer a). */
function variablesFor(op: OperationDefinitionNode): Record<string, unknown> {
  const a = tenants.a;
  const root = op.selectionSet.selections[0];
  const rootField = root?.kind === Kind.FIELD ? root.name.value : '';
  const byRoot: Record<string, string | undefined> = {
    customer: a.customerId,
    financialAccount: a.accountId,
    transaction: a.transactionId,
    node: a.accountId,
    financialConnectionsSession: a.sessionId,
    paymentIntent: a.paymentIntentId,
    setupIntent: a.setupIntentId,
  };
  // Writes that change what the other gateway of the pair reads next (a refresh in progress, a confirmed
  // payment) name objects that do not exist: both gateways then answer the same error, from the lane and Apollo.
  const missingAccount = 'fca_differentialMissing';
  const mandate = { ipAddress: '203.0.113.7', userAgent: 'differential-test' };
  const inputs: Record<string, unknown> = {
    CreateCustomer: { model: 'CUSTOMER', email: 'diff@example.com', name: 'Diff', idempotencyKey: 'diff-c' },
    PaymentsSetupCreateCustomer: { model: 'CUSTOMER', email: 'diff@example.com', idempotencyKey: 'diff-p' },
    CreateCustomerToken: { customerId: a.customerId, ttlSeconds: 600 },
    RefreshFinancialAccount: { accountId: missingAccount, features: ['BALANCE'] },
    RefreshTransactions: { accountId: missingAccount, features: ['TRANSACTIONS'] },
    DisconnectFinancialAccount: { accountId: missingAccount },
    SubscribeFinancialAccount: { accountId: a.accountId, features: ['BALANCE'] },
    UnsubscribeFinancialAccount: { accountId: a.accountId, features: ['BALANCE'] },
    CreateSession: { customerId: a.customerId, permissions: ['BALANCES'], idempotencyKey: 'diff-s' },
    PaymentsSetupCreateSession: {
      customerId: a.customerId,
      permissions: ['PAYMENT_METHOD'],
      idempotencyKey: 'diff-ps',
    },
    CreatePaymentIntent: {
      customerId: a.customerId,
      financialAccountId: a.accountId,
      amount: 1234,
      currency: 'usd',
      billingName: 'Diff',
      idempotencyKey: 'diff-pi',
    },
    ConfirmPaymentIntent: { paymentIntentId: 'pi_differentialMissing', mandate },
    CancelPaymentIntent: { paymentIntentId: 'pi_differentialMissing' },
    CreateSetupIntent: {
      customerId: a.customerId,
      financialAccountId: a.accountId,
      billingName: 'Diff',
      idempotencyKey: 'diff-si',
      mandate,
    },
  };
  const vars: Record<string, unknown> = {};
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (name === 'id') vars.id = byRoot[rootField];
    else if (name === 'customerId') vars.customerId = a.customerId;
    else if (name === 'accountId') vars.accountId = a.accountId;
    else if (name === 'first') vars.first = 3;
    else if (name === 'input') vars.input = inputs[op.name?.value ?? ''];
  }
  return vars;
}

/** Every operation of schema/operations/, as partner A, sent with the whole file (fragments included). */
function operationRequests(): Sent[] {
  const dir = path.join(__dirname, '..', '..', 'schema', 'operations');
  const out: Sent[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const def of parse(text).definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION || !def.name) continue;
      out.push({
        label: `${file} ${def.name.value}`,
        on: 'dev',
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify({ query: text, operationName: def.name.value, variables: variablesFor(def) }),
        mustUseLane: def.operation === 'query',
      });
    }
  }
  return out;
}

/** Error cases around the lane's own decisions (each must end exactly as Apollo Server ends it). */
function errorCases(): Sent[] {
  const json = (body: unknown, headers: Record<string, string> = {}, on: GatewayName = 'dev'): Sent => ({
    label: `error case ${JSON.stringify(body).slice(0, 80)}`,
    on,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}`, ...headers },
    body: JSON.stringify(body),
  });
  const account =
    'query A($id: ID!, $n: Int) { financialAccount(id: $id) { id transactions(first: $n) { nodes { id } } } }';
  const id = tenants.a.accountId;
  return [
    json({ query: account, variables: { id, n: 2 } }),
    // The same document: too costly with these variables, control characters, variables that do not coerce.
    json({ query: account, variables: { id, n: 100000 } }),
    json({ query: account, variables: { id: 'fca_\u0007bell', n: 2 } }),
    json({ query: account, variables: { id: 42, n: 'many' } }),
    json({ query: account, variables: { n: 2 } }),
    json({ query: account, variables: { id: 'fca_doesNotExist', n: 2 } }),
    json({ query: account, variables: { id: tenants.b.accountId, n: 2 } }), // another partner's account
    json({ query: account, variables: { id, n: 2 } }, { authorization: `Bearer ${PARTNER_B.apiKey}` }),
    json({ query: account, variables: { id, n: 2 } }, { authorization: 'Bearer not-a-key-of-anyone' }),
    json({ query: account, variables: { id, n: 2 } }, { authorization: '' }),
    json({ query: account, variables: { id, n: 2 } }, { authorization: `Bearer ${tenants.a.customerToken}` }),
    json(
      { query: account, variables: { id, n: 2 } },
      { authorization: `Bearer ${tenants.a2.customerToken}` },
    ),
    json({ query: account, variables: { id, n: 2 } }, { accept: 'application/graphql-response+json' }),
    json({ query: account, variables: { id, n: 2 } }, { accept: 'text/html' }),
    json({ query: account, variables: { id, n: 2 } }, { 'x-request-id': 'differential-own-id-0001' }),
    json({ query: account, variables: { id, n: 2 }, operationName: 'B' }),
    json({ query: account, variables: { id, n: 2 }, operationName: 7 }),
    json({ query: account, variables: '{"id":"x"}' }),
    json([{ query: account, variables: { id, n: 2 } }]),
    // Persisted queries: registration, hash-only hit, unknown hash, wrong version.
    json({
      query: account,
      variables: { id, n: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(account) } },
    }),
    json({
      variables: { id, n: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(account) } },
    }),
    json({
      variables: { id, n: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('nope') } },
    }),
    json({
      variables: { id, n: 2 },
      extensions: { persistedQuery: { version: 2, sha256Hash: sha256(account) } },
    }),
    // Over the rate limit (5 per minute on `rate`): the lane counts once, as Apollo does.
    ...Array.from({ length: 7 }, () => json({ query: account, variables: { id, n: 2 } }, {}, 'rate')),
    // Introspection (dev allows it, production refuses it) never runs on the lane.
    json({ query: '{ __schema { queryType { name } } }' }),
    json({ query: '{ __schema { queryType { name } } }' }, {}, 'prod'),
    json({ query: account, variables: { id: 'fca_doesNotExist', n: 2 } }, {}, 'prod'),
  ];
}

function sha256(text: string): string {
  return require('node:crypto').createHash('sha256').update(text).digest('hex') as string;
}

/**
 * What may differ between two gateways for reasons other than the lane: ids and tokens minted by a mutation
 * (each gateway creates its own objects), sealed sync cursors (random IV), and the seconds of a Retry-After (each gateway's window started a
 * moment apart; compared separately within one second).
 */
function normalized(text: string): string {
  return text
    .replace(/\b(cus|fcsess|pi|seti|src|pm|mandate)_[A-Za-z0-9]{6,}/g, '$1_<minted>')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<token>')
    .replace(/"nextCursor":"v1\.[\w-]+"/g, '"nextCursor":"<sealed>"')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"created":\d+/g, '"created":<unix>')
    .replace(/retry after \d+ s/g, 'retry after <n> s')
    .replace(/"retryAfter":\d+/g, '"retryAfter":<n>');
}

async function send(gw: StartedGateway, sent: Sent, requestId: string): Promise<Seen> {
  const headers = { ...sent.headers };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'x-request-id'))
    headers['x-request-id'] = requestId;
  const res = await fetch(`${gw.url}${sent.path}`, { method: sent.method, headers, body: sent.body });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    requestId: res.headers.get('x-request-id'),
    body: await res.text(),
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ refreshDelayMs: 50, achDelayMs: 50, deactivationDelayMs: 60_000 });
  redis = await startRedis();
  await recordSecurityRows();
  const envs = gatewayEnvs(redis.url);
  for (const name of COMPARED) {
    const env = { STRIPE_API_BASE: sandbox.url, ...envs[name] };
    pairs.set(name, {
      off: await startGateway({ ...env, GRAPHQL_FAST_LANE: 'off' }),
      on: await startGateway({ ...env, GRAPHQL_FAST_LANE: 'on' }),
    });
  }
}, 240_000);

afterAll(async () => {
  for (const { off, on } of pairs.values()) {
    await off.close();
    await on.close();
  }
  await sandbox?.close();
  await redis?.stop();
});

describe('fast lane vs Apollo Server', () => {
  it('recorded the security rows and the tenant fixtures', () => {
    expect(tenants.ready).toBe(true);
    expect(recorded.length).toBeGreaterThan(50);
  });

  it('answers every request the same way on both lanes, and runs warm operations on the lane', async () => {
    const requests = [...operationRequests(), ...errorCases(), ...recorded];
    const differences: string[] = [];
    const laneMissed: string[] = [];
    let n = 0;
    for (const sent of requests) {
      const { off, on } = pairs.get(sent.on)!;
      // Twice, in step on both gateways: the first sight seeds the lane, the second is the one compared.
      let pair: [Seen, Seen] | undefined;
      let servedBefore = 0;
      for (const pass of [1, 2]) {
        const id = `diff-${(n += 1)}-pass${pass}`;
        servedBefore = on.gateway.fastLane!.stats.served;
        pair = await Promise.all([send(off, sent, id), send(on, sent, id)]);
      }
      const [a, b] = pair!;
      if (sent.mustUseLane && a.status === 200 && on.gateway.fastLane!.stats.served === servedBefore) {
        laneMissed.push(sent.label);
      }
      const view = (s: Seen) => ({
        ...s,
        retryAfter: s.retryAfter === null ? null : '<n>',
        body: normalized(s.body),
      });
      try {
        expect(view(b)).toEqual(view(a));
        if (a.retryAfter !== null)
          expect(Math.abs(Number(a.retryAfter) - Number(b.retryAfter))).toBeLessThanOrEqual(1);
      } catch (e) {
        differences.push(`${sent.label}: ${(e as Error).message}`);
      }
    }
    expect(differences).toEqual([]);
    expect(laneMissed).toEqual([]);
    // The lane actually served: every operation above and most of the rows' valid requests.
    const served = [...pairs.values()].reduce((sum, p) => sum + p.on.gateway.fastLane!.stats.served, 0);
    expect(served).toBeGreaterThan(30);
    for (const { off } of pairs.values()) expect(off.gateway.fastLane).toBeUndefined();
  }, 240_000);
});
