// GraphQL over HTTP at /graphql: the fast lane or Apollo Server, request ids and the per-request context.
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config';
import type { GatewayContext } from '../../context';
import type { ServiceDeps } from '../../services/domain/request-services';
import type { Admission } from '../graphql/admission/admission';
import { gatewayContext } from '../graphql/gateway-context';
import type { FastLane, HandedOver } from './fast-lane';
import { clientAddress } from './client-address';
import { withRequestId } from '../graphql/request-scope';
import { graphqlRouteErrorHandler, guardGraphqlHandler, methodNotAllowed } from './http-guards';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import { failSpan, type Tracing } from '../../platform/tracing';
import { ATTR_GATEWAY_REQUEST_ID, hasOperationErrors, inOperationSpan } from '../graphql/operation-tracing';
import { applyJsonClientStatus } from './json-client-status';

/** A request id for logs and error extensions: the caller's `X-Request-Id` when sane, else a new one. */
export function requestIdOf(header: unknown): string {
  return typeof header === 'string' && /^[A-Za-z0-9_.:-]{8,64}$/.test(header)
    ? header
    : `req_${randomUUID()}`;
}

/**
 * Steps 1 and 2 of admission (transport/graphql/admission/admission.ts) for one HTTP operation, then its context.
 * The fast lane may have taken them already for this request ({@link HandedOver}): each is counted once.
 * @throws GraphQLError UNAUTHENTICATED (HTTP 401), or RATE_LIMITED (HTTP 429) for the address or the caller
 */
async function httpContext(
  request: FastifyRequest,
  admission: Admission,
  deps: ServiceDeps,
  config: Config,
  handed: HandedOver | undefined,
): Promise<GatewayContext> {
  if (handed && 'failure' in handed) throw handed.failure;
  const requestId = request.id; // app.ts genReqId: requestIdOf(X-Request-Id)
  const clientIp = clientAddress(request.raw, config.trustProxy);
  const auth = handed?.auth ?? (await admission.authenticate(clientIp, request.headers.authorization));
  const refused = admission.authenticationRefusal(auth, requestId);
  if (refused || !('caller' in auth)) throw refused;
  const rate =
    handed?.rate !== undefined
      ? handed.rate
      : admission.rateRefusal(await admission.rateLimit(auth.caller), requestId, true);
  if (rate) throw rate;
  return gatewayContext(deps, auth.caller, {
    requestId,
    clientIp,
    userAgent: String(request.headers['user-agent'] ?? ''),
  });
}

export function registerGraphqlHttp(
  http: FastifyInstance,
  options: {
    apollo: ApolloServer<GatewayContext>;
    config: Config;
    deps: ServiceDeps;
    /** Authentication and rate limit of every operation (transport/graphql/admission/admission.ts). */
    admission: Admission;
    /** Warm operations ahead of Apollo Server (fast-lane.ts); absent: Apollo Server answers everything. */
    fastLane?: FastLane;
    /** OpenTelemetry (platform/tracing.ts): every GraphQL request runs in its operation span. Absent: off. */
    tracing?: Tracing;
  },
): void {
  const { fastLane } = options;
  const apolloHandler = fastifyApolloHandler(options.apollo, {
    context: (request) =>
      httpContext(request, options.admission, options.deps, options.config, fastLane?.handedOver(request)),
  });
  // Errors Apollo formats outside any request name it by a placeholder (request-scope.ts).
  const apolloAnswer = async function apolloAnswer(
    this: FastifyInstance,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    return withRequestId(
      await apolloHandler.call(
        this,
        request as Parameters<typeof apolloHandler>[0],
        reply as Parameters<typeof apolloHandler>[1],
      ),
      request.id,
    );
  } as typeof apolloHandler;
  const answer = fastLane
    ? (async function laneFirst(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
        return (
          (await fastLane.handle(request, reply)) ??
          apolloAnswer.call(
            this,
            request as Parameters<typeof apolloHandler>[0],
            reply as Parameters<typeof apolloHandler>[1],
          )
        );
      } as typeof apolloHandler)
    : apolloAnswer;
  // One status rule for both paths, so the lane and Apollo keep answering alike (json-client-status.ts).
  const handler = async function withJsonClientStatus(
    this: FastifyInstance,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const body = await answer.call(
      this,
      request as Parameters<typeof apolloHandler>[0],
      reply as Parameters<typeof apolloHandler>[1],
    );
    applyJsonClientStatus(request, reply, body);
    return body;
  } as typeof apolloHandler;
  const guarded = guardGraphqlHandler(handler, {
    limits: options.config.limits,
    allowedOrigins: options.config.allowedOrigins,
  });
  http.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: options.tracing ? tracedGraphqlHandler(guarded, options.tracing) : guarded,
    errorHandler: graphqlRouteErrorHandler(options.deps.log),
  });
  http.route({
    url: '/graphql',
    method: ['PUT', 'PATCH', 'DELETE'],
    handler: methodNotAllowed,
    errorHandler: graphqlRouteErrorHandler(options.deps.log),
  });
}

/**
 * Runs each GraphQL request (not CORS preflights) inside its operation span, so that span is the active parent of
 * every Stripe call the operation makes, on the fast lane and through Apollo Server alike; each describes it
 * (fast-lane.ts, transport/graphql/operation-tracing.ts). A refusal with no GraphQL errors recorded (the origin
 * check, the query length) fails the span with its HTTP status as `error.type`.
 */
function tracedGraphqlHandler<H extends (...args: never[]) => unknown>(handler: H, tracing: Tracing): H {
  return async function traced(this: unknown, request: FastifyRequest, reply: FastifyReply) {
    const run = handler as unknown as (
      this: unknown,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<unknown>;
    if (request.method === 'OPTIONS') return run.call(this, request, reply);
    const attributes = { [ATTR_GATEWAY_REQUEST_ID]: request.id, [ATTR_HTTP_REQUEST_METHOD]: request.method };
    return inOperationSpan(tracing, attributes, async (span) => {
      const answer = await run.call(this, request, reply);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 400 && !hasOperationErrors(span)) failSpan(span, String(reply.statusCode));
      return answer;
    });
  } as unknown as H;
}
