// Partner webhooks: endpoints per partner, fan-out of live events to them, signed at-least-once delivery, log and replay.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { badInput, forbidden, notFound } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { Caller } from '../auth/auth';
import { PARTNER_METADATA_KEY } from '../domain/ownership.service';
import type { FcAccount, LiveEvent } from '../live/live-events';
import {
  allowedAddresses,
  ForbiddenAddressError,
  urlProblem,
  type HostResolver,
  type UrlPolicy,
} from './address-policy';
import {
  backoffDelay,
  FinalFailure,
  RetryLater,
  type DeliveryQueue,
  type QueueJob,
  type RetryPolicy,
} from './delivery-queue';
import { attemptDelivery } from './http-delivery';
import {
  isPartnerEventType,
  partnerEventId,
  partnerEventTypeOf,
  PARTNER_EVENT_TYPES,
  type PartnerEvent,
  type PartnerEventSource,
  type PartnerEventType,
} from './partner-events';
import { newSigningSecret, signatureHeader, SIGNATURE_HEADER } from './signature';
import type { DeliveryRecord, EndpointRecord, Page, WebhookStore } from './webhook-store';

/** What the API layer turns a live event into (`data`), in the GraphQL types' names and shapes. */
export type PartnerEventRenderer = (
  source: PartnerEventSource,
  load: { account(id: string): Promise<FcAccount>; paymentIntent(id: string): Promise<Stripe.PaymentIntent> },
) => Promise<Record<string, unknown> | null>;

export interface PartnerWebhookSettings {
  policy: UrlPolicy;
  /** Per attempt (connect, send, response). */
  attemptTimeoutMs: number;
  retry: RetryPolicy;
  /** Retries stop after this long; an endpoint failing this long is disabled. */
  retryWindowMs: number;
}

/** Longest a Stripe delivery waits for its partner events to be queued before it is answered 503. */
const INTAKE_TIMEOUT_MS = 5_000;
/** Most endpoints one partner may have. */
const MAX_ENDPOINTS_PER_PARTNER = 16;
/** A signed body larger than this is sent with `data` reduced to the object's id. */
const MAX_BODY_BYTES = 256 * 1024;
/** After a rotation, the old secret keeps signing this long. */
const ROTATION_GRACE_MS = 24 * 3600 * 1000;
const MAX_PAGE = 100;

export interface EndpointInput {
  url?: string | null;
  events?: string[] | null;
  description?: string | null;
}

export class PartnerWebhooks {
  private queue!: DeliveryQueue;
  private readonly partnerOfCustomer = new Map<string, string | null>();

  constructor(
    private readonly deps: {
      store: WebhookStore;
      stripe: Stripe;
      render: PartnerEventRenderer;
      resolve: HostResolver;
      settings: PartnerWebhookSettings;
      log: Logger;
      metrics?: Metrics;
    },
  ) {}

  /** The queue calls {@link handle}; it is created with it, so it arrives after construction. */
  attach(queue: DeliveryQueue): void {
    this.queue = queue;
  }

  get transport() {
    return this.queue.transport;
  }

  pending() {
    return this.queue.pending();
  }

  // ---- API (partner callers only) ----

  async createEndpoint(
    caller: Caller,
    input: EndpointInput,
  ): Promise<{ endpoint: EndpointRecord; secret: string }> {
    const partnerId = this.partner(caller);
    const url = await this.checkUrl(input.url);
    const events = this.checkEvents(input.events);
    const existing = await this.deps.store.allEndpoints(partnerId);
    if (existing.length >= MAX_ENDPOINTS_PER_PARTNER) {
      throw badInput(`A partner may have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints.`);
    }
    const now = Date.now();
    const endpoint: EndpointRecord = {
      id: `we_${randomBytes(12).toString('hex')}`,
      partnerId,
      url,
      events,
      description: this.checkDescription(input.description),
      status: 'enabled',
      disabledReason: null,
      secret: newSigningSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.putEndpoint(endpoint);
    this.deps.log.info({ partnerId, endpointId: endpoint.id }, 'partner webhook endpoint created');
    return { endpoint, secret: endpoint.secret };
  }

  async updateEndpoint(caller: Caller, id: string, input: EndpointInput & { enabled?: boolean | null }) {
    const endpoint = await this.own(caller, id);
    if (input.url !== undefined && input.url !== null) endpoint.url = await this.checkUrl(input.url);
    if (input.events !== undefined && input.events !== null) endpoint.events = this.checkEvents(input.events);
    if (input.description !== undefined) endpoint.description = this.checkDescription(input.description);
    if (input.enabled === true) {
      endpoint.status = 'enabled';
      endpoint.disabledReason = null;
      endpoint.failingSince = null;
    } else if (input.enabled === false) {
      endpoint.status = 'disabled';
      endpoint.disabledReason = 'disabled by the partner';
    }
    endpoint.updatedAt = Date.now();
    await this.deps.store.putEndpoint(endpoint);
    return endpoint;
  }

  async deleteEndpoint(caller: Caller, id: string): Promise<string> {
    const endpoint = await this.own(caller, id);
    await this.deps.store.deleteEndpoint(endpoint);
    this.deps.log.info({ partnerId: endpoint.partnerId, endpointId: id }, 'partner webhook endpoint deleted');
    return id;
  }

  async rotateSecret(caller: Caller, id: string): Promise<{ endpoint: EndpointRecord; secret: string }> {
    const endpoint = await this.own(caller, id);
    const now = Date.now();
    endpoint.previousSecret = endpoint.secret;
    endpoint.previousSecretExpiresAt = now + ROTATION_GRACE_MS;
    endpoint.secret = newSigningSecret();
    endpoint.updatedAt = now;
    await this.deps.store.putEndpoint(endpoint);
    return { endpoint, secret: endpoint.secret };
  }

  async listEndpoints(
    caller: Caller,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<EndpointRecord>> {
    return this.deps.store.listEndpoints(this.partner(caller), this.pageSize(first), after);
  }

  async getEndpoint(caller: Caller, id: string): Promise<EndpointRecord> {
    return this.own(caller, id);
  }

  deliveries(
    endpoint: EndpointRecord,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<DeliveryRecord>> {
    return this.deps.store.listDeliveries(endpoint.id, this.pageSize(first), after);
  }

  /** Queues one more delivery of an event the endpoint's partner received (whatever happened before). */
  async redeliver(caller: Caller, endpointId: string, eventId: string): Promise<DeliveryRecord> {
    const endpoint = await this.own(caller, endpointId);
    const event = typeof eventId === 'string' ? await this.deps.store.getEvent(eventId) : null;
    if (!event || event.partnerId !== endpoint.partnerId) throw notFound('WebhookEvent', eventId);
    if (endpoint.status === 'disabled') {
      throw badInput(
        'The endpoint is disabled: enable it (updateWebhookEndpoint) before redelivering.',
        'endpointId',
      );
    }
    const now = Date.now();
    const previous = await this.deps.store.getDelivery(endpoint.id, event.id);
    const delivery: DeliveryRecord = {
      ...(previous ?? {
        attempts: 0,
        lastHttpStatus: null,
        lastError: null,
        deliveredAt: null,
        createdAt: now,
      }),
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      status: 'pending',
      nextAttemptAt: now,
    };
    await this.deps.store.putDelivery(delivery);
    await this.queue.add(
      { name: 'deliver', data: { endpointId: endpoint.id, eventId: event.id } },
      `deliver.${event.id}.${endpoint.id}.${now}.${randomBytes(4).toString('hex')}`,
    );
    return delivery;
  }

  // ---- pipeline ----

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
    await this.queue.add({ name: 'fanout', data: event }, `fanout.${partnerEventId(event, type)}`);
  }

  /** The queue's job handler. */
  async handle(job: QueueJob, attempt: number, createdAt: number): Promise<void> {
    if (job.name === 'fanout') return this.fanOut(job.data, attempt, createdAt);
    return this.deliver(job.data, attempt, createdAt);
  }

  private async fanOut(source: PartnerEventSource, attempt: number, createdAt: number): Promise<void> {
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
          paymentIntent: (piId) => this.deps.stripe.paymentIntents.retrieve(piId),
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
        endpoints.map((endpoint, i) => this.firstAttempt(endpoint, event!, records[i])),
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

  private async firstAttempt(
    endpoint: EndpointRecord,
    event: PartnerEvent,
    recorded: DeliveryRecord | null,
  ): Promise<void> {
    const jobId = `deliver.${event.id}.${endpoint.id}`;
    const job = { name: 'deliver' as const, data: { endpointId: endpoint.id, eventId: event.id } };
    if (recorded && recorded.status !== 'pending') return;
    if (recorded && recorded.attempts > 0) {
      // Attempted before: its retry job exists, unless queueing it failed (then this queues it).
      const since = recorded.createdAt;
      const delay = Math.max(0, (recorded.nextAttemptAt ?? 0) - Date.now());
      await this.queue.add(
        { ...job, data: { ...job.data, since, attemptsBefore: recorded.attempts } },
        jobId,
        delay,
      );
      return;
    }
    // The retry window counts from this first attempt.
    const since = Date.now();
    const delivery: DeliveryRecord = recorded ?? newDelivery(endpoint.id, event, since);
    const outcome = await this.attemptAndRecord(endpoint, event, delivery, 1, since);
    if (outcome.retryInMs !== undefined) {
      await this.queue.add(
        { ...job, data: { ...job.data, since, attemptsBefore: 1 } },
        jobId,
        outcome.retryInMs,
      );
    }
  }

  /** A retry (or a redelivery) of one event to one endpoint: the queue's `deliver` job. */
  private async deliver(
    data: { endpointId: string; eventId: string; since?: number; attemptsBefore?: number },
    attempt: number,
    createdAt: number,
  ): Promise<void> {
    const { store } = this.deps;
    const { endpointId, eventId } = data;
    const [endpoint, event, recorded] = await Promise.all([
      store.getEndpoint(endpointId),
      store.getEvent(eventId),
      store.getDelivery(endpointId, eventId),
    ]);
    if (!endpoint || !event) return; // deleted endpoint, or an event past retention
    const delivery = recorded ?? newDelivery(endpointId, event, Date.now());
    const outcome = await this.attemptAndRecord(
      endpoint,
      event,
      delivery,
      (data.attemptsBefore ?? 0) + attempt,
      data.since ?? createdAt,
    );
    if (outcome.retryInMs !== undefined) throw new RetryLater('delivery failed', outcome.retryInMs);
    if (outcome.final) throw new FinalFailure('retry window over');
  }

  /**
   * One attempt and its bookkeeping: the delivery log, the endpoint's failing time (disabled after the whole
   * retry window), metrics.
   * @param attempt this attempt's number (1 for the first), for the backoff
   * @param since when the first attempt ran (ms): the retry window counts from there
   * @returns `retryInMs` when another attempt is due, `final` when the window is over
   */
  private async attemptAndRecord(
    endpoint: EndpointRecord,
    event: PartnerEvent,
    delivery: DeliveryRecord,
    attempt: number,
    since: number,
  ): Promise<{ retryInMs?: number; final?: true }> {
    const { store, settings, log } = this.deps;
    const endpointId = endpoint.id;
    const eventId = event.id;
    const now = Math.max(Date.now(), since);
    if (endpoint.status === 'disabled') {
      await store.putDelivery({
        ...delivery,
        status: 'failed',
        nextAttemptAt: null,
        lastError: 'endpoint disabled',
      });
      this.count('skipped');
      return {};
    }
    const body = JSON.stringify(event);
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt ?? 0) > now)
      secrets.push(endpoint.previousSecret);
    const result = await attemptDelivery({
      url: endpoint.url,
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'fc-graphql-gateway-webhooks/1',
        [SIGNATURE_HEADER]: signatureHeader(body, secrets, Math.floor(now / 1000)),
        'Gateway-Event-Id': event.id,
        'Gateway-Event-Type': event.type,
      },
      timeoutMs: settings.attemptTimeoutMs,
      policy: settings.policy,
      resolve: this.deps.resolve,
    });
    delivery.attempts += 1;
    delivery.lastHttpStatus = result.status;
    if (result.ok) {
      await store.putDelivery({
        ...delivery,
        status: 'delivered',
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: Date.now(),
      });
      if (endpoint.failingSince !== null) await this.patchEndpoint(endpointId, { failingSince: null });
      this.count('delivered');
      return {};
    }
    delivery.lastError = result.error;
    const failingSince = endpoint.failingSince ?? now;
    if (endpoint.failingSince === null) await this.patchEndpoint(endpointId, { failingSince });
    log.info(
      { endpointId, eventId, attempt, status: result.status, error: result.error },
      'partner webhook attempt failed',
    );
    if (now - since >= settings.retryWindowMs) {
      await store.putDelivery({ ...delivery, status: 'failed', nextAttemptAt: null });
      this.count('failed');
      // Failing since this delivery's first attempt (no success since) is failing for the whole window.
      if (failingSince <= since || now - failingSince >= settings.retryWindowMs) {
        await this.patchEndpoint(endpointId, {
          status: 'disabled',
          disabledReason: `deliveries failed for ${Math.round(settings.retryWindowMs / 1000)} s`,
        });
        log.warn(
          { endpointId, partnerId: endpoint.partnerId },
          'partner webhook endpoint disabled after failing',
        );
      }
      return { final: true };
    }
    const delay = backoffDelay(attempt, settings.retry);
    await store.putDelivery({ ...delivery, status: 'pending', nextAttemptAt: Date.now() + delay });
    this.count('retry');
    return { retryInMs: delay };
  }

  /** Re-reads before writing, so a concurrent update (url, events) is not undone by delivery bookkeeping. */
  private async patchEndpoint(id: string, patch: Partial<EndpointRecord>) {
    const current = await this.deps.store.getEndpoint(id);
    if (current) await this.deps.store.putEndpoint({ ...current, ...patch });
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

  private count(outcome: string) {
    this.deps.metrics?.partnerWebhookDeliveries.inc({ outcome });
  }

  private partner(caller: Caller): string {
    if (caller.kind !== 'partner') throw forbidden('Only partner callers may manage webhook endpoints.');
    return caller.partnerId;
  }

  private async own(caller: Caller, id: string): Promise<EndpointRecord> {
    const partnerId = this.partner(caller);
    const endpoint =
      typeof id === 'string' && /^we_[0-9a-f]{24}$/.test(id) ? await this.deps.store.getEndpoint(id) : null;
    if (!endpoint || endpoint.partnerId !== partnerId) throw notFound('WebhookEndpoint', id);
    return endpoint;
  }

  private async checkUrl(url: string | null | undefined): Promise<string> {
    if (typeof url !== 'string') throw badInput('url is required.', 'url');
    const problem = urlProblem(url, this.deps.settings.policy);
    if (problem) throw badInput(`${problem}.`, 'url');
    try {
      await allowedAddresses(new URL(url).hostname, this.deps.settings.policy, this.deps.resolve);
    } catch (e) {
      const reason = e instanceof ForbiddenAddressError ? e.message : 'the host did not resolve';
      throw badInput(`url is not allowed: ${reason}.`, 'url');
    }
    return new URL(url).toString();
  }

  private checkEvents(events: string[] | null | undefined): PartnerEventType[] {
    if (!Array.isArray(events) || events.length === 0)
      throw badInput('events must list at least one event type.', 'events');
    const bad = events.find((e) => !isPartnerEventType(e));
    if (bad !== undefined) {
      throw badInput(
        `Unknown event type ${JSON.stringify(String(bad).slice(0, 60))}; known: ${PARTNER_EVENT_TYPES.join(', ')}.`,
        'events',
      );
    }
    return [...new Set(events as PartnerEventType[])];
  }

  private checkDescription(d: string | null | undefined): string | null {
    if (d === undefined || d === null) return null;
    if (d.length > 500) throw badInput('description must be at most 500 characters.', 'description');
    return d;
  }

  private pageSize(first: number | null | undefined): number {
    if (first === undefined || first === null) return 20;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
    return first;
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

/** A new delivery log entry: pending, not attempted yet. */
function newDelivery(endpointId: string, event: PartnerEvent, now: number): DeliveryRecord {
  return {
    endpointId,
    eventId: event.id,
    eventType: event.type,
    status: 'pending',
    attempts: 0,
    lastHttpStatus: null,
    lastError: null,
    nextAttemptAt: null,
    deliveredAt: null,
    createdAt: now,
  };
}

/** An oversized body's `data`: only the ids (the partner fetches the object through the API). */
function reducedData(source: PartnerEventSource): Record<string, unknown> {
  const s = source as { accountId?: string; paymentIntentId?: string };
  if (s.paymentIntentId) return { paymentIntent: { id: s.paymentIntentId } };
  return { financialAccount: { id: s.accountId } };
}
