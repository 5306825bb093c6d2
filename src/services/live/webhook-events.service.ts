// Stripe webhooks: verify the signature → de-duplicate by event id → order guard → publish live events.
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import { DedupeUnavailableError, type EventDedupe } from './event-dedupe';
import {
  accountCacheKeys,
  accountCustomerId,
  paymentIntentCacheKeys,
  refreshCompletionKey,
  savedAccountCacheKeys,
  refreshOf,
  transactionsUpdatedOf,
  type AccountUpdateType,
  type FcAccount,
  type LiveEvent,
  type LiveEventPublisher,
  type PublishGuard,
  type RefreshFeature,
} from './live-events';
import type { Metrics } from '../../platform/metrics';
import { paymentMethodKey, paymentMethodListPattern } from '../stripe/cache-keys';
import { withoutClientSecret } from '../stripe/stripe-objects';

/** Stripe's default and ours (docs/security-catalogue.md WH3): a signature older than this is refused. */
const WEBHOOK_TOLERANCE_SECONDS = 300;

const REFRESH_TYPES: Record<string, RefreshFeature> = {
  'financial_connections.account.refreshed_balance': 'balance',
  'financial_connections.account.refreshed_ownership': 'ownership',
  'financial_connections.account.refreshed_transactions': 'transactions',
};
const UPDATE_TYPES: Record<string, AccountUpdateType> = {
  'financial_connections.account.created': 'created',
  'financial_connections.account.deactivated': 'deactivated',
  'financial_connections.account.reactivated': 'reactivated',
  'financial_connections.account.disconnected': 'disconnected',
  'financial_connections.account.upcoming_deactivation': 'upcoming_deactivation',
  'financial_connections.account.account_numbers_updated': 'account_numbers_updated',
  'financial_connections.account.upcoming_account_number_expiry': 'upcoming_account_number_expiry',
  'financial_connections.account.supported_payment_method_types_updated':
    'supported_payment_method_types_updated',
};
const STATUS_CHANGES = new Set<AccountUpdateType>(['created', 'deactivated', 'reactivated', 'disconnected']);
const PAYMENT_INTENT_TYPES = new Set([
  'payment_intent.processing',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
]);

/**
 * Changes to saved bank accounts and their mandates: no live event (no subscription shows them), but the read
 * cache forgets the object and its customer's list, so the next read (e.g. the checks before an off-session
 * debit) sees a detached method or an inactive mandate.
 */
export const SAVED_ACCOUNT_TYPES = new Set([
  'payment_method.attached',
  'payment_method.detached',
  'payment_method.updated',
  'payment_method.automatically_updated',
  'mandate.updated',
]);

/**
 * Every event type this service turns into a live event (catch-up reads back exactly these). Not the saved-account
 * types: a missed one only leaves a cache entry to its TTL, and Stripe's `types[]` filter takes at most 20 types.
 */
export const HANDLED_EVENT_TYPES = [
  ...Object.keys(REFRESH_TYPES),
  ...Object.keys(UPDATE_TYPES),
  ...PAYMENT_INTENT_TYPES,
];

/**
 * Every event type this service acts on, the saved-account ones too: the one list the self-registered endpoint
 * subscribes to (webhook-registration.ts), so a type handled here is also asked of Stripe.
 */
export const SUBSCRIBED_EVENT_TYPES = [
  ...HANDLED_EVENT_TYPES,
  ...SAVED_ACCOUNT_TYPES,
] as Stripe.WebhookEndpointCreateParams.EnabledEvent[];

/** What the route answers; `work` runs after the answer is sent. */
export interface WebhookOutcome {
  status: 200 | 400 | 503;
  body: Record<string, unknown>;
  work?: () => Promise<void>;
}

/** Told about every verified event's object, so the poller stops following what webhooks now report. */
interface WebhookObserver {
  webhookSeen(objectId: string, object: { status?: unknown }): void;
}

export interface WebhookEventsDeps {
  stripe: Stripe;
  /** The signing secret: STRIPE_WEBHOOK_SECRET, or the one the sandbox returned at registration. */
  secret: () => string | undefined;
  /** The mode of our API key; events of the other mode are ignored (WH8). */
  livemode: boolean;
  dedupe: EventDedupe;
  publisher: LiveEventPublisher;
  observer?: WebhookObserver;
  /** Forgets read-cache keys on every instance (the publisher's invalidation), for events with no live event. */
  invalidate?: (keys: string[]) => Promise<void>;
  log: Logger;
  metrics?: Metrics;
}

/** Takes a delivery's live events before it is acknowledged; throwing makes the delivery answer 503. */
export type WebhookIntake = (events: LiveEvent[]) => Promise<void>;

/** One live event a Stripe event stands for, and the guard it is published under. */
interface PlannedEvent {
  event: LiveEvent;
  guard: PublishGuard;
}

export class WebhookEventsService {
  private intake: WebhookIntake | undefined;
  /**
   * Each Stripe event's live events, planned once: the intake (before the acknowledgement) and the processing
   * (after it) get the very same objects, so a delivery is translated once.
   */
  private readonly planned = new WeakMap<Stripe.Event, PlannedEvent[]>();

  constructor(private readonly deps: WebhookEventsDeps) {}

  /**
   * Sets the step that runs before a delivery is claimed and acknowledged, with the live events it stands for
   * (every delivery, duplicates included: the step must be idempotent). If it throws, the delivery is answered
   * 503 and nothing is claimed, so Stripe delivers it again. Partner webhooks queue their fan-out here: a Stripe
   * event is acknowledged only once the partners' copies are durably queued.
   */
  beforeAcknowledge(intake: WebhookIntake): void {
    this.intake = intake;
  }

  /**
   * Decides the HTTP answer for one delivery. Only the signature check, the intake (see
   * {@link beforeAcknowledge}) and the event-id claim happen before answering: a delivery is acknowledged once
   * it is verified, taken in and remembered, and Stripe is asked to retry (503) when it could not be taken in or
   * remembered (WH10: never process without dedupe).
   */
  async receive(raw: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    const secret = this.deps.secret();
    if (!secret) {
      this.count('rejected');
      return { status: 503, body: { error: 'webhook signing secret not configured yet' } };
    }
    if (!signature) {
      this.count('rejected');
      return { status: 400, body: { error: 'missing Stripe-Signature header' } };
    }
    let event: Stripe.Event;
    try {
      event = this.deps.stripe.webhooks.constructEvent(raw, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
    } catch (e) {
      this.count('rejected');
      // The SDK's messages ("No signatures found…", "Timestamp outside the tolerance zone") quote
      // neither the secret nor the payload.
      const message = e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : 'invalid signature';
      this.deps.log.warn({ reason: message }, 'webhook signature rejected');
      return { status: 400, body: { error: message } };
    }
    const envelope = event as unknown as { object?: string; id?: unknown; data?: { object?: unknown } };
    if (envelope.object === 'v2.core.event') {
      this.count('rejected');
      return { status: 400, body: { error: 'thin (v2) events are not accepted on the snapshot endpoint' } };
    }
    if (typeof envelope.id !== 'string' || !envelope.data?.object || typeof event.type !== 'string') {
      this.count('ignored');
      return { status: 200, body: { received: true, ignored: 'malformed event' } };
    }
    if (event.livemode !== this.deps.livemode) {
      this.count('ignored');
      return { status: 200, body: { received: true, ignored: 'livemode mismatch' } };
    }
    try {
      await this.takeIn(event);
    } catch (e) {
      this.count('unavailable');
      this.deps.log.error(
        { eventId: event.id, reason: e instanceof Error ? e.message.slice(0, 200) : 'unknown' },
        'webhook not acknowledged: its partner events could not be queued (503)',
      );
      return { status: 503, body: { error: 'temporarily unavailable' } };
    }
    let first: boolean;
    try {
      first = await this.deps.dedupe.claim(`evt:${event.id}`);
    } catch (e) {
      if (!(e instanceof DedupeUnavailableError)) throw e;
      this.count('unavailable');
      this.deps.log.error(
        { eventId: event.id },
        'webhook not processed: de-duplication store unavailable (503)',
      );
      return { status: 503, body: { error: 'temporarily unavailable' } };
    }
    if (!first) {
      this.count('duplicate');
      return { status: 200, body: { received: true, duplicate: true } };
    }
    this.count('accepted');
    return { status: 200, body: { received: true }, work: () => this.processWithRetry(event) };
  }

  /** Work after the acknowledgement, retried (bounded) while the shared store is briefly away (WH9). */
  private async processWithRetry(event: Stripe.Event): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.process(event);
        return;
      } catch (e) {
        if (!(e instanceof DedupeUnavailableError) || attempt >= 5) {
          this.deps.log.error(
            { err: e, eventId: event.id, type: event.type },
            'webhook event processing failed',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt).unref());
      }
    }
  }

  /**
   * Runs the intake (see {@link beforeAcknowledge}) for one verified event, before it is claimed: by a delivery
   * before it is answered, by the event catch-up before it moves on. Idempotent.
   * @throws whatever the intake throws: the caller must not claim the event
   */
  async takeIn(event: Stripe.Event): Promise<void> {
    if (!this.intake) return;
    const live = this.plan(event).map((planned) => planned.event);
    if (live.length) await this.intake(live);
  }

  /** Translates one verified, first-seen event into live events and publishes them. Unknown types are ignored. */
  async process(event: Stripe.Event): Promise<void> {
    const object = event.data.object as unknown as { id?: string; object?: string; status?: unknown };
    if (typeof object.id === 'string') this.deps.observer?.webhookSeen(object.id, object);
    if (SAVED_ACCOUNT_TYPES.has(event.type as string)) {
      // Saved accounts and mandates are only cached, never pushed: the event drops what it changed.
      const previous = (event.data as { previous_attributes?: Record<string, unknown> }).previous_attributes;
      await this.deps.invalidate?.(savedAccountCacheKeys(object, previous));
      return;
    }
    const live = this.plan(event);
    if (!live.length) this.deps.log.debug({ type: event.type }, 'webhook event type not handled');
    for (const planned of live) {
      const outcome = await this.deps.publisher.publish(planned.event, planned.guard);
      this.logOutcome(event, outcome);
    }
  }

  /** {@link liveEventsOf}, once per event object. */
  private plan(event: Stripe.Event): PlannedEvent[] {
    let planned = this.planned.get(event);
    if (!planned) {
      planned = this.liveEventsOf(event);
      this.planned.set(event, planned);
    }
    return planned;
  }

  /** The live events one Stripe event stands for (none for a type or state nobody is told about), in order. */
  private liveEventsOf(event: Stripe.Event): PlannedEvent[] {
    const type = event.type as string;
    const object = event.data.object as unknown;
    const feature = REFRESH_TYPES[type];
    if (feature) return this.refreshed(event, object as FcAccount, feature);
    const update = UPDATE_TYPES[type];
    if (update) return this.updated(event, object as FcAccount, update);
    if (PAYMENT_INTENT_TYPES.has(type)) return this.paymentIntent(event, object as Stripe.PaymentIntent);
    return [];
  }

  private refreshed(event: Stripe.Event, account: FcAccount, feature: RefreshFeature) {
    const refresh = refreshOf(account, feature);
    const customerId = accountCustomerId(account);
    const completionKey = refreshCompletionKey(account, feature);
    if (!refresh || refresh.status === 'pending' || !customerId || !completionKey) return [];
    const planned: { event: LiveEvent; guard: PublishGuard }[] = [
      {
        event: {
          kind: 'account.refreshed',
          customerId,
          accountId: account.id,
          feature,
          status: refresh.status === 'succeeded' ? 'succeeded' : 'failed',
          occurredAt: event.created,
          account,
          source: 'webhook',
        },
        guard: {
          completionKey,
          order: { category: `fca:${account.id}:refresh:${feature}`, object: `fca:${account.id}` },
          invalidate: accountCacheKeys(account.id, customerId),
        },
      },
    ];
    const transactions =
      feature === 'transactions' && transactionsUpdatedOf(account, event.created, 'webhook');
    if (transactions) planned.push(transactions);
    return planned;
  }

  private updated(event: Stripe.Event, account: FcAccount, type: AccountUpdateType) {
    const customerId = accountCustomerId(account);
    if (!customerId || typeof account.id !== 'string') return [];
    return [
      {
        event: {
          kind: 'account.updated' as const,
          customerId,
          accountId: account.id,
          type,
          occurredAt: event.created,
          account,
          source: 'webhook' as const,
        },
        guard: {
          // Why a status category: `disconnected` (newer) then `reactivated` (older) must leave the client
          // at disconnected (docs/security-catalogue.md WH5).
          // Notices (upcoming_deactivation, account_numbers_updated…) are not status changes: each kind has its
          // own category, so a newer notice never makes an older status change stale.
          order: {
            category: STATUS_CHANGES.has(type) ? `fca:${account.id}:status` : `fca:${account.id}:${type}`,
            object: `fca:${account.id}`,
          },
          invalidate: accountCacheKeys(account.id, customerId),
        },
      },
    ];
  }

  private paymentIntent(event: Stripe.Event, pi: Stripe.PaymentIntent) {
    const customer = pi.customer;
    const customerId =
      (typeof customer === 'string' ? customer : customer?.id) ??
      (pi as { customer_account?: string | null }).customer_account ??
      null;
    if (!customerId || typeof pi.id !== 'string' || typeof pi.status !== 'string') return [];
    return [
      {
        event: {
          kind: 'payment_intent.updated' as const,
          customerId,
          paymentIntentId: pi.id,
          status: pi.status,
          occurredAt: event.created,
          paymentIntent: withoutClientSecret(pi),
          source: 'webhook' as const,
        },
        guard: {
          completionKey: `pi:${pi.id}:${pi.status}`,
          order: { category: `pi:${pi.id}`, object: `pi:${pi.id}` },
          // A failed debit can also block or detach the method it used.
          invalidate: [
            ...paymentIntentCacheKeys(pi.id, customerId),
            ...paymentMethodKeysOf(pi),
            paymentMethodListPattern(customerId),
          ],
        },
      },
    ];
  }

  private logOutcome(event: Stripe.Event, outcome: string) {
    this.deps.log.debug({ eventId: event.id, type: event.type, outcome }, 'webhook event handled');
  }

  private count(outcome: string) {
    this.deps.metrics?.webhookEvents.inc({ outcome });
  }
}

/** The read-cache keys of the PaymentMethod a PaymentIntent used (or failed with). */
function paymentMethodKeysOf(pi: Stripe.PaymentIntent): string[] {
  const pm = pi.payment_method ?? pi.last_payment_error?.payment_method ?? null;
  const id = typeof pm === 'string' ? pm : pm?.id;
  return typeof id === 'string' ? [paymentMethodKey(id)] : [];
}
