// Observability: /metrics content, /healthz, /readyz against a live, dead and hanging upstream, request ids in
// error extensions, and graceful shutdown (in-flight HTTP drained, WebSockets closed with 1001 Going Away).
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { freePort } from '../helpers/ports';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { nextCall } from './next-call';

let sandbox: StartedSandbox;
let gateway: StartedGateway;

beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startGateway({ STRIPE_API_BASE: sandbox.url });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

const metricsText = async (g: StartedGateway) => (await fetch(`${g.url}/metrics`)).text();

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
/** An operation name this deployment does not know (not in schema/operations/), as /metrics labels it. */
const hashedName = (name: string) => `h_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

function wsClient(g: StartedGateway, token: string, onClose?: (code: number) => void): Client {
  return createClient({
    url: g.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // the server closing us is what the shutdown test expects
    on: { closed: (e) => onClose?.((e as { code: number }).code) },
  });
}

describe('/metrics', () => {
  it('counts and times GraphQL operations by type, name and outcome', async () => {
    await gql(gateway.graphqlUrl, 'query MetricsProbe { viewer { kind } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    await gql(gateway.graphqlUrl, 'query MetricsProbe { viewer { kind } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    await gql(gateway.graphqlUrl, 'query Broken { viewer { noSuchField } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    // A request without a valid credential is counted too (rejected before any operation is looked at).
    const anonymousRejected = async () =>
      sample(await metricsText(gateway), 'graphql_operations_total', {
        type: 'unknown',
        outcome: 'rejected',
      }) ?? 0;
    const beforeUnauthenticated = await anonymousRejected();
    await gql(gateway.graphqlUrl, 'query NoKey { viewer { kind } }', undefined, {
      token: 'wrong_key_0123456789',
    });
    expect(await anonymousRejected()).toBe(beforeUnauthenticated + 1);
    const text = await metricsText(gateway);
    expect(
      sample(text, 'graphql_operations_total', {
        type: 'query',
        name: hashedName('MetricsProbe'),
        outcome: 'success',
      }),
    ).toBe(2);
    expect(
      sample(text, 'graphql_operations_total', { name: hashedName('Broken'), outcome: 'rejected' }),
    ).toBe(1);
    expect(
      sample(text, 'graphql_operation_duration_seconds_count', {
        type: 'query',
        name: hashedName('MetricsProbe'),
      }),
    ).toBe(2);
    expect(
      sample(text, 'graphql_operation_duration_seconds_sum', {
        type: 'query',
        name: hashedName('MetricsProbe'),
      }),
    ).toBeGreaterThan(0);
  });

  it('counts Stripe requests by method, route template and status', async () => {
    const created = await gql<{ createCustomer: { customer: { id: string } } }>(
      gateway.graphqlUrl,
      'mutation { createCustomer(input: { email: "metrics@example.com" }) { customer { id } } }',
      undefined,
      { token: PARTNER_A.apiKey },
    );
    expect(created.errors).toBeUndefined();
    const text = await metricsText(gateway);
    expect(
      sample(text, 'stripe_requests_total', { method: 'POST', route: '/v1/customers', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    // No raw ids in route labels: templates only.
    expect(text).not.toMatch(/route="[^"]*cus_[A-Za-z0-9]/);
  });

  it('counts read-cache hits and misses (the hit ratio) and rate-budget waits', async () => {
    const created = await gql<{ createCustomer: { customer: { id: string } } }>(
      gateway.graphqlUrl,
      'mutation { createCustomer(input: { email: "cache@example.com" }) { customer { id } } }',
      undefined,
      { token: PARTNER_A.apiKey },
    );
    const id = created.data!.createCustomer.customer.id;
    const lookups = async (result: string) => {
      const text = await metricsText(gateway);
      return text
        .split('\n')
        .filter((l) => l.startsWith('stripe_cache_lookups_total{') && l.includes(`result="${result}"`))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    };
    const [hits0, misses0] = [await lookups('hit'), await lookups('miss')];
    for (let i = 0; i < 3; i++) {
      const r = await gql(
        gateway.graphqlUrl,
        'query ($id: ID!) { customer(id: $id) { id email } }',
        { id },
        {
          token: PARTNER_A.apiKey,
        },
      );
      expect(r.data).toEqual({ customer: { id, email: 'cache@example.com' } });
    }
    // Three requests for one object: looked up three times, and at least the later ones are answered from the cache.
    const [hits, misses] = [(await lookups('hit')) - hits0, (await lookups('miss')) - misses0];
    expect(hits + misses).toBeGreaterThanOrEqual(3);
    expect(hits).toBeGreaterThanOrEqual(2);
    const text = await metricsText(gateway);
    expect(sample(text, 'stripe_rate_budget_wait_seconds_count')).toBeGreaterThan(0);
  });

  it('exposes the cache, rate budget, subscription and process metrics', async () => {
    const text = await metricsText(gateway);
    for (const name of [
      'stripe_cache_lookups_total',
      'stripe_rate_budget_wait_seconds',
      'graphql_subscriptions_active',
      'stripe_request_duration_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('tracks active subscriptions over graphql-ws', async () => {
    const created = await gql<{ createCustomer: { customer: { id: string } } }>(
      gateway.graphqlUrl,
      'mutation { createCustomer(input: { email: "subs@example.com" }) { customer { id } } }',
      undefined,
      { token: PARTNER_A.apiKey },
    );
    const customerId = created.data!.createCustomer.customer.id;
    const active = async () => sample(await metricsText(gateway), 'graphql_subscriptions_active') ?? 0;
    const before = await active();
    const { subscribers } = gateway.gateway.metrics;
    const counted = nextCall(subscribers, 'inc');
    const client = wsClient(gateway, PARTNER_A.apiKey);
    const errors: unknown[] = [];
    const stop = client.subscribe(
      {
        query: 'subscription Watch($c: ID!) { financialAccountUpdated(customerId: $c) { type } }',
        variables: { c: customerId },
      },
      { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined },
    );
    await counted;
    expect(await active()).toBe(before + 1);
    const released = nextCall(subscribers, 'dec');
    stop();
    await released;
    expect(await active()).toBe(before);
    await client.dispose();
    expect(errors).toEqual([]);
    const text = await metricsText(gateway);
    expect(
      sample(text, 'graphql_operations_total', {
        type: 'subscription',
        name: hashedName('Watch'),
        outcome: 'success',
      }),
    ).toBe(1);
  });
});

describe('/healthz and /readyz', () => {
  it('is live and ready when the upstream answers', async () => {
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { upstream: 'ok' } });
  });

  it('is not ready when nothing listens at the upstream address', async () => {
    const down = await startGateway({ STRIPE_API_BASE: `http://127.0.0.1:${await freePort()}` });
    try {
      const res = await fetch(`${down.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', checks: { upstream: 'failing' } });
      // Liveness is about the process itself.
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('is not ready when the upstream accepts connections but never answers (timeout)', async () => {
    const sockets = new Set<net.Socket>();
    const hanging = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as net.AddressInfo).port;
    // The gateway's own start-up talks to its upstream (webhook self-registration): give it a secret so it does not.
    const hung = await startGateway(
      { STRIPE_API_BASE: `http://127.0.0.1:${port}`, STRIPE_WEBHOOK_SECRET: 'whsec_test_secret' },
      { awaitCatchUp: false },
    );
    try {
      const res = await fetch(`${hung.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { upstream: 'failing' } });
    } finally {
      await hung.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => hanging.close(() => r()));
    }
  });
});

describe('request ids', () => {
  it("puts the caller's X-Request-Id (or a new one) into error extensions", async () => {
    const res = await gql(gateway.graphqlUrl, '{ viewer { kind } }', undefined, {
      headers: { 'x-request-id': 'req_observability_test_1' },
    });
    expect(res.errors?.[0]?.extensions?.requestId).toBe('req_observability_test_1');
    const fresh = await gql(gateway.graphqlUrl, '{ viewer { kind } }');
    expect(fresh.errors?.[0]?.extensions?.requestId).toMatch(/^req_/);
    // The same id is on the request's log line, and the response header.
    expect(fresh.headers.get('x-request-id')).toBe(fresh.errors?.[0]?.extensions?.requestId);
    const line = gateway.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === 'req_observability_test_1' && l.msg === 'http request');
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 401 });
  });
});

/**
 * A pass-through proxy to the sandbox that holds each POST until released: a slow upstream, real answers. GETs pass
 * at once (start-up asks the upstream who it is and reads missed events; those must not count as the held call).
 */
function holdingProxy(target: string) {
  const waiting: (() => void)[] = [];
  let notify: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = async () => {
        const upstream = await fetch(new URL(req.url!, target), {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(
              ([k]) => !['host', 'connection', 'content-length'].includes(k),
            ),
          ) as Record<string, string>,
          body: ['GET', 'HEAD'].includes(req.method!) ? undefined : Buffer.concat(chunks),
        });
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      };
      if (req.method !== 'POST') return void forward();
      waiting.push(forward);
      notify?.();
    });
  });
  return {
    async listen(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    },
    /** Resolves once a request is being held. */
    held(): Promise<void> {
      return waiting.length ? Promise.resolve() : new Promise<void>((r) => (notify = r));
    },
    releaseAll() {
      notify = undefined;
      for (const go of waiting.splice(0)) void go();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('graceful shutdown', () => {
  it('finishes in-flight HTTP requests, closes WebSockets with 1001, and refuses new connections', async () => {
    const proxy = holdingProxy(sandbox.url);
    const proxyUrl = await proxy.listen();
    const g = await startGateway({ STRIPE_API_BASE: proxyUrl, STRIPE_WEBHOOK_SECRET: 'whsec_test_secret' });
    try {
      // A WebSocket client, acknowledged (connection_init accepted).
      let closeCode: number | undefined;
      const closed = new Promise<number>((resolve) => {
        const client = wsClient(g, PARTNER_A.apiKey, (code) => {
          closeCode = code;
          resolve(code);
        });
        void client; // closed by the server
      });
      const viewer = await new Promise<unknown>((resolve, reject) => {
        const c = wsClient(g, PARTNER_A.apiKey);
        c.subscribe(
          { query: '{ viewer { kind } }' },
          { next: resolve, error: reject, complete: () => c.dispose() },
        );
      });
      expect(viewer).toEqual({ data: { viewer: { kind: 'PARTNER' } } });

      // An HTTP request in flight: its Stripe call is held by the proxy.
      const inflight = gql<{ createCustomer: { customer: { id: string } } }>(
        g.graphqlUrl,
        'mutation { createCustomer(input: { email: "drain@example.com" }) { customer { id } } }',
        undefined,
        { token: PARTNER_A.apiKey },
      );
      await proxy.held();

      const closing = g.close();
      expect(await closed).toBe(1001);
      expect(closeCode).toBe(1001);
      // New connections are refused while draining.
      await expect(fetch(`${g.url}/healthz`)).rejects.toThrow();

      proxy.releaseAll();
      const res = await inflight;
      expect(res.status).toBe(200);
      expect(res.data?.createCustomer.customer.id).toMatch(/^cus_/);
      // Told to hang up, so an idle keep-alive connection does not hold the drain open.
      expect(res.headers.get('connection')).toBe('close');
      await closing;
    } finally {
      await g.close();
      await proxy.close();
    }
  });
});
