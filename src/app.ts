// Assembles one gateway instance: HTTP + WebSocket GraphQL, health and metrics routes, and their shutdown.
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  ConfigError,
  DEMO_PARTNER,
  NO_PARTNER_WITH_STRIPE,
  readPartnerKeysFile,
  type Config,
} from './platform/config';
import { identifyUpstream, type UpstreamMode } from './services/stripe/upstream-identity';
import { createLogger, type Logger } from './platform/logger';
import { buildGatewaySchema } from './schema';
import { Authenticator } from './services/auth/auth';
import { createMetrics, type Metrics } from './platform/metrics';
import { type ServiceDeps } from './services/domain/request-services';
import { createJitCompiler } from './transport/graphql/executor';
import { createFastLane, type FastLane } from './transport/http/fast-lane';
import { createAdmission } from './transport/graphql/admission/admission';
import { startApolloServer } from './transport/graphql/apollo-server';
import type { AdmissionCheck } from './transport/graphql/admission/operation-checks';
import { createResponseCache } from './transport/graphql/response-cache';
import { createBackends } from './infrastructure';
import { createStripeClient, type StripeClient } from './services/stripe/stripe-client';
import { createStripeReadStore, type StripeReadStore } from './services/stripe/stripe-reads';
import { createLiveUpdates, type LiveUpdates } from './services/live/live-updates';
import { registerWebhookRoute } from './transport/http/webhook-route';
import { registerGraphqlHttp, requestIdOf } from './transport/http/graphql-http';
import { registerDemo } from './demo/server';
import { registerAccessLog } from './transport/http/access-log';
import { proxyTrust } from './transport/http/client-address';
import { registerHealthRoutes, upstreamCheck } from './transport/http/health';
import { registerIde } from './transport/http/ide';
import { createMetricsServer, metricsPolicy } from './transport/http/metrics-route';
import { OperationMeter } from './transport/graphql/operation-metrics';
import { registerWebAssets } from './transport/http/web-assets';
import { attachGraphqlWs } from './transport/ws/graphql-ws-server';
import { createAuthFailureLimiter, createCallerRateLimiter } from './services/auth/rate-limit';
import { apolloFormatError } from './transport/graphql/error-masking';
import { HTTP_BODY_LIMIT } from './transport/http/http-guards';
import { httpTimeoutOptions, registerWholeRequestTimeout } from './transport/http/http-timeouts';
import { onUnknownStripeEnumValue } from './resolvers/enum-map';
import { SyncCursorCodec } from './services/domain/sync-cursor';
import { createTracing, type Tracing } from './platform/tracing';

/** How long start-up waits for STRIPE_API_BASE to say whether it is our sandbox (a hung upstream is Stripe). */
const UPSTREAM_IDENTITY_TIMEOUT_MS = 2000;
import { createPartnerEventRenderer } from './resolvers/partner-event-data';
import {
  createPartnerWebhooks,
  type PartnerWebhooksModule,
} from './services/partner-webhooks/partner-webhooks';
import type { HostResolver } from './services/partner-webhooks/address-policy';

/** A running (or ready to run) gateway instance. */
export interface Gateway {
  readonly http: FastifyInstance;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly stripeClient: StripeClient;
  /** Cross-request Stripe read cache (tests and events invalidate through it). */
  readonly readStore: StripeReadStore;
  /** Webhooks, the refresh poller and the subscription event bus. */
  readonly live: LiveUpdates;
  /** Our sandbox (it said so at GET /v1/test_helpers/sandbox), or Stripe in test or live mode. */
  readonly mode: UpstreamMode;
  /** Whether /demo and (without PARTNER_KEYS) the public demo partner are on. */
  readonly demo: boolean;
  /** Partner webhook endpoints, fan-out and delivery. */
  readonly partnerWebhooks: PartnerWebhooksModule;
  /** The fast lane for warm HTTP operations (transport/http/fast-lane.ts), unless GRAPHQL_FAST_LANE=off. */
  readonly fastLane?: FastLane;
  /** OpenTelemetry traces (platform/tracing.ts); undefined when off (no OTLP endpoint, no `spanExporter`). */
  readonly tracing?: Tracing;
  /**
   * Reads PARTNER_KEYS_FILE again and authenticates with its keys from now on (src/main.ts calls it on SIGHUP).
   * A file that cannot be read or parsed changes nothing: the error is logged and the previous keys stay.
   * @returns the partner ids now accepted, or undefined when nothing was reloaded
   */
  reloadPartners(): string[] | undefined;
  /** Listens on `config.port` (0 picks a free port) and resolves to the base URL. */
  listen(): Promise<string>;
  /** Drains HTTP, closes WebSockets with 1001, stops background work. Idempotent. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Log destination (tests capture it to scan for secrets). */
  logDestination?: import('pino').DestinationStream;
  /** DNS for partner webhook URLs (tests answer for made-up host names); the system resolver by default. */
  resolveWebhookHost?: HostResolver;
  /**
   * Checks every GraphQL operation passes after the built-in ones, on every path (transport/graphql/admission/).
   * Tests plant one to see a check added once apply to Apollo, the fast lane and graphql-ws.
   * @default []
   */
  admissionChecks?: readonly AdmissionCheck[];
  /**
   * Receives every span as it ends instead of the OTLP exporter, and turns tracing on whatever the config says
   * (tests pass an `InMemorySpanExporter`; docs/tracing.md).
   */
  spanExporter?: SpanExporter;
}

/** Builds a gateway from validated config. Nothing listens until `listen()`. */
export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const log = createLogger(config.logLevel, options.logDestination);
  const mode = await identifyUpstream({
    apiBase: config.stripe.apiBase,
    secretKey: config.stripe.secretKey,
    timeoutMs: Math.min(config.stripe.timeoutMs, UPSTREAM_IDENTITY_TIMEOUT_MS),
    log,
  });
  const demo = config.demo === 'on' || (config.demo === 'if-sandbox' && mode === 'sandbox');
  const partners = demo ? config.partners : config.partners.filter((p) => p.apiKey !== DEMO_PARTNER.apiKey);
  if (partners.length === 0) throw new ConfigError([NO_PARTNER_WITH_STRIPE]);
  // Without a signing secret, Stripe's webhooks cannot be verified and events arrive only by polling.
  if (mode !== 'sandbox' && !config.stripe.webhookSecret) {
    if (config.production) {
      throw new ConfigError([
        'Invalid STRIPE_WEBHOOK_SECRET: required with NODE_ENV=production against Stripe (webhooks carry ACH outcomes)',
      ]);
    }
    log.warn('STRIPE_WEBHOOK_SECRET is unset: Stripe webhooks cannot be verified; pushes rely on polling');
  }
  const metrics = createMetrics({ defaultMetrics: true });
  // Off (undefined) unless an OTLP endpoint is configured or a test hands in an exporter.
  const tracing = createTracing(config.tracing, { exporter: options.spanExporter });
  // Memory or Redis, chosen once for every service (src/infrastructure.ts); Redis connections by role, opened once.
  const backends = createBackends({ config, log, metrics });
  const stripeClient = createStripeClient({
    secretKey: config.stripe.secretKey,
    apiBase: config.stripe.apiBase,
    timeoutMs: config.stripe.timeoutMs,
    maxRetries: config.stripe.maxRetries,
    deadlineMs: config.stripe.deadlineMs,
    apiVersion: config.stripe.apiVersion,
    v2ApiVersion: config.stripe.v2ApiVersion,
    budget: backends.stripeBudget,
    metrics,
    log,
    tracing,
  });
  const readStore = createStripeReadStore({ metrics, log, cache: backends.readCache });
  const authenticator = new Authenticator(partners, config.tokenSecret, config.tokenSecretPrevious);
  // The subscription bus, webhook verification, dedupe, the poller and payment follow-up.
  const live = createLiveUpdates({
    config,
    backends,
    log,
    metrics,
    stripeClient,
    readStore,
    upstreamIsSandbox: mode === 'sandbox',
  });
  const schema = await buildGatewaySchema({ pubSub: live.pubSub });
  // Partner webhooks: fed by what the refresh poller publishes, and by Stripe's events before they are acknowledged.
  const partnerWebhooks = createPartnerWebhooks({
    config,
    log,
    metrics,
    stripe: stripeClient.stripe,
    render: createPartnerEventRenderer(schema),
    backends,
    resolve: options.resolveWebhookHost,
  });
  live.publisher.addSink((event) => partnerWebhooks.service.accept(event));
  live.webhooks.beforeAcknowledge((events) => partnerWebhooks.service.intake(events));
  const deps: ServiceDeps = {
    stripeClient,
    authenticator,
    log,
    readStore,
    config,
    live: live.subscriptions,
    partnerWebhooks: partnerWebhooks.service,
    followPayment: (id) => void live.followUp.follow(id),
    // Cursors must open on every instance and after restarts: keyed by a secret they all share.
    syncCursors: new SyncCursorCodec(
      config.tokenSecret ?? config.stripe.secretKey,
      config.tokenSecretPrevious,
    ),
  };
  // A Stripe enum value newer than this gateway maps to UNKNOWN/OTHER (resolvers/enum-map.ts); say so once.
  onUnknownStripeEnumValue((enumValues, value) =>
    log.warn(
      { enum: enumValues, value },
      'Stripe sent an enum value this gateway does not know; mapped to UNKNOWN/OTHER',
    ),
  );

  const http = Fastify({
    logger: false,
    bodyLimit: HTTP_BODY_LIMIT,
    // request.ip agrees with transport/http/client-address.ts (TRUST_PROXY), which the gateway itself uses.
    trustProxy: proxyTrust(config.trustProxy),
    // One request id per HTTP request (the caller's sane X-Request-Id, else new) for logs and errors.
    requestIdHeader: false,
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    ...httpTimeoutOptions(config.httpTimeouts),
  });
  registerWholeRequestTimeout(http, config.httpTimeouts.requestMs);
  const rateLimiter = createCallerRateLimiter({
    perMinute: config.rateLimitPerMinute,
    perPartnerPerMinute: config.partnerRateLimitPerMinute,
    redis: backends.rateLimitStore,
    log,
  });

  const authFailures = createAuthFailureLimiter({
    perMinute: config.authFailuresPerMinute,
    redis: backends.rateLimitStore,
    log,
  });

  const formatError = apolloFormatError({ production: config.production, log });
  // One admission step for Apollo, the fast lane and graphql-ws (transport/graphql/admission/admission.ts).
  const admission = createAdmission({
    schema,
    deps,
    limits: config.limits,
    production: config.production,
    rateLimiter,
    authFailures,
    formatError,
    meter: new OperationMeter(metrics),
    extraChecks: options.admissionChecks,
  });
  const ws = attachGraphqlWs({ server: http.server, schema, config, deps, admission, tracing });
  const compiler = createJitCompiler(schema);
  // Warm HTTP operations skip Apollo's per-request pipeline (transport/http/fast-lane.ts; GRAPHQL_FAST_LANE).
  const fastLane = config.graphql.fastLane
    ? createFastLane({
        schema,
        config,
        deps,
        compiler,
        admission,
        responses: config.graphql.responseCache ? createResponseCache(readStore, metrics) : undefined,
        tracing,
      })
    : undefined;
  const apollo = await startApolloServer({
    http,
    schema,
    config,
    log,
    admission,
    formatError,
    compiler,
    drainWebSockets: ws.dispose,
    fastLane,
    tracing,
  });

  registerAccessLog(http, log, config.trustProxy); // every request's line carries its requestId and client address
  await registerWebAssets(http);
  registerIde(http, { config }); // before the GraphQL route: browsers get the IDE at GET /graphql
  registerGraphqlHttp(http, { apollo, config, deps, admission, fastLane, tracing });
  registerWebhookRoute(http, { service: live.webhooks });
  // The demo mints customer tokens for anyone who opens it: a development and sandbox convenience only
  // (platform/config.ts DEMO; off against Stripe unless DEMO=true).
  if (demo) registerDemo(http, { config: { ...config, partners }, log, sandbox: mode === 'sandbox' });
  let closing: Promise<void> | undefined;
  const metricsAccess = metricsPolicy(config);
  registerHealthRoutes(http, {
    metrics,
    checks: [upstreamCheck(config.stripe.apiBase), ...backends.readiness],
    shuttingDown: () => closing !== undefined,
    metricsOnMainPort: metricsAccess.onMainPort,
    metricsToken: metricsAccess.token,
  });
  const metricsServer =
    config.metrics.port !== undefined ? createMetricsServer(metrics, config.metrics.token) : undefined;
  // While draining, responses say Connection: close: an idle keep-alive client would otherwise hold the server open
  // until the drain plugin's 10 s cut-off.
  http.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  return {
    http,
    log,
    metrics,
    stripeClient,
    readStore,
    live,
    mode,
    demo,
    partnerWebhooks,
    fastLane,
    tracing,
    reloadPartners() {
      if (!config.partnerKeysFile) {
        log.warn(
          'partner keys not reloaded: PARTNER_KEYS_FILE is not set (PARTNER_KEYS is read at start-up only)',
        );
        return undefined;
      }
      try {
        const next = readPartnerKeysFile(config.partnerKeysFile);
        authenticator.setPartners(next);
        const ids = next.map((p) => p.partnerId);
        // A removed partner's open sockets were authenticated with a credential that no longer verifies.
        const closedSockets = ws.closeRemovedPartners(new Set(ids));
        log.info(
          { partners: [...new Set(ids)], closedSockets },
          'partner keys reloaded from PARTNER_KEYS_FILE',
        );
        return ids;
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        log.error({ problems: e.problems }, 'partner keys not reloaded; the previous keys stay');
        return undefined;
      }
    },
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      if (metricsServer) await metricsServer.listen({ port: config.metrics.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      await live.start(`http://127.0.0.1:${port}`); // sandbox mode: register the webhook endpoint
      return `http://127.0.0.1:${port}`;
    },
    close() {
      closing ??= (async () => {
        await apollo.stop(); // drains HTTP and disposes the WebSocket server
        await http.close();
        await metricsServer?.close();
        await live.close();
        await partnerWebhooks.close();
        await backends.stripeBudget.close();
        await readStore.close();
        await backends.close(); // after every service that uses the connections
        await tracing?.shutdown(); // last: exports the spans of everything above
      })();
      return closing;
    },
  };
}
