// HTTP timeouts: request headers, the request received in full (a slow body is cut), and the request answered.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../../platform/config';
import { ErrorCode } from '../../platform/errors';

/**
 * Fastify/Node server options for the receive timeouts. Node answers 408 and closes the connection when the
 * headers (`headersTimeout`) or the whole request, body included (`requestTimeout`), take longer; it checks
 * every `connectionsCheckingInterval`, so a slow body is cut within bodyMs + 1 s. Why: without them, a client
 * declaring a large body and sending a byte every few seconds holds a connection (and its buffers) forever,
 * before it is even authenticated (docs/security-catalogue.md IN10).
 */
export function httpTimeoutOptions(timeouts: Config['httpTimeouts']): Pick<
  FastifyServerOptions,
  'requestTimeout'
> & {
  http: { headersTimeout: number; connectionsCheckingInterval: number };
} {
  return {
    requestTimeout: timeouts.bodyMs,
    http: {
      // Node requires headersTimeout <= requestTimeout.
      headersTimeout: Math.min(timeouts.headersMs, timeouts.bodyMs),
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
  };
}

/**
 * The whole-request timeout: a request not answered within `requestMs` gets 503 UPSTREAM_UNAVAILABLE (GraphQL
 * error shape) and its connection is closed. Why 90 s by default: longer than one Stripe call's deadline
 * (STRIPE_DEADLINE_MS, 30 s), so an operation normally fails with its own error first; this only bounds an
 * operation whose sequential calls add up. WebSocket upgrades are not HTTP requests here and are not affected.
 */
export function registerWholeRequestTimeout(http: FastifyInstance, requestMs: number): void {
  http.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      void reply
        .code(503)
        .header('content-type', 'application/json; charset=utf-8')
        .header('connection', 'close')
        .send(
          JSON.stringify({
            errors: [
              {
                message: 'The request took too long to answer; retry later.',
                extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, requestId: request.id },
              },
            ],
          }),
        );
    }, requestMs);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
