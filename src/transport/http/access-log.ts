// One log line per HTTP request, carrying its request id (the one in error extensions and X-Request-Id).
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../platform/logger';
import type { TrustProxy } from '../../platform/config';
import { clientAddress } from './client-address';

/** Paths polled by machines or fetched by browsers in bulk: logged at debug so they do not drown the rest. */
const QUIET = /^\/(healthz|readyz|metrics|ui\/assets\/)/;

export function registerAccessLog(http: FastifyInstance, log: Logger, trustProxy: TrustProxy = false): void {
  http.addHook('onResponse', async (request, reply) => {
    // Never the query string: a GET /graphql carries the query and its variables there.
    const path = request.url.split('?', 1)[0];
    const line = {
      requestId: request.id,
      method: request.method,
      path,
      ip: clientAddress(request.raw, trustProxy),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (QUIET.test(path) && reply.statusCode < 400) log.debug(line, 'http request');
    else log.info(line, 'http request');
  });
}
