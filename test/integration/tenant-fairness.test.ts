// One tenant cannot starve another: a noisy partner (15 aliased random-id lookups per operation, the fan-out operation) against a quiet one
// on a Stripe budget of 20 req/s, on one instance and on two sharing Redis.
import { randomUUID } from 'node:crypto';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const BUDGET = 20;
const QUIET_OPERATIONS = 12;
const FAN_OUT =
  '{ customers(first: 100) { nodes { id financialAccounts(first: 1) { nodes { id } } paymentIntents(first: 1) { nodes { id } } } } }';
const randomIds = () =>
  `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: financialAccount(id: "fca_N${randomUUID().replace(/-/g, '').slice(0, 20)}") { id }`).join(' ')} }`;
const QUIET = 'query($id: ID!) { customer(id: $id) { id financialAccounts { nodes { id } } } }';
/** The noisy partner's lookups, as the sandbox sees them. */
const isNoisy = (path: string) => /^\/v1\/financial_connections\/accounts\/fca_N/.test(path);

async function scenario(sb: StartedSandbox, gateways: StartedGateway[]) {
  // The quiet partner's customers, one per operation, so each operation costs Stripe calls (nothing cached).
  const customers: string[] = [];
  for (let i = 0; i < QUIET_OPERATIONS; i++) {
    const r = await gql<{ createCustomer: { customer: { id: string } } }>(
      gateways[0].graphqlUrl,
      'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
      { i: { model: 'CUSTOMER', email: `quiet.${i}@example.com`, name: `Quiet ${i}` } },
      { token: PARTNER_A.apiKey },
    );
    expect(r.errors).toBeUndefined();
    customers.push(r.data!.createCustomer.customer.id);
  }

  // The fan-out alone: refused before execution, so not one Stripe request.
  const before = gateways.map((g) => g.stripeRequests());
  const fanOut = await gql(gateways[0].graphqlUrl, FAN_OUT, undefined, { token: PARTNER_B.apiKey });
  expect(fanOut.errors?.map((e) => [e.extensions?.code, e.extensions?.limit])).toEqual([
    ['QUERY_TOO_COMPLEX', 'stripeCalls'],
  ]);
  const fanOutStripeCalls = gateways.reduce((n, g, i) => n + g.stripeRequests() - before[i], 0);

  // The noisy partner keeps 8 operations in flight until the quiet one is done.
  let quietDone = false;
  let firstNoisyDone!: () => void;
  const noisyStarted = new Promise<void>((resolve) => (firstNoisyDone = resolve));
  const noisyCodes: string[] = [];
  const noisyWorker = async (w: number) => {
    for (let i = 0; !quietDone; i++) {
      const gw = gateways[(w + i) % gateways.length];
      if (i % 5 === 0) {
        const r = await gql(gw.graphqlUrl, FAN_OUT, undefined, { token: PARTNER_B.apiKey });
        noisyCodes.push(
          ...(r.errors ?? []).map((e) => `fanout:${e.extensions?.code}:${e.extensions?.limit}`),
        );
        continue;
      }
      const r = await gql(gw.graphqlUrl, randomIds(), undefined, { token: PARTNER_B.apiKey });
      firstNoisyDone();
      noisyCodes.push(...(r.errors ?? []).map((e) => String(e.extensions?.code)));
    }
  };
  const noisy = Promise.all(Array.from({ length: 8 }, (_, w) => noisyWorker(w)));
  // The quiet partner starts once the noisy one has the budget full (its first operation has been answered).
  await noisyStarted;

  const latencies: number[] = [];
  const passedBy: number[] = [];
  try {
    for (let i = 0; i < QUIET_OPERATIONS; i++) {
      const gw = gateways[i % gateways.length];
      const logStart = sb.sandbox.requestLog.length;
      const started = performance.now();
      const r = await gql(gw.graphqlUrl, QUIET, { id: customers[i] }, { token: PARTNER_A.apiKey });
      latencies.push(performance.now() - started);
      expect(r.errors).toBeUndefined();
      // How many noisy requests reached Stripe between this operation's start and its last Stripe request.
      const log = sb.sandbox.requestLog.slice(logStart);
      const last = log.findLastIndex((e) => e.path === '/v1/financial_connections/accounts');
      expect(last).toBeGreaterThanOrEqual(0);
      passedBy.push(log.slice(0, last).filter((e) => isNoisy(e.path)).length);
    }
  } finally {
    quietDone = true;
    await noisy;
  }
  return { latencies, passedBy, noisyCodes, fanOutStripeCalls };
}

function expectFair(result: Awaited<ReturnType<typeof scenario>>) {
  // The budget is the clock: fewer than 2 s worth of the noisy partner's requests (2 × 20) went ahead of any quiet
  // operation (two sequential Stripe calls). FIFO let hundreds pass.
  for (const n of result.passedBy) expect(n).toBeLessThan(2 * BUDGET);
  // The latency bound is the requirement itself (p99 < 2 s; with 12 samples the p99 is the maximum). Fairness
  // bounds it near 1 s on this budget; the margin absorbs a loaded machine.
  const sorted = [...result.latencies].sort((a, b) => a - b);
  expect(sorted[Math.ceil(sorted.length * 0.99) - 1]).toBeLessThan(2000);
  // The noisy partner's operations end as not found (its random ids), over its share (UPSTREAM_RATE_LIMITED, how
  // often depends on timing) or, for the fan-out, refused by its Stripe-call estimate; never anything else.
  expect(result.noisyCodes).toContain('fanout:QUERY_TOO_COMPLEX:stripeCalls');
  expect(
    result.noisyCodes.filter(
      (c) => !['NOT_FOUND', 'UPSTREAM_RATE_LIMITED', 'fanout:QUERY_TOO_COMPLEX:stripeCalls'].includes(c),
    ),
  ).toEqual([]);
  expect(result.fanOutStripeCalls).toBe(0);
}

describe('tenant fairness on a 20 req/s Stripe budget', () => {
  let sb: StartedSandbox;
  let redis: StartedRedis;
  const env = (extra: Record<string, string> = {}) => ({
    STRIPE_API_BASE: sb.url,
    STRIPE_SECRET_KEY: sb.secretKey,
    STRIPE_WEBHOOK_SECRET: 'whsec_tenantFairness0123456789',
    STRIPE_MAX_RPS: String(BUDGET),
    RATE_LIMIT_PER_MINUTE: '100000',
    ...extra,
  });
  beforeAll(async () => {
    sb = await startSandbox();
    redis = await startRedis();
  });
  afterAll(async () => {
    await sb?.close();
    await redis?.stop();
  });

  it('should serve the quiet partner while a noisy one floods one instance', async () => {
    const gw = await startGateway(env());
    try {
      expectFair(await scenario(sb, [gw]));
    } finally {
      await gw.close();
    }
  }, 120_000);

  it('should serve the quiet partner while a noisy one floods two instances sharing Redis', async () => {
    const a = await startGateway(env({ REDIS_URL: redis.url }));
    const b = await startGateway(env({ REDIS_URL: redis.url }));
    try {
      expectFair(await scenario(sb, [a, b]));
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
