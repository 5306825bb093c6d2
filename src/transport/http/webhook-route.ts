// POST /webhooks/stripe: hands the raw body and Stripe-Signature to the webhook service, answers fast, works after.
import type { FastifyInstance } from 'fastify';
import type { WebhookEventsService } from '../../services/live/webhook-events.service';
import { WEBHOOK_PATH } from '../../services/live/webhook-registration';
/** Stripe snapshot events for FC accounts and PaymentIntents are a few KiB; 256 KiB leaves room. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

/**
 * Why an encapsulated plugin: the signature covers the exact bytes Stripe sent, so this route must see
 * the raw body. Its own content-type parsers (every type → Buffer) live only inside this plugin;
 * GraphQL's JSON parsing elsewhere is untouched, and no JSON parser ever runs before verification here.
 */
export function registerWebhookRoute(
  http: FastifyInstance,
  options: { service: WebhookEventsService },
): void {
  void http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    scope.post(WEBHOOK_PATH, { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      const outcome = await options.service.receive(
        raw,
        typeof signature === 'string' ? signature : undefined,
      );
      if (outcome.work) {
        const work = outcome.work;
        // Work after the acknowledgement: Stripe waits for nobody's side effects (WH9). `finish` is the answer
        // handed to the socket (the earliest moment); `close` covers an answer that could not be sent, since the
        // event is already claimed and its work must run either way.
        let started = false;
        const start = () => {
          if (started) return;
          started = true;
          void work();
        };
        reply.raw.once('finish', start);
        reply.raw.once('close', start);
      }
      return reply.code(outcome.status).send(outcome.body);
    });
  });
}
