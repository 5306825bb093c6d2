// Prometheus metrics of one gateway instance (a registry per instance, so tests can run several in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Creates the instance's registry and every metric the gateway exposes on /metrics. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = [],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers });
  /**
   * A counter for the hottest paths: increments are summed in plain numbers per label set and handed to prom-client
   * when the counter is read (a scrape, `get()`). Why: prom-client hashes and validates the labels of every `inc`
   * (~0.2 µs each); a warm request counts its operation, and each Stripe object a kept answer checks counts its
   * lookup (about twenty per dashboard request).
   */
  const summedCounter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => {
    const pending = new Map<string, { labels: Record<L, string>; n: number }>();
    const counter = new Counter<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        for (const cell of pending.values()) if (cell.n > 0) this.inc(cell.labels, cell.n);
        pending.clear();
      },
    });
    return {
      inc(labels: Record<L, string>, n = 1) {
        let key = '';
        for (const label of labelNames) key += `${labels[label]}\u0000`;
        const cell = pending.get(key);
        if (cell) cell.n += n;
        else pending.set(key, { labels: { ...labels }, n });
      },
      get: () => counter.get(),
    };
  };
  // Partner webhook queue gauges read the queue at scrape time (partner-webhooks.ts sets the probe).
  const partnerWebhookQueueProbe: {
    pending?: () => Promise<{ count: number; oldestCreatedAt: number | null }>;
  } = {};
  const probePending = () => partnerWebhookQueueProbe.pending?.().catch(() => undefined);
  return {
    registry,
    partnerWebhookQueueProbe,
    partnerWebhookDeliveries: counter(
      'partner_webhook_deliveries_total',
      'Partner webhook delivery attempts, by outcome: delivered; retry (failed, retried later); failed (retry window over); skipped (endpoint disabled).',
      ['outcome'],
    ),
    partnerWebhookQueueDepth: new Gauge({
      name: 'partner_webhook_queue_depth',
      help: 'Partner webhook jobs (fan-outs and deliveries) waiting, delayed for a retry or running (all instances with Redis).',
      registers,
      async collect() {
        const p = await probePending();
        if (p) this.set(p.count);
      },
    }),
    partnerWebhookOldestPendingAge: new Gauge({
      name: 'partner_webhook_oldest_pending_age_seconds',
      help: 'Age of the oldest partner webhook job not yet done (0 when none).',
      registers,
      async collect() {
        const p = await probePending();
        if (p) this.set(p.oldestCreatedAt ? (Date.now() - p.oldestCreatedAt) / 1000 : 0);
      },
    }),
    paymentFollowUps: counter(
      'payment_follow_ups_total',
      'Payment follow-ups ended, by outcome: settled (a look found the final status), webhook (a webhook reported it first), expired (not final at the end of the window), not_found (Stripe no longer knows it), no_customer (no customer to tell).',
      ['outcome'],
    ),
    stripeRequests: counter(
      'stripe_requests_total',
      'HTTP requests the gateway sent to Stripe (or the sandbox), by method, route template (/v1/financial_connections/accounts/{id}) and status.',
      ['method', 'route', 'status'],
    ),
    stripeRequestDuration: histogram(
      'stripe_request_duration_seconds',
      'Latency of requests to Stripe (or the sandbox), by method and route template.',
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ['method', 'route'],
    ),
    graphqlOperations: summedCounter(
      'graphql_operations_total',
      'GraphQL operations over HTTP and WebSocket, by type, name and outcome: success, error (ran, with errors) or rejected (did not parse, validate or pass a limit). name: the operation name when it is one of schema/operations/, else h_ + 8 hex of its sha256 (at most 20 per partner, then other).',
      ['type', 'name', 'outcome'],
    ),
    graphqlDuration: histogram(
      'graphql_operation_duration_seconds',
      'Duration of executed GraphQL queries and mutations, by type and name.',
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      ['type', 'name'],
    ),
    subscribers: new Gauge({
      name: 'graphql_subscriptions_active',
      help: 'Active GraphQL subscriptions on this instance.',
      registers,
    }),
    subscriptionResumes: counter(
      'graphql_subscription_resumes_total',
      'Subscriptions that came back (same caller, graphql-ws id and operation) within SUBSCRIPTION_RESUME_WINDOW_MS and resumed where they stopped.',
    ),
    subscriptionEventsReplayed: counter(
      'graphql_subscription_events_replayed_total',
      'Events handed to resumed subscriptions that were published while they were away.',
    ),
    cacheLookups: summedCounter(
      'stripe_cache_lookups_total',
      'Cross-request cache lookups of Stripe objects, by resource and result (hit or miss; hit ratio = hit / (hit + miss)).',
      ['resource', 'result'],
    ),
    cacheLocalReads: summedCounter(
      'stripe_cache_local_reads_total',
      "With REDIS_URL: Stripe read-cache reads by where they were answered: local (this instance's in-process copy, no network) or shared (Redis, the copy is kept locally).",
      ['level'],
    ),
    cacheInvalidationsReceived: counter(
      'stripe_cache_invalidations_received_total',
      'With REDIS_URL: invalidations other instances published that this instance applied to its in-process copies (read cache and, through it, whole answers).',
    ),
    cacheLocalServing: new Gauge({
      name: 'stripe_cache_local_serving',
      help: 'With REDIS_URL: 1 while this instance serves reads from its in-process copies (it hears invalidations), 0 while it bypasses them (its subscriber connection is down; emptied when it is back).',
      registers,
    }),
    rateBudgetWaits: histogram(
      'stripe_rate_budget_wait_seconds',
      'Time requests waited for the shared Stripe request budget (STRIPE_MAX_RPS).',
      [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    webhookEvents: counter(
      'stripe_webhook_events_total',
      'Stripe webhook deliveries, by outcome: accepted; duplicate (already handled); rejected (no secret yet, bad or missing signature, thin event); ignored (malformed, or the other livemode); unavailable (not queued: 503, Stripe retries).',
      ['outcome'],
    ),
  };
}
