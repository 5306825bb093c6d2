// Sandbox mode: the gateway registers its own webhook endpoint upstream (Stripe's API) and keeps the secret in memory.
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import { SUBSCRIBED_EVENT_TYPES } from './webhook-events.service';

/** Where the gateway receives Stripe's webhooks (route in src/transport/http/webhook-route.ts; registered upstream in sandbox mode). */
export const WEBHOOK_PATH = '/webhooks/stripe';

/** Lifecycle of the self-registered endpoint. */
export type RegistrationState =
  | { phase: 'idle' }
  | { phase: 'registered'; endpointId: string; secret: string }
  | { phase: 'failed' }
  | { phase: 'removed' };

/**
 * Why self-registration only in sandbox mode: against real Stripe an endpoint is an operator's
 * decision (its URL must be public, its secret goes in STRIPE_WEBHOOK_SECRET). Against a sandbox the
 * gateway can do it with the ordinary API (`webhookEndpoints.create`, through the SDK only — the
 * gateway never imports the sandbox), so events flow with no set-up. The secret lives in memory only.
 */
export class WebhookRegistration {
  private state: RegistrationState = { phase: 'idle' };

  constructor(
    private readonly stripe: Stripe,
    private readonly log: Logger,
  ) {}

  /** The signing secret once registered. Never logged. */
  secret(): string | undefined {
    return this.state.phase === 'registered' ? this.state.secret : undefined;
  }

  /**
   * Creates the endpoint for `url`. A failure (an upstream without webhook endpoints) is logged and
   * leaves the poller as the only source of completions.
   */
  async register(url: string): Promise<void> {
    try {
      const endpoint = await this.stripe.webhookEndpoints.create({
        url,
        enabled_events: [...SUBSCRIBED_EVENT_TYPES],
        description: 'fc-graphql-gateway (self-registered in sandbox mode)',
      });
      if (!endpoint.secret) throw new Error('the created endpoint carries no secret');
      this.state = { phase: 'registered', endpointId: endpoint.id, secret: endpoint.secret };
      this.log.info({ endpointId: endpoint.id, url }, 'webhook endpoint registered with the sandbox');
    } catch (e) {
      this.state = { phase: 'failed' };
      this.log.warn(
        { err: { message: e instanceof Error ? e.message : String(e) } },
        'could not register a webhook endpoint; completions will come from the poller only',
      );
    }
  }

  /** Deletes the endpoint (on close), so the sandbox stops delivering to a gateway that is gone. */
  async remove(): Promise<void> {
    if (this.state.phase !== 'registered') return;
    const { endpointId } = this.state;
    this.state = { phase: 'removed' };
    try {
      await this.stripe.webhookEndpoints.del(endpointId, {}, { maxNetworkRetries: 0, timeout: 2000 });
    } catch (e) {
      this.log.debug(
        { err: { message: e instanceof Error ? e.message : String(e) } },
        'webhook endpoint removal failed',
      );
    }
  }
}
