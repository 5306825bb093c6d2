// The hosted linking flow and the Stripe.js-compatible script, as server.ts loads them: registerAuthFlow(app, ctx).
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../router';
import { registerFlowRoutes, type AuthFlow } from './routes';
import { createAuthFlowPort } from './sandbox-adapter';

export type { AuthFlow } from './routes';
export { STRIPE_JS_PATHS } from './stripe-js';

/** Adds /v3/ (the script) and /link/… (the flow pages) to the sandbox. */
export function registerAuthFlow(app: FastifyInstance, ctx: RouteContext): AuthFlow {
  return registerFlowRoutes(app, createAuthFlowPort(ctx.store));
}
