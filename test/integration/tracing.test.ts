// OpenTelemetry traces (src/platform/tracing.ts, docs/tracing.md): operation spans on every path, their Stripe
// calls nested under them with Stripe's request ids, subscription events, nothing when off, and OTLP export.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProxyTracerProvider, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { Client } from 'graphql-ws';
import { CustomerDashboardDocument } from '../generated/graphql';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { subscribe, subscribed, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { transpiledMain, type MainProcesses } from '../helpers/main-process';

const REFRESHED = `subscription Refreshed($accountId: ID) {
  financialAccountRefreshed(accountId: $accountId) {
    feature status
    financialAccount { id balance { current { amount currency } } }
  }
}`;

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** Every name and attribute value of `spans`, as one text to scan for what must never be there. */
const everything = (spans: readonly ReadableSpan[]) =>
  JSON.stringify(spans.map((s) => [s.name, s.attributes, s.status]));

describe('tracing', () => {
  let sandbox: StartedSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 100 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  describe('with an exporter given to createGateway', () => {
    const exporter = new InMemorySpanExporter();
    let gw: StartedGateway;
    let a: LinkedCustomer;
    let b: LinkedCustomer;
    const clients: Client[] = [];

    /** The spans ended while `run` ran (and its subscription events, until `run` resolves). */
    async function spansOf(run: () => Promise<unknown>): Promise<ReadableSpan[]> {
      await gw.gateway.tracing!.forceFlush();
      exporter.reset();
      await run();
      await gw.gateway.tracing!.forceFlush();
      return exporter.getFinishedSpans();
    }

    const dashboard = (customer: LinkedCustomer, token = PARTNER_A.apiKey) =>
      gql(gw.graphqlUrl, CustomerDashboardDocument, { id: customer.customerId }, { token });

    beforeAll(async () => {
      gw = await startGateway({ STRIPE_API_BASE: sandbox.url }, { spanExporter: exporter });
      a = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
      b = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    });
    afterAll(async () => {
      for (const c of clients) await c.dispose();
      await gw?.close();
    });

    it('should make one dashboard query one operation span, the parent of every Stripe call it made, each with its Request-Id', async () => {
      const before = gw.stripeRequests();
      const spans = await spansOf(async () => ok(await dashboard(a)));
      const calls = gw.stripeRequests() - before;
      expect(calls).toBeGreaterThan(0);

      const operations = spans.filter((s) => s.attributes['graphql.operation.name'] === 'CustomerDashboard');
      expect(operations).toHaveLength(1);
      const [op] = operations;
      expect(op.name).toBe('query CustomerDashboard');
      expect(op.kind).toBe(SpanKind.SERVER);
      expect(op.attributes).toMatchObject({
        'graphql.operation.type': 'query',
        'gateway.graphql.path': 'apollo', // first sight: Apollo Server
        'http.response.status_code': 200,
      });
      expect(op.status.code).not.toBe(SpanStatusCode.ERROR);

      const stripeCalls = spans.filter((s) => s.kind === SpanKind.CLIENT);
      const nested = stripeCalls.filter((s) => parentOf(s) === idOf(op));
      expect(nested.length).toBeGreaterThan(0);
      expect(nested.length).toBeLessThanOrEqual(calls);
      for (const call of nested) {
        expect(call.spanContext().traceId).toBe(op.spanContext().traceId);
        expect(call.name).toMatch(/^GET \/v1\//);
        expect(call.attributes['stripe.request_id']).toMatch(/^req_[A-Za-z0-9]+$/);
        expect(call.attributes).toMatchObject({
          'http.request.method': 'GET',
          'http.response.status_code': 200,
        });
        expect(call.attributes['url.path']).not.toContain('?');
      }
      // Never a credential, the sandbox's key, or the operation's variables and document.
      const text = everything(spans);
      expect(text).not.toContain(PARTNER_A.apiKey);
      expect(text).not.toMatch(/sk_test|whsec_|client_secret/);
      expect(text).not.toContain('DashboardAccount'); // a fragment name: the document is not recorded
    });

    it('should nest the Stripe calls of an operation answered on the fast lane under its span', async () => {
      ok(await dashboard(a)); // warm: the next request of this document takes the fast lane
      const spans = await spansOf(async () => ok(await dashboard(b)));
      const [op] = spans.filter((s) => s.attributes['gateway.graphql.path'] === 'fast_lane');
      expect(op?.name).toBe('query CustomerDashboard');
      const nested = spans.filter((s) => s.kind === SpanKind.CLIENT && parentOf(s) === idOf(op));
      expect(nested.length).toBeGreaterThan(0);
      for (const call of nested) expect(call.attributes['stripe.request_id']).toMatch(/^req_/);
    });

    it("should fail an operation's span with its error code, never its credential", async () => {
      const stolen = 'not_a_valid_key_0123456789';
      const spans = await spansOf(async () => {
        expect(errorCodes(await dashboard(a, stolen))).toEqual(['UNAUTHENTICATED']);
        expect(errorCodes(await dashboard({ ...a, customerId: 'cus_doesnotexist0' }))).toEqual(['NOT_FOUND']);
      });
      const failed = spans.filter((s) => s.kind === SpanKind.SERVER);
      expect(failed).toHaveLength(2);
      expect(failed.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
      expect(failed.map((s) => s.attributes['error.type'])).toEqual(['UNAUTHENTICATED', 'NOT_FOUND']);
      expect(failed.map((s) => s.attributes['graphql.error.codes'])).toEqual([
        ['UNAUTHENTICATED'],
        ['NOT_FOUND'],
      ]);
      expect(everything(spans)).not.toContain(stolen);
    });

    it("should give a subscription's set-up a span and each event's execution its own, linked to it", async () => {
      const client = wsClient(gw, PARTNER_A.apiKey);
      clients.push(client);
      const spans = await spansOf(async () => {
        const who = subscribe<{ viewer: { kind: string } }>(client, 'query WsWho { viewer { kind } }');
        expect((await who.next()).viewer.kind).toBe('PARTNER');
        const sub = await subscribed(gw, client, REFRESHED, { accountId: a.accountId });
        await sandbox.stripe.financialConnections.accounts.refresh(a.accountId, { features: ['balance'] });
        await sub.next();
        sub.stop();
      });
      const setUp = spans.find((s) => s.attributes['gateway.graphql.subscription.phase'] === 'subscribe');
      expect(setUp).toBeDefined();
      expect(setUp!.name).toBe('subscription Refreshed');
      expect(setUp!.attributes['gateway.graphql.path']).toBe('graphql_ws');
      expect(setUp!.attributes['gateway.request_id']).toMatch(/^ws_/);
      const query = spans.find((s) => s.name === 'query WsWho');
      expect(query?.attributes).toMatchObject({
        'gateway.graphql.path': 'graphql_ws',
        'graphql.operation.type': 'query',
        'gateway.request_id': expect.stringMatching(/^ws_/),
      });
      const events = spans.filter((s) => s.attributes['gateway.graphql.subscription.phase'] === 'event');
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        expect(event.name).toBe('subscription Refreshed');
        expect(event.status.code).not.toBe(SpanStatusCode.ERROR);
        expect(event.links.map((l) => l.context.spanId)).toEqual([idOf(setUp!)]);
        expect(event.attributes['gateway.request_id']).toBe(setUp!.attributes['gateway.request_id']);
        // Whatever Stripe calls the event's execution made are its children, in its trace.
        const inTrace = spans.filter((s) => s.spanContext().traceId === event.spanContext().traceId);
        for (const s of inTrace) if (s !== event) expect(parentOf(s)).toBe(idOf(event));
      }
    });

    it('should make no span for health and metrics requests', async () => {
      const spans = await spansOf(async () => {
        for (const path of ['/healthz', '/readyz', '/metrics']) {
          const res = await fetch(`${gw.url}${path}`);
          expect(res.status).toBe(200);
          await res.text();
        }
      });
      expect(spans).toEqual([]);
    });
  });

  describe('off (the default)', () => {
    it('should register no tracer provider and make no span', async () => {
      // Any span made through OpenTelemetry's global API would land here.
      const global = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(global)] });
      expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).not.toBeInstanceOf(
        BasicTracerProvider,
      );
      trace.setGlobalTracerProvider(provider);
      const gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
      try {
        expect(gw.gateway.tracing).toBeUndefined();
        const customer = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
        ok(
          await gql(
            gw.graphqlUrl,
            CustomerDashboardDocument,
            { id: customer.customerId },
            { token: PARTNER_A.apiKey },
          ),
        );
        await provider.forceFlush();
        expect(global.getFinishedSpans()).toEqual([]);
      } finally {
        await gw.close();
        trace.disable();
        await provider.shutdown();
      }
    });
  });

  describe('OTLP export (the gateway as a real process)', () => {
    // A process of its own: the OTLP exporter loads node:http with a dynamic import(), which jest's module
    // sandbox refuses. It also makes the flush on shutdown the one `npm start` runs (SIGTERM, src/main.ts).
    let main: MainProcesses;
    beforeAll(() => {
      main = transpiledMain('gateway-otlp-');
    });
    afterAll(() => main.close());

    it('should POST the spans to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, flushed when the gateway stops', async () => {
      const received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
      const collector = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          received.push({ method: req.method, url: req.url, headers: req.headers, body });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
      const { port } = collector.address() as AddressInfo;
      const gateway = main.start({
        STRIPE_API_BASE: sandbox.url,
        PARTNER_KEYS: `${PARTNER_A.partnerId}:${PARTNER_A.apiKey}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_SERVICE_NAME: 'gateway-under-test',
      });
      try {
        const url = await gateway.ready;
        ok(await gql(`${url}/graphql`, 'query Who { viewer { kind } }', {}, { token: PARTNER_A.apiKey }));
        // The batch would wait seconds before it is sent; stopping the gateway exports it before the process ends.
        gateway.child.kill('SIGTERM');
        expect((await gateway.exited).code).toBe(0); // src/main.ts's own shutdown, not the signal's default action

        expect(received.length).toBeGreaterThan(0);
        for (const r of received) {
          expect(r.method).toBe('POST');
          expect(r.url).toBe('/v1/traces');
          expect(r.headers['content-type']).toBe('application/json');
        }
        const bodies = received.map((r) => r.body).join('\n');
        expect(bodies).toContain('gateway-under-test');
        expect(bodies).toContain('query Who');
        expect(bodies).not.toContain(PARTNER_A.apiKey);
      } finally {
        await new Promise((resolve) => collector.close(resolve));
      }
    });
  });
});
