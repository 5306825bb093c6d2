// Who is calling, for both transports: authentication under the per-address failure budget, and the one context builder.
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../../context';
import { credentialShape, type Caller } from '../../services/auth/auth';
import type { AuthFailureLimiter } from '../../services/auth/rate-limit';
import { createRequestServices, type ServiceDeps } from '../../services/domain/request-services';

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

/** Distinct verified credentials remembered (LRU). */
const MAX_VERIFIED_CREDENTIALS = 10_000;

/**
 * Credentials that authenticated, with their shape, until they expire: a partner key for the life of the
 * process (keys come from config), a customer token until its `exp` (the same instant jose's check refuses it).
 * Why: verifying a token (HMAC) and hashing a key on every request showed in the cached-dashboard profile.
 * Failures are never remembered, so each one still counts against the address (AuthFailureLimiter).
 */
export class VerifiedCredentials {
  private readonly known = new LRUCache<string, { shape: string; caller: Caller }>({
    max: MAX_VERIFIED_CREDENTIALS,
  });

  get(credential: unknown): { shape: string; caller: Caller } | undefined {
    if (typeof credential !== 'string') return undefined;
    const hit = this.known.get(credential);
    if (hit && hit.caller.kind === 'customer' && Date.now() >= hit.caller.expiresAt) {
      this.known.delete(credential);
      return undefined;
    }
    return hit;
  }

  remember(credential: unknown, shape: string, caller: Caller): void {
    if (typeof credential === 'string') this.known.set(credential, { shape, caller });
  }
}

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
  verified?: VerifiedCredentials,
): Promise<Authentication> {
  const known = verified?.get(credential);
  const shape = known?.shape ?? credentialShape(credential);
  const blockedFor = await authFailures.blockedFor(clientIp, shape);
  if (blockedFor !== null) return { blockedForSeconds: blockedFor };
  if (known) return { caller: known.caller };
  const caller = await deps.authenticator.authenticate(credential);
  if (caller) {
    verified?.remember(credential, shape, caller);
    return { caller };
  }
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
