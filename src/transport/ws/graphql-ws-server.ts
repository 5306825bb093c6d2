// GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql path, authenticated in connection_init.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../../platform/config';
import type { GatewayContext } from '../../context';
import type { Caller } from '../../services/auth/auth';
import { withOperationMetrics } from '../graphql/operation-metrics';
import type { ServiceDeps } from '../../services/domain/request-services';
import type { Admission } from '../graphql/admission/admission';
import { gatewayContext, type ClientRequest } from '../graphql/gateway-context';
import { clientAddress } from '../http/client-address';
import {
  closeAtTokenExpiry,
  closeUnauthorized,
  UNAUTHORIZED_CLOSE_CODE,
  verifyOrigin,
  wsGuardHooks,
} from './ws-guard';
import { CONNECTION_CAP_CLOSE_CODE, ConnectionCap } from './connection-cap';
import { subscribeWithFreshContext } from './subscription-execution';
import { resumeKey } from './resume-key';
import { createSharedFrames } from './ws-frames';
import { createWsTracing } from './ws-tracing';
import type { Tracing } from '../../platform/tracing';

/** What onConnect learns about the connection: every operation on it runs as this caller. */
interface WsExtra extends ClientRequest {
  caller?: Caller;
}

/** Largest accepted frame; `ws` would otherwise accept 100 MiB. */
const WS_MAX_PAYLOAD = 64 * 1024;

export function attachGraphqlWs(options: {
  server: Server;
  schema: GraphQLSchema;
  config: Config;
  deps: ServiceDeps;
  /** The admission step HTTP operations pass too (transport/graphql/admission/admission.ts). */
  admission: Admission;
  /** OpenTelemetry (platform/tracing.ts): operation spans (ws-tracing.ts). Absent: off. */
  tracing?: Tracing;
}): {
  dispose: () => Promise<void>;
  /**
   * Closes the sockets of every partner not in `partnerIds` (a PARTNER_KEYS_FILE reload removed it) with 4401, as a
   * credential that no longer verifies; returns how many.
   */
  closeRemovedPartners: (partnerIds: ReadonlySet<string>) => number;
} {
  const wss = new WebSocketServer({
    server: options.server,
    path: '/graphql',
    maxPayload: WS_MAX_PAYLOAD, // a bigger frame closes the socket with 1009
    verifyClient: verifyOrigin(options.config.allowedOrigins), // WS1: foreign Origin refused with 403
  });
  // Results shared by many sockets are serialized once per event (ws-frames.ts); before graphql-ws's handler.
  const frames = createSharedFrames();
  frames.attach(wss);
  const { admission } = options;
  const cap = new ConnectionCap(options.config.wsMaxConnectionsPerPartner);
  const guard = wsGuardHooks<Extra & Partial<WsExtra>>({ admission });
  /** Per subscription context: how to send its results straight to its socket (subscription-execution.ts). */
  const directSenders = new WeakMap<object, (result: ExecutionResult) => boolean>();
  const spans = options.tracing ? createWsTracing(options.tracing) : undefined;
  const withSpans = <P extends Record<string, unknown>, E>(o: ServerOptions<P, E>) =>
    spans ? spans.wrap(o) : o;
  const cleanup = useServer<Record<string, unknown>, Partial<WsExtra>>(
    // Operation spans (ws-tracing.ts), when tracing is on.
    withSpans(
      // Operation counts, durations and the active-subscription gauge (graphql_subscriptions_active).
      withOperationMetrics(
        {
          schema: options.schema,
          connectionInitWaitTimeout: 3000,
          // Each subscription event runs with fresh request services (fresh DataLoaders).
          // Identical subscriptions of one caller share each event's execution (subscription-execution.ts).
          subscribe: subscribeWithFreshContext<GatewayContext>(
            (ctx) => gatewayContext(options.deps, ctx.caller, ctx),
            {
              shareKey: ({ caller: c }) =>
                c.kind === 'customer' ? `c:${c.partnerId}:${c.customerId}` : `p:${c.partnerId}`,
              direct: (context) => directSenders.get(context),
              aroundEvent: spans?.aroundEvent,
            },
          ),
          // Admission per operation (rate limit, APQ, limits, checks in onSubscribe) and HTTP's error formatting.
          ...guard,
          // Errors are masked per socket (their request id); an error-free result is one shared text.
          onNext: (ctx, id, payload, args, result) =>
            guard.onNext(ctx, id, payload, args, result) ?? frames.payloadFor(result),
          onConnect: async (ctx) => {
            const req = ctx.extra.request;
            const ip = clientAddress(req, options.config.trustProxy); // the upgrade request's client (TRUST_PROXY)
            // Admission's step 1, as on HTTP (the same per-address failure budget); refused like a bad token.
            const auth = await admission.authenticate(ip, ctx.connectionParams?.authorization);
            // An address over its failure budget: 4403 (graphql-ws's own refusal; its client retries with backoff).
            if ('blockedForSeconds' in auth) return false;
            if (!('caller' in auth)) {
              closeUnauthorized(ctx.extra.socket, 'expired' in auth); // 4401 first: graphql-ws's 4403 then finds it closing
              return false;
            }
            const { caller } = auth;
            // Over its partner's cap (WS_MAX_CONNECTIONS_PER_PARTNER): closed with 1013 before any ack; the close
            // graphql-ws then sends for `false` is ignored, the socket being closed already.
            if (!cap.admit(ctx.extra.socket, caller)) {
              ctx.extra.socket.close(CONNECTION_CAP_CLOSE_CODE, 'Too many connections for this partner');
              return false;
            }
            ctx.extra.caller = caller;
            closeAtTokenExpiry(ctx.extra.socket, caller); // WS6
            ctx.extra.requestId = `ws_${randomUUID()}`;
            ctx.extra.clientIp = ip;
            ctx.extra.userAgent = String(req.headers['user-agent'] ?? '');
            // connection_ack's payload: when a customer token expires, so a client can renew it in time.
            return caller.kind === 'customer'
              ? { expiresAt: new Date(caller.expiresAt).toISOString() }
              : true;
          },
          context: (ctx, id, payload): GatewayContext => {
            const extra = ctx.extra as WsExtra & Extra;
            const context = gatewayContext(options.deps, extra.caller!, extra);
            // A subscription that comes back with this id within the grace window resumes (resume-key.ts).
            context.resumeKey = resumeKey(extra.caller!, id, payload);
            directSenders.set(context, frames.nextSender(extra.socket, id));
            return context;
          },
        },
        admission.meter,
      ),
    ),
    wss,
  );
  return {
    closeRemovedPartners: (partnerIds) =>
      cap.closeAllBut(partnerIds, UNAUTHORIZED_CLOSE_CODE, 'Unauthorized: partner removed'),
    dispose: async () => {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
