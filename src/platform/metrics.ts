// Prometheus metrics of one gateway instance (a registry per instance, so tests can run several in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Creates the instance's registry and every metric the gateway exposes on /metrics. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    stripeRequests: new Counter({
      name: 'stripe_requests_total',
      help: 'HTTP requests the gateway sent to Stripe (or the sandbox), by method, route template and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    stripeRequestDuration: new Histogram({
      name: 'stripe_request_duration_seconds',
      help: 'Latency of requests to Stripe.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations executed, by type, name and outcome.',
      labelNames: ['type', 'name', 'outcome'] as const,
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation duration.',
      labelNames: ['type', 'name'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    subscribers: new Gauge({
      name: 'graphql_subscriptions_active',
      help: 'Active GraphQL subscriptions on this instance.',
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'stripe_cache_lookups_total',
      help: 'Cross-request cache lookups of Stripe objects, by resource and result (hit or miss).',
      labelNames: ['resource', 'result'] as const,
      registers: [registry],
    }),
    rateBudgetWaits: new Histogram({
      name: 'stripe_rate_budget_wait_seconds',
      help: 'Time requests waited for the shared Stripe request budget.',
      buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'stripe_webhook_events_total',
      help: 'Stripe webhook deliveries, by outcome (accepted, duplicate, rejected, ignored).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}
