// The budgeted Stripe HTTP layer against a scripted HTTP server: retries, idempotency keys, deadlines, counting.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, toGraphQLError } from '../../src/platform/errors';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { createLocalRateBudget, type RateBudget } from '../../src/services/stripe/rate-budget';
import Stripe from 'stripe';
import {
  createStripeClient,
  routeTemplate,
  type StripeClient,
} from '../../src/services/stripe/stripe-client';

type Step = 'ok' | 'drop' | 'hang' | 'truncate' | { status: number; headers?: Record<string, string> };

interface Seen {
  method: string;
  path: string;
  idempotencyKey?: string;
  /** performance.now() when the request had arrived in full (the fake clock's, where a test installs one). */
  at: number;
}

/** An HTTP server that answers each request with the next scripted step (then 'ok'). */
async function scriptedServer() {
  const script: Step[] = [];
  const seen: Seen[] = [];
  const arrivals: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        at: performance.now(),
      });
      for (const a of arrivals.filter((x) => seen.length >= x.n)) a.resolve();
      const step = script.shift() ?? 'ok';
      if (step === 'drop') return req.socket.destroy();
      if (step === 'hang') return;
      const body = JSON.stringify({ id: 'cus_123', object: 'customer' });
      if (step === 'truncate') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(body.length + 50),
        });
        res.write(body.slice(0, 10));
        setImmediate(() => req.socket.destroy());
        return;
      }
      if (step === 'ok') {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_1' });
        return res.end(body);
      }
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(
        JSON.stringify({
          error: {
            type: step.status === 429 ? 'invalid_request_error' : 'api_error',
            code: step.status === 429 ? 'rate_limit' : undefined,
            message: 'scripted',
          },
        }),
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    script,
    seen,
    /** Resolves once the nth request has arrived. */
    received: (n: number) =>
      seen.length >= n ? Promise.resolve() : new Promise<void>((resolve) => arrivals.push({ n, resolve })),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A budget that counts tokens taken. */
function countingBudget(): RateBudget & { taken: number } {
  const inner = createLocalRateBudget({ ratePerSecond: 1000 });
  const b = {
    taken: 0,
    async acquire(ms: number) {
      const ok = await inner.acquire(ms);
      if (ok) b.taken += 1;
      return ok;
    },
    close: () => inner.close(),
  };
  return b;
}

/** The contract code a failed SDK call maps to. */
const codeOf = (error: unknown) =>
  (toGraphQLError(error) as { extensions?: { code?: string } }).extensions?.code;

async function counted(metrics: Metrics, status: string): Promise<number> {
  const m = await metrics.stripeRequests.get();
  return m.values.filter((v) => v.labels.status === status).reduce((n, v) => n + v.value, 0);
}

describe('stripe-client', () => {
  let srv: Awaited<ReturnType<typeof scriptedServer>>;
  let metrics: Metrics;
  let budget: ReturnType<typeof countingBudget>;
  let client: StripeClient;
  const make = (extra: Partial<Parameters<typeof createStripeClient>[0]> = {}) =>
    createStripeClient({
      secretKey: 'sk_test_unit',
      apiBase: srv.url,
      metrics,
      budget,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
      ...extra,
    });

  beforeEach(async () => {
    srv = await scriptedServer();
    metrics = createMetrics();
    budget = countingBudget();
    client = make();
  });
  afterEach(() => srv.close());

  describe('routeTemplate', () => {
    it('should replace object ids with {id}', () => {
      expect(routeTemplate('/v1/financial_connections/accounts/fca_1Abc/refresh?x=1')).toBe(
        '/v1/financial_connections/accounts/{id}/refresh',
      );
    });
  });

  describe('retries', () => {
    it('should retry a 429 and a 503, taking a token and counting each attempt', async () => {
      srv.script.push({ status: 429 }, { status: 503 });
      const c = await client.stripe.customers.retrieve('cus_123');
      expect(c.id).toBe('cus_123');
      expect(srv.seen).toHaveLength(3);
      expect(client.requestCount()).toBe(3);
      expect(budget.taken).toBe(3);
      expect(await counted(metrics, '429')).toBe(1);
      expect(await counted(metrics, '503')).toBe(1);
      expect(await counted(metrics, '200')).toBe(1);
    });

    it('should not retry when Stripe-Should-Retry is false, and map the 500 to UPSTREAM_UNAVAILABLE', async () => {
      srv.script.push({ status: 500, headers: { 'stripe-should-retry': 'false' } });
      const error = await client.stripe.customers.retrieve('cus_123').catch((e: unknown) => e);
      expect(srv.seen).toHaveLength(1);
      expect((toGraphQLError(error) as { extensions?: { code?: string } }).extensions?.code).toBe(
        ErrorCode.UPSTREAM_UNAVAILABLE,
      );
    });

    it('should retry a 400 when Stripe-Should-Retry is true, and never a plain 400', async () => {
      srv.script.push({ status: 400, headers: { 'stripe-should-retry': 'true' } });
      await client.stripe.customers.retrieve('cus_123');
      expect(srv.seen).toHaveLength(2);
      srv.script.push({ status: 400 });
      const error = await client.stripe.customers.retrieve('cus_123').catch((e: unknown) => e);
      // stripe-node types any 400 as an invalid request, whatever the body's error type.
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, message: 'scripted' });
      expect(codeOf(error)).toBe(ErrorCode.BAD_USER_INPUT);
      expect(srv.seen).toHaveLength(3);
    });

    it('should give up after maxRetries and surface the last answer (UPSTREAM_RATE_LIMITED for 429)', async () => {
      srv.script.push({ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 });
      const error = await client.stripe.customers.retrieve('cus_123').catch((e: unknown) => e);
      expect(srv.seen).toHaveLength(3);
      expect((toGraphQLError(error) as { extensions?: { code?: string } }).extensions?.code).toBe(
        ErrorCode.UPSTREAM_RATE_LIMITED,
      );
    });

    it('should retry a POST after a dropped connection with the same Idempotency-Key', async () => {
      srv.script.push('drop', { status: 502 });
      await client.stripe.customers.create({ email: 'a@example.com' });
      expect(srv.seen).toHaveLength(3);
      const keys = new Set(srv.seen.map((s) => s.idempotencyKey));
      expect(keys.size).toBe(1);
      expect([...keys][0]).toMatch(/^stripe-node-retry-/);
      expect(await counted(metrics, 'error')).toBe(1);
    });

    it('should keep a caller-given idempotency key across retries', async () => {
      srv.script.push({ status: 500 });
      await client.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'my-key-1' });
      expect(srv.seen.map((s) => s.idempotencyKey)).toEqual(['my-key-1', 'my-key-1']);
    });

    it('should retry a body cut short after the headers', async () => {
      srv.script.push('truncate');
      const c = await client.stripe.customers.retrieve('cus_123');
      expect(c.id).toBe('cus_123');
      expect(srv.seen).toHaveLength(2);
    });

    it('should not retry a DELETE, which carries no idempotency key', async () => {
      srv.script.push({ status: 503 });
      const error = await client.stripe.customers.del('cus_123').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(error).toMatchObject({ statusCode: 503, message: 'scripted' });
      expect(codeOf(error)).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
      expect(srv.seen).toHaveLength(1);
    });
  });

  describe('deadline', () => {
    it('should fail a hanging upstream with UPSTREAM_UNAVAILABLE at the deadline, retrying timeouts until then', async () => {
      client = make({ timeoutMs: 2_000, deadlineMs: 5_000, maxRetries: 5 });
      srv.script.push('hang', 'hang', 'hang', 'hang', 'hang', 'hang');
      // A fake clock for the client's timers and performance.now(); the HTTP traffic stays real.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
      try {
        const start = performance.now();
        let failedAt: number | undefined;
        const call = client.stripe.customers.retrieve('cus_123').then(
          () => undefined,
          (e: unknown) => {
            failedAt = performance.now();
            return e;
          },
        );
        // Time moves only while every attempt sent is held by the upstream (or the client is backing off):
        // each step fires the next timer (an attempt's timeout or a backoff), then waits for any attempt it started.
        await Promise.race([srv.received(1), call]);
        while (failedAt === undefined) {
          await jest.advanceTimersToNextTimerAsync();
          await Promise.race([srv.received(client.requestCount()), call]);
        }
        const error = await call;
        expect(codeOf(error)).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
        // Two full 2 s attempts, then a third cut short by the deadline; maxRetries would have allowed six.
        expect(srv.seen).toHaveLength(3);
        expect(srv.seen[1].at - start).toBeGreaterThan(2_000);
        expect(srv.seen[2].at - start).toBeGreaterThan(4_000);
        expect(failedAt - start).toBe(5_000);
      } finally {
        jest.useRealTimers();
      }
    });

    it('should fail without sending when the budget cannot give a token before the deadline', async () => {
      const slow = createLocalRateBudget({ ratePerSecond: 1 });
      client = make({ budget: slow, deadlineMs: 300 });
      await client.stripe.customers.retrieve('cus_123');
      const error = await client.stripe.customers.retrieve('cus_123').catch((e: unknown) => e);
      expect((toGraphQLError(error) as { extensions?: { code?: string } }).extensions?.code).toBe(
        ErrorCode.UPSTREAM_UNAVAILABLE,
      );
      expect(srv.seen).toHaveLength(1);
    });
  });
});
