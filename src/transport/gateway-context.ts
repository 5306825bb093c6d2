// Who is calling, for both transports: authentication under the per-address failure budget, and the one context builder.
import type { GatewayContext } from '../context';
import { credentialShape, type Caller } from '../services/auth/auth';
import type { AuthFailureLimiter } from '../services/auth/rate-limit';
import { createRequestServices, type ServiceDeps } from '../services/domain/request-services';

/** The request (HTTP) or connection (WebSocket) an operation arrived on. */
export interface ClientRequest {
  /** Correlates logs and error extensions. */
  requestId: string;
  clientIp: string;
  userAgent: string;
}

export type Authentication =
  | { caller: Caller }
  /** The address failed authentication too often with credentials of this shape: refused before it is checked. */
  | { blockedForSeconds: number }
  | { invalid: true };

/**
 * Authenticates `credential` (an `Authorization` value) sent from `clientIp`. Every failure counts against
 * the address and the credential's shape (services/auth/rate-limit.ts AuthFailureLimiter); over the budget,
 * credentials of that shape from that address are refused unchecked, so they cannot be guessed at the speed
 * the gateway answers, while valid credentials of other shapes from the same address keep working.
 */
export async function authenticateClient(
  deps: ServiceDeps,
  authFailures: AuthFailureLimiter,
  clientIp: string,
  credential: unknown,
): Promise<Authentication> {
  const shape = credentialShape(credential);
  const blockedFor = await authFailures.blockedFor(clientIp, shape);
  if (blockedFor !== null) return { blockedForSeconds: blockedFor };
  const caller = await deps.authenticator.authenticate(credential);
  if (caller) return { caller };
  await authFailures.recordFailure(clientIp, shape);
  return { invalid: true };
}

/**
 * The context of one GraphQL execution: an HTTP operation, a WebSocket operation, or one event of a
 * subscription. Each call builds fresh request services (fresh DataLoaders), so nothing cached for one
 * execution is served to the next.
 */
export function gatewayContext(deps: ServiceDeps, caller: Caller, client: ClientRequest): GatewayContext {
  return {
    requestId: client.requestId,
    caller,
    clientIp: client.clientIp,
    userAgent: client.userAgent,
    log: deps.log.child({ requestId: client.requestId }),
    services: createRequestServices(deps, caller),
  };
}
