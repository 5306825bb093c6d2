// HTTP protections around Apollo's /graphql handler: request ids, query length, CORS, GraphQL-shaped 4xx.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { INTERNAL_MESSAGE } from '../graphql/error-masking';
import type { QueryLimits } from '../graphql/limits/limits';
import { originAllowed } from './origins';

/** Largest accepted request body (IN8): fastify answers 413 before parsing anything bigger. */
export const HTTP_BODY_LIMIT = 100 * 1024;

function sendGraphqlError(
  reply: FastifyReply,
  status: number,
  requestId: string,
  message: string,
  extensions: Record<string, unknown>,
) {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('x-request-id', requestId)
    .send(JSON.stringify({ errors: [{ message, extensions: { ...extensions, requestId } }] }));
}

/** The `query` of a POST body or a GET query string, when it is a string. */
function queryOf(request: FastifyRequest): string | undefined {
  const body = request.body as { query?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.query === 'string') return body.query;
  const q = (request.query as { query?: unknown } | undefined)?.query;
  return typeof q === 'string' ? q : undefined;
}

/** Request headers a browser client may send cross-origin (CORS preflight answer). */
const CORS_ALLOW_HEADERS =
  'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';

/**
 * Wraps Apollo's fastify handler: echoes the request id; answers CORS (a foreign `Origin` gets 403, an allowed
 * one its Access-Control headers, a preflight 204); refuses an over-long `query` with 413 before it is parsed;
 * and runs the handler inside the request scope (so every formatted error gets the id).
 * Why refuse a foreign Origin outright, not only omit CORS headers: the request would otherwise still run.
 */
export function guardGraphqlHandler<H extends (...args: never[]) => unknown>(
  handler: H,
  options: { limits: QueryLimits; allowedOrigins: readonly string[] },
): H {
  const { limits, allowedOrigins } = options;
  return function guarded(this: unknown, request: FastifyRequest, reply: FastifyReply) {
    const requestId = request.id;
    void reply.header('x-request-id', requestId);
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!originAllowed(origin, allowedOrigins, request.headers.host)) {
        return sendGraphqlError(reply, 403, requestId, 'This origin may not call the gateway.', {
          code: ErrorCode.FORBIDDEN,
        });
      }
      void reply
        .header('access-control-allow-origin', allowedOrigins.includes('*') ? '*' : origin)
        .header('vary', 'Origin')
        .header('access-control-expose-headers', 'x-request-id, retry-after');
    }
    if (request.method === 'OPTIONS') {
      return reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', CORS_ALLOW_HEADERS)
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    }
    const query = queryOf(request);
    if (query !== undefined && query.length > limits.maxQueryLength) {
      return sendGraphqlError(
        reply,
        413,
        requestId,
        `The query is longer than ${limits.maxQueryLength} characters.`,
        {
          code: ErrorCode.QUERY_TOO_COMPLEX,
          limit: 'length',
          max: limits.maxQueryLength,
        },
      );
    }
    const inner = handler as unknown as (this: unknown, req: FastifyRequest, rep: FastifyReply) => unknown;
    return inner.call(this, request, reply);
  } as unknown as H;
}

/**
 * Route error handler for /graphql: errors raised before Apollo runs (oversized body, bad JSON, unknown
 * content type) answer in GraphQL's error shape with a code and request id, never fastify's default text.
 */
export function graphqlRouteErrorHandler(log: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const requestId = request.id;
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
      return sendGraphqlError(
        reply,
        413,
        requestId,
        `The request body is larger than ${HTTP_BODY_LIMIT} bytes.`,
        {
          code: ErrorCode.QUERY_TOO_COMPLEX,
          limit: 'body',
          max: HTTP_BODY_LIMIT,
        },
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return sendGraphqlError(reply, 415, requestId, 'Send GraphQL requests as application/json.', {
        code: 'BAD_REQUEST',
      });
    }
    if (status >= 400 && status < 500) {
      // Bad JSON, empty body, …: fastify's own message names only the problem, never the content.
      const message =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? 'The request body is not valid JSON.'
          : 'The request is malformed.';
      return sendGraphqlError(reply, status, requestId, message, { code: 'BAD_REQUEST' });
    }
    log.error({ err: error, requestId }, 'unexpected error in /graphql before GraphQL execution');
    return sendGraphqlError(reply, 500, requestId, INTERNAL_MESSAGE, {
      code: ErrorCode.INTERNAL_SERVER_ERROR,
    });
  };
}

/** PUT, PATCH, DELETE on /graphql: 405 in GraphQL's error shape (fastify would answer its own 404/400 text). */
export function methodNotAllowed(request: FastifyRequest, reply: FastifyReply) {
  void reply.header('allow', 'GET, POST, OPTIONS');
  return sendGraphqlError(reply, 405, request.id, 'GraphQL requests use GET (queries) or POST.', {
    code: 'BAD_REQUEST',
  });
}
