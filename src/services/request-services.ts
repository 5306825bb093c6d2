// Builds the services one GraphQL operation uses, each with its own DataLoaders.
import type { Caller } from './auth';
import type { Authenticator } from './auth';
import type { StripeClient } from './stripe-client';
import type { Logger } from '../logger';

/** Process-wide dependencies the per-request services are built from. */
export interface ServiceDeps {
  stripeClient: StripeClient;
  authenticator: Authenticator;
  log: Logger;
}

export interface RequestServices {
  authenticator: Authenticator;
}

/** Called once per HTTP operation and once per subscription event: loaders never outlive it. */
export function createRequestServices(deps: ServiceDeps, _caller: Caller): RequestServices {
  return { authenticator: deps.authenticator };
}
