// Partner event fan-out: which live events become partner events (queued before a Stripe delivery is acknowledged),
// and each event rendered once and handed to the first attempt at every endpoint of its partner.
import Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import { PARTNER_METADATA_KEY } from '../domain/ownership.service';
import type { FcAccount, LiveEvent } from '../live/live-events';
import type { PartnerDelivery } from './delivery';
import {
  backoffDelay,
  FinalFailure,
  RetryLater,
  type DeliveryQueue,
  type RetryPolicy,
} from './delivery-queue';
import { partnerEventId, partnerEventTypeOf, type PartnerEventSource } from './partner-events';
import type { WebhookStore } from './webhook-store';

/** What the API layer turns a live event into (`data`), in the GraphQL types' names and shapes. */
export type PartnerEventRenderer = (
  source: PartnerEventSource,
  load: { account(id: string): Promise<FcAccount>; paymentIntent(id: string): Promise<Stripe.PaymentIntent> },
) => Promise<Record<string, unknown> | null>;

/** Longest a Stripe delivery waits for its partner events to be queued before it is answered 503. */
const INTAKE_TIMEOUT_MS = 5_000;
/** A signed body larger than this is sent with `data` reduced to the object's id. */
const MAX_BODY_BYTES = 256 * 1024;

export class PartnerFanOut {
  private readonly partnerOfCustomer = new Map<string, string | null>();

  constructor(
    private readonly deps: {
      store: WebhookStore;
      stripe: Stripe;
      render: PartnerEventRenderer;
      delivery: PartnerDelivery;
      settings: { retry: RetryPolicy; retryWindowMs: number };
      log: Logger;
      /** The queue fan-outs go to (read at each call: it is attached after construction). */
      queue: () => DeliveryQueue;
    },
  ) {}

  /**
   * Before a Stripe delivery is acknowledged (and before the event catch-up moves past an event): queues the
   * fan-out of its partner events, durably with Redis. Throwing (Redis away, or slower than
   * {@link INTAKE_TIMEOUT_MS}) makes the delivery answer 503, so Stripe delivers it again; the job ids make a
   * repeat, or an enqueue that landed after all, a no-op. Why here and not after publishing: the Stripe event is
   * the only durable copy until the job is in Redis, and a delivery already acknowledged is not sent again.
   */
  async intake(events: LiveEvent[]): Promise<void> {
    const typed = events.filter((event) => partnerEventTypeOf(event) !== null);
    if (!typed.length || !(await this.deps.store.anyEndpoints())) return;
    await withTimeout(
      Promise.all(typed.map((event) => this.enqueue(event))),
      INTAKE_TIMEOUT_MS,
      'partner events not queued in time',
    );
  }

  /**
   * The live-event sink, for what the refresh poller publishes (events from Stripe went through {@link intake}).
   * An outage waits here until Redis is back (the queue's connection keeps the command).
   */
  async accept(event: LiveEvent): Promise<void> {
    if (event.source === 'webhook') return;
    await this.enqueue(event);
  }

  private async enqueue(event: LiveEvent): Promise<void> {
    const type = partnerEventTypeOf(event);
    if (!type) return;
    await this.deps.queue().add({ name: 'fanout', data: event }, `fanout.${partnerEventId(event, type)}`);
  }

  /** The queue's `fanout` job: the event, rendered once, to every endpoint of its partner that wants it. */
  async fanOut(source: PartnerEventSource, attempt: number, createdAt: number): Promise<void> {
    const type = partnerEventTypeOf(source);
    const customerId = (source as { customerId?: unknown }).customerId;
    if (!type || typeof customerId !== 'string') return;
    try {
      // No endpoint anywhere (the common case before partners register): no Stripe lookup at all.
      if (!(await this.deps.store.anyEndpoints())) return;
      const partnerId = await this.partnerOf(customerId);
      if (!partnerId) return;
      const endpoints = (await this.deps.store.allEndpoints(partnerId)).filter(
        (e) => e.status === 'enabled' && e.events.includes(type),
      );
      if (!endpoints.length) return;
      const id = partnerEventId(source, type);
      let event = await this.deps.store.getEvent(id);
      if (!event) {
        const data = await this.deps.render(source, {
          account: (accountId) => this.deps.stripe.financialConnections.accounts.retrieve(accountId),
          paymentIntent: async (piId) =>
            carriedIntent(source, piId) ?? this.deps.stripe.paymentIntents.retrieve(piId),
        });
        if (!data) return;
        const occurredAt =
          Number((source as { occurredAt?: unknown }).occurredAt) || Math.floor(createdAt / 1000);
        event = { id, type, createdAt: new Date(occurredAt * 1000).toISOString(), partnerId, data };
        if (Buffer.byteLength(JSON.stringify(event)) > MAX_BODY_BYTES) event.data = reducedData(source);
        await this.deps.store.putEvent(event);
      }
      const now = Date.now();
      await this.deps.store.addDeliveries(
        endpoints.map((endpoint) => ({
          endpointId: endpoint.id,
          eventId: id,
          eventType: type,
          status: 'pending' as const,
          attempts: 0,
          lastHttpStatus: null,
          lastError: null,
          nextAttemptAt: now,
          deliveredAt: null,
          createdAt: now,
        })),
      );
      // Why the first attempts run here and not as one job per endpoint: a job costs several Redis scripts and
      // reads; most deliveries succeed at once (bench/partner-webhooks.ts). A failed first attempt becomes a
      // delayed job. Run again (a failure below, or a worker that died), this skips what is already delivered
      // or handed to a retry job, so each endpoint gets the event once unless an attempt's outcome was lost.
      const records = await this.deps.store.getDeliveries(
        endpoints.map((e) => e.id),
        id,
      );
      const outcomes = await Promise.allSettled(
        endpoints.map((endpoint, i) => this.deps.delivery.firstAttempt(endpoint, event!, records[i])),
      );
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (e) {
      if (Date.now() - createdAt >= this.deps.settings.retryWindowMs) {
        this.deps.log.error({ err: e, kind: source.kind }, 'partner webhook fan-out gave up');
        throw new FinalFailure('fan-out gave up');
      }
      this.deps.log.warn({ err: e, kind: source.kind, attempt }, 'partner webhook fan-out failed; retrying');
      throw new RetryLater('fan-out failed', backoffDelay(attempt, this.deps.settings.retry));
    }
  }

  /** The partner a customer was created for (its `gateway_partner_id` metadata), cached: it never changes. */
  private async partnerOf(customerId: string): Promise<string | null> {
    if (this.partnerOfCustomer.has(customerId)) return this.partnerOfCustomer.get(customerId)!;
    let partnerId: string | null = null;
    try {
      if (customerId.startsWith('cus_')) {
        const c = await this.deps.stripe.customers.retrieve(customerId);
        if (!('deleted' in c && c.deleted)) partnerId = c.metadata?.[PARTNER_METADATA_KEY] ?? null;
      } else if (customerId.startsWith('acct_')) {
        const a = await this.deps.stripe.v2.core.accounts.retrieve(customerId);
        partnerId = (a.metadata as Record<string, string> | null | undefined)?.[PARTNER_METADATA_KEY] ?? null;
      }
    } catch (e) {
      if (!(e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404)) throw e;
    }
    if (this.partnerOfCustomer.size > 10_000) this.partnerOfCustomer.clear();
    this.partnerOfCustomer.set(customerId, partnerId);
    return partnerId;
  }
}

/** `work`, or a rejection after `ms` (the work itself goes on). */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The PaymentIntent the live event carried (its webhook's object, or the follow-up's look), when it is the one asked
 * for and shows the status the event reports: the object as that change left it, so nothing is fetched again.
 */
function carriedIntent(source: PartnerEventSource, id: string): Stripe.PaymentIntent | undefined {
  if (source.kind !== 'payment_intent.updated') return undefined;
  const pi = source.paymentIntent;
  return pi?.id === id && pi.status === source.status ? pi : undefined;
}

/** An oversized body's `data`: only the ids (the partner fetches the object through the API). */
function reducedData(source: PartnerEventSource): Record<string, unknown> {
  const s = source as { accountId?: string; paymentIntentId?: string };
  if (s.paymentIntentId) return { paymentIntent: { id: s.paymentIntentId } };
  return { financialAccount: { id: s.accountId } };
}
