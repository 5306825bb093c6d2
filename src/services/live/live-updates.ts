// Assembles one instance's live-update machinery on the backends it is given: publisher, poller, payment follow-up,
// webhooks, catch-up, self-registration.
import type { Config } from '../../platform/config';
import type { JobQueues } from '../../platform/jobs/job-queue';
import type { Logger } from '../../platform/logger';
import type { EventDedupe } from './event-dedupe';
import { createLiveEventPublisher, type LiveEventPublisher } from './live-events';
import { LiveSubscriptions } from './live-subscriptions';
import type { Metrics } from '../../platform/metrics';
import type { GatewayPubSub } from './pubsub';
import type { ResumeLog } from './resume-log';
import { RefreshPoller } from './refresh-poller';
import { isFinalPaymentStatus, PaymentFollowUp } from './payment-follow-up';
import type { StripeClient } from '../stripe/stripe-client';
import type { StripeReadStore } from '../stripe/stripe-reads';
import { HANDLED_EVENT_TYPES, WebhookEventsService } from './webhook-events.service';
import { EventCatchUp, type CatchUpCursor } from './event-catch-up';
import { WEBHOOK_PATH, WebhookRegistration } from './webhook-registration';

export interface LiveUpdates {
  pubSub: GatewayPubSub;
  subscriptions: LiveSubscriptions;
  publisher: LiveEventPublisher;
  webhooks: WebhookEventsService;
  poller: RefreshPoller;
  /** Follows confirmed payments until they settle (on the job queue: BullMQ with REDIS_URL, else in this process). */
  followUp: PaymentFollowUp;
  /** Reads missed events back from GET /v1/events (on start, after Redis returns, and periodically). */
  catchUp: EventCatchUp;
  /** After the HTTP server listens: registers the webhook endpoint in sandbox mode. */
  start(baseUrl: string): Promise<void>;
  /** Deletes a self-registered endpoint, stops the poller and the follow-ups. Idempotent. */
  close(): Promise<void>;
}

/** The backends live updates run on, memory or Redis alike (chosen in src/infrastructure.ts). */
export interface LiveBackends {
  pubSub: GatewayPubSub;
  /** Live events kept for subscriptions that resume; absent when SUBSCRIPTION_RESUME_WINDOW_MS is 0. */
  resumeLog?: ResumeLog;
  dedupe: EventDedupe;
  catchUpCursor: CatchUpCursor;
  jobs: JobQueues;
  /** Runs `fn` whenever the shared store is reachable again (events may have been missed meanwhile). */
  onStoreBack(fn: () => void): void;
}

export interface LiveUpdatesOptions {
  config: Config;
  backends: LiveBackends;
  log: Logger;
  metrics: Metrics;
  stripeClient: StripeClient;
  /** The read cache that completion events invalidate (for every tenant). */
  readStore?: StripeReadStore;
  /** The upstream said it is our sandbox (services/stripe/upstream-identity.ts). */
  upstreamIsSandbox?: boolean;
  /** Poller tuning (tests, benchmarks). */
  poller?: { initialDelayMs?: number; maxAttempts?: number; concurrency?: number };
}

/** How often missed events are read back from GET /v1/events. */
const CATCH_UP_INTERVAL_MS = 5 * 60_000;

/** Our sandbox (never Stripe behind a proxy) and no operator-provided secret: the gateway registers itself. */
function shouldSelfRegister(options: LiveUpdatesOptions): boolean {
  return !options.config.stripe.webhookSecret && options.upstreamIsSandbox === true;
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const { config, log, metrics, stripeClient } = options;
  const stripe = stripeClient.stripe;
  const { pubSub, dedupe, resumeLog } = options.backends;

  // Forgets what an event made stale, for every tenant, before the event is published: a subscriber that re-loads
  // right after it must not be served the old object. With REDIS_URL the read cache itself tells the other instances
  // (services/stripe/read-cache-two-level.ts), on the subscriber connection the event then follows.
  const invalidate = async (keys: string[]) => {
    if (!options.readStore) return;
    await Promise.all(keys.map((k) => options.readStore!.invalidateAllTenants(k).catch(() => undefined)));
  };
  const publisher = createLiveEventPublisher({ pubSub, dedupe, log, invalidate, resume: resumeLog });

  const poller = new RefreshPoller({ stripe, publisher, log, ...options.poller });
  poller.watch(stripe);
  const followUp = new PaymentFollowUp({
    stripe,
    publisher,
    log,
    settings: config.paymentFollowUp,
    metrics,
    jobs: options.backends.jobs,
  });
  followUp.watch(stripe);
  if (followUp.transport === 'memory') {
    log.warn(
      'payments are followed in memory (no REDIS_URL): a follow-up in progress is lost on restart; event catch-up still reads missed events',
    );
  }

  const registration = new WebhookRegistration(stripe, log);
  const webhooks = new WebhookEventsService({
    stripe,
    secret: () => config.stripe.webhookSecret ?? registration.secret(),
    livemode: /^(sk|rk)_live_/.test(config.stripe.secretKey),
    dedupe,
    publisher,
    observer: {
      webhookSeen(objectId, object) {
        poller.webhookSeen(objectId);
        // A webhook told the final status of a payment: its follow-up has nothing left to find.
        if (objectId.startsWith('pi_') && isFinalPaymentStatus(object.status))
          void followUp.webhookSettled(objectId);
      },
    },
    invalidate,
    log,
    metrics,
  });

  const catchUp = new EventCatchUp({
    stripe,
    cursor: options.backends.catchUpCursor,
    dedupe,
    types: HANDLED_EVENT_TYPES,
    livemode: /^(sk|rk)_live_/.test(config.stripe.secretKey),
    process: (event) => webhooks.process(event),
    takeIn: (event) => webhooks.takeIn(event),
    log,
  });
  // After Redis comes back (its 'ready' follows every reconnect) and every few minutes (covers a Stripe outage or
  // lost webhooks): each run is one small list request when nothing was missed.
  options.backends.onStoreBack(() => void catchUp.run());
  const catchUpTimer = setInterval(() => void catchUp.run(), CATCH_UP_INTERVAL_MS);
  catchUpTimer.unref();

  let closing: Promise<void> | undefined;
  return {
    pubSub,
    subscriptions: new LiveSubscriptions(pubSub, { resume: resumeLog, log, metrics }),
    publisher,
    webhooks,
    poller,
    followUp,
    catchUp,
    async start(baseUrl) {
      if (shouldSelfRegister(options)) await registration.register(`${baseUrl}${WEBHOOK_PATH}`);
      // What happened while this gateway was down; not awaited: a slow or hung upstream must not hold start-up.
      void catchUp.run();
    },
    close() {
      closing ??= (async () => {
        clearInterval(catchUpTimer);
        poller.close();
        await followUp.close();
        await registration.remove();
      })();
      return closing;
    },
  };
}
