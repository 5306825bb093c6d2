// Assembles one gateway instance: HTTP + WebSocket GraphQL, health and metrics routes, and their shutdown.
import { ApolloServer } from '@apollo/server';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config';
import type { GatewayContext } from './context';
import { createLogger, type Logger } from './logger';
import { buildGatewaySchema } from './schema';
import { Authenticator } from './services/auth';
import { createMetrics, type Metrics } from './services/metrics';
import { type ServiceDeps } from './services/request-services';
import { createStripeClient, type StripeClient } from './services/stripe-client';
import { registerGraphqlHttp } from './transport/graphql-http';
import { registerHealthRoutes } from './transport/health';
import { attachGraphqlWs } from './transport/ws';

/** A running (or ready to run) gateway instance. */
export interface Gateway {
  readonly http: FastifyInstance;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly stripeClient: StripeClient;
  /** Listens on `config.port` (0 picks a free port) and resolves to the base URL. */
  listen(): Promise<string>;
  /** Drains HTTP, closes WebSockets with 1001, stops background work. Idempotent. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Log destination (tests capture it to scan for secrets). */
  logDestination?: import('pino').DestinationStream;
}

/** Builds a gateway from validated config. Nothing listens until `listen()`. */
export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const log = createLogger(config.logLevel, options.logDestination);
  const metrics = createMetrics({ defaultMetrics: true });
  const stripeClient = createStripeClient({
    secretKey: config.stripe.secretKey,
    apiBase: config.stripe.apiBase,
    metrics,
  });
  const authenticator = new Authenticator(config.partners, config.tokenSecret);
  const deps: ServiceDeps = { stripeClient, authenticator, log };

  const schema = await buildGatewaySchema();
  const http = Fastify({ logger: false, bodyLimit: 100 * 1024, trustProxy: false });

  const ws = attachGraphqlWs({ server: http.server, schema, config, deps, metrics });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    csrfPrevention: true,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    plugins: [fastifyApolloDrainPlugin(http), { serverWillStart: async () => ({ drainServer: ws.dispose }) }],
  });
  await apollo.start();

  registerGraphqlHttp(http, { apollo, config, deps });
  registerHealthRoutes(http, { metrics, checks: [] });

  let closing: Promise<void> | undefined;
  return {
    http,
    log,
    metrics,
    stripeClient,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://127.0.0.1:${port}`;
    },
    close() {
      closing ??= (async () => {
        await apollo.stop(); // drains HTTP and disposes the WebSocket server
        await http.close();
      })();
      return closing;
    },
  };
}
