// GraphQL over HTTP at /graphql: authentication, request ids and the per-request context.
import { randomUUID } from 'node:crypto';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Config } from '../../platform/config';
import type { GatewayContext } from '../../context';
import { ErrorCode } from '../../platform/errors';
import type { ServiceDeps } from '../../services/domain/request-services';
import type { AuthFailureLimiter, CallerRateLimiter } from '../../services/auth/rate-limit';
import { authenticateClient, gatewayContext, type VerifiedCredentials } from '../graphql/gateway-context';
import type { FastLane, HandedOver } from './fast-lane';
import { clientAddress } from './client-address';
import { withRequestId } from '../graphql/request-scope';
import {
  enforceRateLimit,
  graphqlRouteErrorHandler,
  rateLimitedError,
  guardGraphqlHandler,
  methodNotAllowed,
} from './http-guards';

/**
 * Apollo plugin: a subscription sent over HTTP is refused before it runs (400 BAD_REQUEST). Subscriptions are
 * served over graphql-ws on the same /graphql path; over HTTP the resolver would see no event and fail.
 */
export function httpSubscriptionRefusalPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (graphql-ws protocol) at /graphql, not over HTTP.',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}

/** A request id for logs and error extensions: the caller's `X-Request-Id` when sane, else a new one. */
export function requestIdOf(header: unknown): string {
  return typeof header === 'string' && /^[A-Za-z0-9_.:-]{8,64}$/.test(header)
    ? header
    : `req_${randomUUID()}`;
}

/**
 * Builds the context of one HTTP GraphQL operation, or throws UNAUTHENTICATED (HTTP 401), or RATE_LIMITED
 * (HTTP 429) when the client's address has failed authentication too often.
 */
async function httpContext(
  request: FastifyRequest,
  deps: ServiceDeps,
  authFailures: AuthFailureLimiter,
  config: Config,
  verified: VerifiedCredentials | undefined,
  handed: HandedOver | undefined,
): Promise<GatewayContext> {
  const requestId = request.id; // app.ts genReqId: requestIdOf(X-Request-Id)
  const clientIp = clientAddress(request.raw, config.trustProxy);
  // The fast lane already authenticated this request (and counted a failure, if any): never twice.
  const auth =
    handed && 'auth' in handed
      ? handed.auth
      : await authenticateClient(deps, authFailures, clientIp, request.headers.authorization, verified);
  if ('blockedForSeconds' in auth) throw rateLimitedError(auth.blockedForSeconds, requestId, true);
  if (!('caller' in auth)) {
    throw new GraphQLError('A valid Authorization: Bearer credential is required.', {
      extensions: { code: ErrorCode.UNAUTHENTICATED, requestId, http: { status: 401 } },
    });
  }
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
    rateLimiter: CallerRateLimiter;
    authFailures: AuthFailureLimiter;
    /** Verified credentials remembered until they expire (gateway-context.ts). */
    verified?: VerifiedCredentials;
    /** Warm operations ahead of Apollo Server (fast-lane.ts); absent: Apollo Server answers everything. */
    fastLane?: FastLane;
  },
): void {
  const { fastLane } = options;
  const apolloHandler = fastifyApolloHandler(options.apollo, {
    context: async (request) => {
      const handed = fastLane?.handedOver(request);
      if (handed && 'failure' in handed) throw handed.failure;
      const context = await httpContext(
        request,
        options.deps,
        options.authFailures,
        options.config,
        options.verified,
        handed,
      );
      if (handed && 'allowed' in handed && handed.allowed) {
        if (!handed.allowed.allowed)
          throw rateLimitedError(handed.allowed.retryAfterSeconds, context.requestId, true);
      } else {
        await enforceRateLimit(options.rateLimiter, context.caller, context.requestId); // 429 + Retry-After
      }
      return context;
    },
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
  const handler = fastLane
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
  http.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: guardGraphqlHandler(handler, {
      limits: options.config.limits,
      allowedOrigins: options.config.allowedOrigins,
    }),
    errorHandler: graphqlRouteErrorHandler(options.deps.log),
  });
  http.route({
    url: '/graphql',
    method: ['PUT', 'PATCH', 'DELETE'],
    handler: methodNotAllowed,
    errorHandler: graphqlRouteErrorHandler(options.deps.log),
  });
}
