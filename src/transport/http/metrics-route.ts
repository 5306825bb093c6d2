// /metrics (Prometheus): behind METRICS_TOKEN (Bearer), and/or on its own port (METRICS_PORT).
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config';
import type { Metrics } from '../../platform/metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * How /metrics is protected. Why: its series name callers' operations and reveal traffic; on the public port they
 * are anyone's to read (docs/security-catalogue.md OB1). METRICS_PORT moves it to a port that need not be exposed;
 * METRICS_TOKEN requires `Authorization: Bearer <token>` wherever it is served. In production, /metrics on the main
 * port without a token is not served at all (404).
 */
export function metricsPolicy(config: Pick<Config, 'production' | 'metrics'>): {
  onMainPort: boolean;
  token: string | null | undefined;
} {
  const { token, port } = config.metrics;
  if (port !== undefined) return { onMainPort: false, token };
  return { onMainPort: true, token: token ?? (config.production ? null : undefined) };
}

/** GET /metrics; `token` undefined: open; null: not served (404); a string: Bearer token required (401). */
export function registerMetricsRoute(http: FastifyInstance, metrics: Metrics, token?: string | null): void {
  if (token === null) return;
  const expected = token === undefined ? undefined : digest(token);
  http.get('/metrics', async (request, reply) => {
    if (expected) {
      const match = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? '').trim());
      if (!match || !timingSafeEqual(digest(match[1]), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

/** The separate metrics server on METRICS_PORT (same host as the gateway). */
export function createMetricsServer(metrics: Metrics, token: string | undefined): FastifyInstance {
  const server = Fastify({ logger: false });
  registerMetricsRoute(server, metrics, token);
  return server;
}
