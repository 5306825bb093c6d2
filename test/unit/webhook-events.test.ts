// One Stripe webhook is translated into live events once: the partner intake and the publisher get the same objects.
import Stripe from 'stripe';
import { createLogger } from '../../src/platform/logger';
import { createMemoryDedupe } from '../../src/services/live/event-dedupe';
import { createLiveEventPublisher, type LiveEvent } from '../../src/services/live/live-events';
import { createMemoryPubSub } from '../../src/services/live/pubsub';
import { WebhookEventsService } from '../../src/services/live/webhook-events.service';

const SECRET = 'whsec_unit_test_secret_0123456789';
const log = createLogger('silent');
// Only the SDK's offline webhook helpers are used: no request leaves this process.
const stripe = new Stripe('sk_test_unit', { maxNetworkRetries: 0 });

function setup() {
  const dedupe = createMemoryDedupe();
  const publisher = createLiveEventPublisher({
    pubSub: createMemoryPubSub(log),
    dedupe,
    invalidate: async () => undefined,
    log,
  });
  const published: LiveEvent[] = [];
  publisher.addSink((event) => void published.push(event));
  const service = new WebhookEventsService({
    stripe,
    secret: () => SECRET,
    livemode: false,
    dedupe,
    publisher,
    log,
  });
  const takenIn: LiveEvent[] = [];
  service.beforeAcknowledge(async (events) => void takenIn.push(...events));
  return { service, published, takenIn };
}

const intent = {
  id: 'pi_unit_1',
  object: 'payment_intent',
  status: 'succeeded',
  customer: 'cus_unit_1',
  amount: 2_500,
  currency: 'usd',
  client_secret: 'pi_unit_1_secret_abc',
};

function signed(type: string, object: unknown): { raw: Buffer; signature: string } {
  const payload = JSON.stringify({
    id: `evt_unit_${type}`,
    object: 'event',
    api_version: '2026-07-29.dahlia',
    created: 1_800_000_000,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  return {
    raw: Buffer.from(payload),
    signature: stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
  };
}

describe('WebhookEventsService', () => {
  describe('receive', () => {
    it('should hand the intake and the publisher the very same live events (translated once)', async () => {
      const { service, published, takenIn } = setup();
      const { raw, signature } = signed('payment_intent.succeeded', intent);
      const outcome = await service.receive(raw, signature);
      expect(outcome.status).toBe(200);
      await outcome.work!();
      expect(takenIn).toHaveLength(1);
      expect(published).toHaveLength(1);
      expect(published[0]).toBe(takenIn[0]);
    });

    it('should carry the PaymentIntent without its client_secret', async () => {
      const { service, takenIn } = setup();
      const { raw, signature } = signed('payment_intent.succeeded', intent);
      await (
        await service.receive(raw, signature)
      ).work!();
      expect(takenIn[0]).toMatchObject({
        kind: 'payment_intent.updated',
        paymentIntentId: 'pi_unit_1',
        status: 'succeeded',
        paymentIntent: { id: 'pi_unit_1', amount: 2_500, status: 'succeeded' },
      });
      expect(JSON.stringify(takenIn)).not.toContain('_secret_');
    });
  });

  describe('takeIn and process (the event catch-up)', () => {
    it('should translate an event once when taken in and then processed', async () => {
      const { service, published, takenIn } = setup();
      const { raw, signature } = signed('payment_intent.processing', { ...intent, status: 'processing' });
      const event = stripe.webhooks.constructEvent(raw, signature, SECRET);
      await service.takeIn(event);
      await service.process(event);
      expect(published).toHaveLength(1);
      expect(published[0]).toBe(takenIn[0]);
    });
  });
});
