// The per-operation context every resolver receives: who is calling, and request-scoped services.
import type { Logger } from './platform/logger';
import type { Caller } from './services/auth/auth';
import type { RequestServices } from './services/domain/request-services';

export interface GatewayContext {
  /** Correlates logs and error extensions (`extensions.requestId`). */
  requestId: string;
  caller: Caller;
  /** The HTTP client's address and user agent (mandate acceptance for ACH uses them). */
  clientIp: string;
  userAgent: string;
  log: Logger;
  /** Stripe-backed services with fresh per-request DataLoaders. */
  services: RequestServices;
  /**
   * A WebSocket operation's name across reconnects (transport/ws/resume-key.ts): a subscription started under a
   * key seen within the grace window resumes where it stopped. Absent over HTTP.
   */
  resumeKey?: string;
}
