// WebSocket protections: Origin check on upgrade, the shared query limits, rate limits, error masking, token expiry.
import type { IncomingMessage } from 'node:http';
import {
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Caller } from '../../services/auth/auth';
import type { CallerRateLimiter } from '../../services/auth/rate-limit';
import { maskError, maskGraphQLErrors } from '../graphql/error-masking';
import { rateLimitedError } from '../http/http-guards';
import { checkOperation, type QueryLimits } from '../graphql/limits/limits';
import { originAllowed } from '../http/origins';

/** Close code for a customer token that expires while its socket is open (same as a bad token). */
const TOKEN_EXPIRED_CLOSE_CODE = 4403;

/** `ws`'s verifyClient: refuses a foreign Origin with 403 before the handshake completes (WS1). */
export function verifyOrigin(allowedOrigins: readonly string[]) {
  return (
    info: { origin: string; req: IncomingMessage; secure: boolean },
    callback: (result: boolean, code?: number, message?: string) => void,
  ) => {
    if (originAllowed(info.origin || undefined, allowedOrigins, info.req.headers.host)) callback(true);
    else callback(false, 403, 'Origin not allowed');
  };
}

/** Closes the socket when a customer token expires (WS6); the timer dies with the socket. */
export function closeAtTokenExpiry(socket: WebSocket, caller: Caller): void {
  if (caller.kind !== 'customer') return;
  const timer = setTimeout(
    () => socket.close(TOKEN_EXPIRED_CLOSE_CODE, 'Forbidden: token expired'),
    Math.max(0, caller.expiresAt - Date.now()),
  );
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

interface GuardExtra {
  caller?: Caller;
  requestId?: string;
}

/**
 * graphql-ws hooks applying the same limits as HTTP. `onSubscribe` parses with the token limit and
 * validates with `[...specifiedRules, ...limit rules]`, checks cost, the per-socket operation cap and the
 * caller's rate; it returns execution args without `contextValue`, so graphql-ws still calls `context`.
 */
export function wsGuardHooks<E extends GuardExtra>(options: {
  schema: GraphQLSchema;
  limits: QueryLimits;
  production: boolean;
  rateLimiter: CallerRateLimiter;
  log: Logger;
}) {
  const maskOptions = (extra: GuardExtra) => ({
    requestId: extra.requestId,
    production: options.production,
    log: options.log,
  });
  return {
    onSubscribe: async (
      ctx: Context<Record<string, unknown>, E>,
      _id: string,
      payload: SubscribePayload,
    ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
      // graphql-ws registers the id before this hook runs, so the count includes this operation.
      const open = Object.keys(ctx.subscriptions).length;
      if (open > options.limits.maxSubscriptionsPerSocket) {
        return [
          new GraphQLError(
            `At most ${options.limits.maxSubscriptionsPerSocket} operations may run on one socket.`,
            { extensions: { code: ErrorCode.RATE_LIMITED, max: options.limits.maxSubscriptionsPerSocket } },
          ),
        ];
      }
      if (ctx.extra.caller) {
        const decision = await options.rateLimiter.consume(ctx.extra.caller);
        if (!decision.allowed)
          return [rateLimitedError(decision.retryAfterSeconds, ctx.extra.requestId ?? '', false)];
      }
      const checked = checkOperation(options.schema, payload, options.limits, {
        production: options.production,
      });
      if ('errors' in checked) return checked.errors;
      return {
        schema: options.schema,
        document: checked.document,
        operationName: payload.operationName ?? undefined,
        variableValues: payload.variables ?? undefined,
      };
    },
    onError: (
      ctx: Context<Record<string, unknown>, E>,
      _id: string,
      _payload: SubscribePayload,
      errors: readonly GraphQLError[],
    ) => maskGraphQLErrors(errors, maskOptions(ctx.extra)),
    onNext: (
      ctx: Context<Record<string, unknown>, E>,
      _id: string,
      _payload: SubscribePayload,
      _args: ExecutionArgs,
      result: ExecutionResult,
    ): FormattedExecutionResult | void => {
      if (!result.errors?.length) return undefined;
      return {
        ...result,
        errors: result.errors.map((e) => maskError(e.toJSON(), e, maskOptions(ctx.extra))),
      };
    },
  };
}
