// Apollo Server for HTTP GraphQL: the admission step's options and plugins, the jit executor, error masking, drain.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../../context';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { Admission } from './admission/admission';
import { admissionPlugin, apolloAdmissionOptions } from './admission/apollo-admission';
import type { FormatError } from './admission/error-format';
import { unexpectedErrorLogPlugin } from './error-masking';
import { createJitGateway, type JitCompiler } from './executor';
import { operationMetricsPlugin } from './operation-metrics';
import { requestScopePlugin } from './request-scope';
import type { FastLane } from '../http/fast-lane';

/**
 * Headers that let a request without a preflighted content type (a GET) through Apollo's CSRF check: Apollo's
 * recommended two (`recommendedCsrfPreventionRequestHeaders` in @apollo/server's preventCsrf.ts) and `authorization`.
 */
export const CSRF_PREVENTION_HEADERS = [
  'x-apollo-operation-name',
  'apollo-require-preflight',
  'authorization',
];

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

/** Builds and starts Apollo Server; `stop()` drains HTTP (fastify) and then `drainWebSockets`. */
export async function startApolloServer(options: {
  http: FastifyInstance;
  schema: GraphQLSchema;
  config: Config;
  log: Logger;
  admission: Admission;
  /** Apollo's `formatError`, the masking the admission step formats with too. */
  formatError: FormatError;
  compiler: JitCompiler;
  /** Closes the graphql-ws server (transport/ws/graphql-ws-server.ts) once HTTP is drained. */
  drainWebSockets: () => Promise<void>;
  fastLane?: FastLane;
}): Promise<ApolloServer<GatewayContext>> {
  const { config, admission, fastLane, schema } = options;
  const apollo = new ApolloServer<GatewayContext>({
    // Queries and mutations run as graphql-jit compiled code behind Apollo's gateway seam
    // (transport/graphql/executor.ts); parsing, validation rules, plugins and formatError are unchanged.
    ...(config.graphql.executor === 'jit'
      ? { gateway: createJitGateway(schema, { compiler: options.compiler }) }
      : { schema }),
    // Persisted queries, parse and validation limits: admission's, as on every path.
    ...apolloAdmissionOptions(admission),
    // CSRF: a GET (or a form-typed POST) runs only when it carries a header a page's script must set itself, so a
    // cross-site page cannot make a browser send it without a CORS preflight. `Authorization` is one: this gateway
    // authenticates only with a Bearer credential (no cookies, and it never asks for HTTP Basic, the one kind a browser
    // attaches on its own), so a request without one rides on no ambient credential and still needs Apollo's headers.
    // That lets urql's and graphql-request's default GET queries in (test/clients/get-queries.test.ts).
    csrfPrevention: { requestHeaders: CSRF_PREVENTION_HEADERS },
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    maxRecursiveSelections: true,
    hideSchemaDetailsFromClientErrors: config.production,
    formatError: options.formatError,
    // src/main.ts owns SIGTERM and SIGINT: it closes the whole gateway (HTTP, WebSockets, background work, Redis),
    // then the sandbox, and exits 0. Apollo's own handlers (on by default outside NODE_ENV=test) would stop Apollo
    // alone and raise the signal again, killing the process before the rest closed.
    stopOnTerminationSignals: false,
    plugins: [
      fastifyApolloDrainPlugin(options.http),
      { serverWillStart: async () => ({ drainServer: options.drainWebSockets }) },
      // Apollo's default landing page loads from a CDN; our own GraphiQL bundle is served instead (transport/http/ide.ts).
      ApolloServerPluginLandingPageDisabled(),
      // The default cache-control plugin wraps every field resolver (willResolveField) to compute
      // HTTP cache hints the contract never sets; measured at ~8% of a cached dashboard's CPU.
      ApolloServerPluginCacheControlDisabled(),
      operationMetricsPlugin(admission.meter),
      admissionPlugin(admission), // admission's operation checks (cost, control characters, …)
      httpSubscriptionRefusalPlugin<GatewayContext>(),
      unexpectedErrorLogPlugin(options.log),
      requestScopePlugin<GatewayContext>(), // request ids for formatError (transport/graphql/request-scope.ts)
      ...(fastLane ? [fastLane.plugin] : []),
    ],
  });
  await apollo.start();
  return apollo;
}
