// /healthz (the process is up), /readyz (its dependencies answer) and /metrics (Prometheus).
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../platform/metrics';
import { registerMetricsRoute } from './metrics-route';
import type { ReadinessCheck } from '../../platform/readiness';

/**
 * Readiness of the upstream (Stripe or the sandbox): any HTTP answer from the API base within the timeout, short of
 * a 5xx, means it is reachable. Why not an API call: a probe every few seconds must not spend the shared Stripe
 * request budget, and an unauthenticated request costs nothing there.
 */
export function upstreamCheck(apiBase: string | undefined, timeoutMs = 2000): ReadinessCheck {
  const url = new URL('/v1/', apiBase ?? 'https://api.stripe.com').href;
  return {
    name: 'upstream',
    async check() {
      const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      return res.status < 500;
    },
  };
}

export function registerHealthRoutes(
  http: FastifyInstance,
  options: {
    metrics: Metrics;
    checks: ReadinessCheck[];
    /** True once shutdown began: /readyz answers 503 so load balancers stop sending traffic while we drain. */
    shuttingDown?: () => boolean;
    /** False when /metrics is served on its own port (METRICS_PORT) instead. */
    metricsOnMainPort?: boolean;
    /** METRICS_TOKEN; `null`: refused (production without a token). */
    metricsToken?: string | null;
  },
): void {
  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_request, reply) => {
    if (options.shuttingDown?.()) {
      return reply.code(503).send({ status: 'shutting_down', checks: {} });
    }
    const results = await Promise.all(
      options.checks.map(async (c) => {
        const ok = await Promise.race([
          c.check().catch(() => false),
          new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
        ]);
        return [c.name, ok ? 'ok' : 'failing'] as const;
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  if (options.metricsOnMainPort !== false) registerMetricsRoute(http, options.metrics, options.metricsToken);
}
