// /healthz (the process is up), /readyz (its dependencies answer) and /metrics (Prometheus).
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../services/metrics';

/** One readiness dependency: resolves when healthy, rejects (or resolves false) when not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export function registerHealthRoutes(
  http: FastifyInstance,
  options: { metrics: Metrics; checks: ReadinessCheck[] },
): void {
  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_request, reply) => {
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
  http.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
}
