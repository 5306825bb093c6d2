// Who is calling, for both transports: authentication (valid credentials first, then the failure budget), and the one context builder.
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../../context';
import { credentialFingerprint, type Caller } from '../../services/auth/auth';
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
  /** The credential failed, and its address or the credential itself is over the failure budget. */
  | { blockedForSeconds: number }
  | { invalid: true };

/** Distinct verified credentials remembered (LRU). */
const MAX_VERIFIED_CREDENTIALS = 10_000;

const INVALID: Authentication = { invalid: true };

/**
 * Credentials that authenticated, with their answer, until they expire: a partner key until the partner keys are
 * replaced (PARTNER_KEYS_FILE re-read on SIGHUP: `Authenticator.partnersVersion` moves and every entry is forgotten),
 * a customer token until its `exp` (the same instant jose's check refuses it).
 * Why: verifying a token (HMAC) and hashing a key on every request showed in the cached-dashboard profile; a hit
 * answers with the object stored, so a known credential costs one map lookup, no allocation, no Redis command.
 * Failures are never remembered, so each one is counted (AuthFailureLimiter).
 */
export class VerifiedCredentials {
  private readonly known = new LRUCache<string, { caller: Caller }>({
    max: MAX_VERIFIED_CREDENTIALS,
  });
  private version = 0;

  /** @param partnersVersion the authenticator's: a different one than last time forgets everything */
  get(credential: unknown, partnersVersion = 0): { caller: Caller } | undefined {
    if (partnersVersion !== this.version) {
      this.known.clear();
      this.version = partnersVersion;
    }
    if (typeof credential !== 'string') return undefined;
    const hit = this.known.get(credential);
    if (hit && hit.caller.kind === 'customer' && Date.now() >= hit.caller.expiresAt) {
      this.known.delete(credential);
      return undefined;
    }
    return hit;
  }

  remember(credential: unknown, auth: { caller: Caller }): void {
    if (typeof credential === 'string') this.known.set(credential, auth);
  }
}

/**
 * Authenticates `credential` (an `Authorization` value) sent from `clientIp`.
 *
 * Why the credential is checked before any failure budget: a budget that refuses unchecked would let junk from
 * one shared address (a partner's NAT, a load balancer) lock out the valid keys behind it. So a valid key or token
 * (compared in constant time, services/auth/auth.ts) is always served; only a failed one is counted, per address
 * and per credential fingerprint (services/auth/rate-limit.ts AuthFailureLimiter), and over either budget it is
 * answered 429 instead of 401.
 */
export async function authenticateClient(
  deps: ServiceDeps,
  authFailures: AuthFailureLimiter,
  clientIp: string,
  credential: unknown,
  verified?: VerifiedCredentials,
): Promise<Authentication> {
  const known = verified?.get(credential, deps.authenticator.partnersVersion);
  if (known) return known;
  const caller = await deps.authenticator.authenticate(credential);
  if (caller) {
    const auth = { caller };
    verified?.remember(credential, auth);
    return auth;
  }
  const blockedFor = await authFailures.recordFailure(clientIp, credentialFingerprint(credential));
  return blockedFor === null ? INVALID : { blockedForSeconds: blockedFor };
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
