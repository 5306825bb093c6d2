// WebSocket protections: Origin check on upgrade, the admission step per operation, token expiry.
import type { IncomingMessage } from 'node:http';
import {
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
} from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../platform/errors';
import type { Caller } from '../../services/auth/auth';
import type { Admission } from '../graphql/admission/admission';
import { originAllowed } from '../http/origins';

/**
 * Close codes chosen for graphql-ws's client (its `isFatalConnectionProblem` list, client.ts):
 * - a token that expires on an open socket: 4403, which the client retries, so a `connectionParams` function gets to
 *   send a fresh token and the subscriptions continue;
 * - no valid credential at `connection_init` (forged, unknown, or already expired): 4401, which it treats as fatal,
 *   so a fixed stale token stops after that one retry instead of looping. docs/errors.md lists them (error-catalogue.ts).
 */
export const TOKEN_EXPIRED_CLOSE_CODE = 4403;
export const UNAUTHORIZED_CLOSE_CODE = 4401;

/** Closes a socket whose `connection_init` carried no valid credential (see the close codes above). */
export function closeUnauthorized(socket: WebSocket, expired: boolean): void {
  socket.close(UNAUTHORIZED_CLOSE_CODE, expired ? 'Unauthorized: token expired' : 'Unauthorized');
}

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
 * graphql-ws hooks running the admission step (transport/graphql/admission/admission.ts) on every operation of an
 * authenticated socket: after the per-socket operation cap, `onSubscribe` runs steps 2 to 5 (rate limit, APQ, parse
 * and validate with the limits, operation checks) and returns execution args without `contextValue`, so graphql-ws
 * still calls `context`. Errors are formatted as on HTTP (admission's error formatting).
 */
export function wsGuardHooks<E extends GuardExtra>(options: { admission: Admission }) {
  const { admission } = options;
  const { maxSubscriptionsPerSocket } = admission.limits;
  const format = (extra: GuardExtra, errors: readonly unknown[]) =>
    admission.formatErrors(errors, extra.requestId ?? '').formatted;
  return {
    onSubscribe: async (
      ctx: Context<Record<string, unknown>, E>,
      _id: string,
      payload: SubscribePayload,
    ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
      // graphql-ws registers the id before this hook runs, so the count includes this operation.
      const open = Object.keys(ctx.subscriptions).length;
      if (open > maxSubscriptionsPerSocket) {
        return [
          new GraphQLError(`At most ${maxSubscriptionsPerSocket} operations may run on one socket.`, {
            extensions: { code: ErrorCode.RATE_LIMITED, max: maxSubscriptionsPerSocket },
          }),
        ];
      }
      const caller = ctx.extra.caller;
      if (!caller) {
        // Unreachable while onConnect admits only authenticated sockets; refused rather than run as nobody.
        return [
          new GraphQLError('A valid authorization connection parameter is required.', {
            extensions: { code: ErrorCode.UNAUTHENTICATED },
          }),
        ];
      }
      const admitted = await admission.admitPayload(payload, caller, ctx.extra.requestId ?? '');
      if ('errors' in admitted) {
        const { operation } = admitted;
        const name = payload.operationName ?? operation?.name?.value;
        admission.meter.rejected(
          operation?.operation ?? 'unknown',
          admission.meter.label(name, caller.partnerId),
        );
        return admitted.errors;
      }
      return {
        schema: admission.schema,
        document: admitted.document,
        operationName: payload.operationName ?? undefined,
        variableValues: payload.variables ?? undefined,
      };
    },
    onError: (
      ctx: Context<Record<string, unknown>, E>,
      _id: string,
      _payload: SubscribePayload,
      errors: readonly GraphQLError[],
    ) => format(ctx.extra, errors),
    onNext: (
      ctx: Context<Record<string, unknown>, E>,
      _id: string,
      _payload: SubscribePayload,
      _args: ExecutionArgs,
      result: ExecutionResult,
    ): FormattedExecutionResult | void => {
      if (!result.errors?.length) return undefined;
      return { ...result, errors: format(ctx.extra, result.errors) };
    },
  };
}
