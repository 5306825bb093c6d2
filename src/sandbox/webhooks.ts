// Event recording and webhook delivery: every event is stored (GET /v1/events) and POSTed, signed, to each
// enabled endpoint that subscribes to its type; a non-2xx answer or a network error is retried with backoff.
// Test mode retries "3 times over a few hours" (docs/stripe-facts.md §3); the sandbox compresses that to retryDelaysMs.
import { EventEmitter } from 'node:events';
import type { Store, Obj, WebhookEndpointRecord } from './store';
import type { StripeEvent } from './types';
import { signatureHeader } from './signing';

/** The API version the sandbox renders events in (stripe-node 22's pinned version family). */
export const SANDBOX_API_VERSION = '2026-07-29.dahlia';

export interface Delivery {
  endpointId: string;
  url: string;
  eventId: string;
  eventType: string;
  attempt: number;
  /** HTTP status, or 0 when the request failed (refused, timed out). */
  status: number;
  ok: boolean;
  at: number;
  /** The exact body and header sent (tests verify them with stripe.webhooks.constructEvent). */
  payload: string;
  signature: string;
}

export interface WebhookOptions {
  /** Delays before each retry; its length is the number of retries. @default [1000, 5000, 30000] */
  retryDelaysMs?: number[];
  /** Per attempt. @default 10000 */
  timeoutMs?: number;
}

export class EventBus {
  readonly deliveries: Delivery[] = [];
  /** Events whose delivery to some endpoint finally failed (for `delivery_success=false`). */
  readonly failed = new Set<string>();
  private readonly emitter = new EventEmitter();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;

  constructor(
    private readonly store: Store,
    options: WebhookOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 5000, 30000];
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.emitter.setMaxListeners(0);
  }

  /** Records an event and starts delivering it. */
  emit(
    type: string,
    object: Obj,
    request?: { id: string | null; idempotency_key: string | null },
    previousAttributes?: Obj,
  ): StripeEvent {
    const endpoints = this.endpointsFor(type);
    const event: StripeEvent = {
      id: this.store.id('evt', 24),
      object: 'event',
      api_version: SANDBOX_API_VERSION,
      created: this.store.clock.now(),
      data: previousAttributes
        ? { object: structuredClone(object), previous_attributes: structuredClone(previousAttributes) }
        : { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: endpoints.length,
      request: request ?? { id: null, idempotency_key: null },
      type,
    };
    this.store.events.insert(event);
    this.emitter.emit('event', event);
    for (const endpoint of endpoints) this.deliver(endpoint, event, 1);
    return event;
  }

  endpointsFor(type: string): WebhookEndpointRecord[] {
    return this.store.webhookEndpoints
      .newestFirst()
      .filter(
        (e) => e.status === 'enabled' && (e.enabled_events.includes('*') || e.enabled_events.includes(type)),
      );
  }

  private deliver(endpoint: WebhookEndpointRecord, event: StripeEvent, attempt: number): void {
    const p = this.attempt(endpoint, event, attempt).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async attempt(endpoint: WebhookEndpointRecord, event: StripeEvent, attempt: number): Promise<void> {
    const payload = JSON.stringify(event, null, 2);
    // The signature and timestamp are regenerated on every attempt, as Stripe does.
    const signature = signatureHeader(payload, [endpoint.secret], this.store.clock.now());
    let status = 0;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      status = 0;
    }
    const ok = status >= 200 && status < 300;
    const delivery: Delivery = {
      endpointId: endpoint.id,
      url: endpoint.url,
      eventId: event.id,
      eventType: event.type,
      attempt,
      status,
      ok,
      at: Date.now(),
      payload,
      signature,
    };
    this.deliveries.push(delivery);
    const stored = this.store.events.get(event.id);
    if (ok || attempt > this.retryDelaysMs.length) {
      if (stored) stored.pending_webhooks = Math.max(0, stored.pending_webhooks - 1);
      if (stored && !ok) this.failed.add(event.id);
    }
    this.emitter.emit('delivery', delivery);
    if (!ok && attempt <= this.retryDelaysMs.length) {
      this.store.timers.schedule(this.retryDelaysMs[attempt - 1], () => {
        if (this.store.webhookEndpoints.has(endpoint.id)) this.deliver(endpoint, event, attempt + 1);
      });
    }
  }

  /** Resolves with the first event (already emitted or future) matching `predicate`. */
  waitForEvent(predicate: (e: StripeEvent) => boolean, timeoutMs = 10_000): Promise<StripeEvent> {
    const existing = this.store.events.newestFirst().reverse().find(predicate);
    if (existing) return Promise.resolve(existing);
    return this.waitFor<StripeEvent>('event', predicate, timeoutMs, 'event');
  }

  /** Resolves with the first delivery attempt (already made or future) matching `predicate`. */
  waitForDelivery(predicate: (d: Delivery) => boolean, timeoutMs = 10_000): Promise<Delivery> {
    const existing = this.deliveries.find(predicate);
    if (existing) return Promise.resolve(existing);
    return this.waitFor<Delivery>('delivery', predicate, timeoutMs, 'webhook delivery');
  }

  private waitFor<T>(
    name: string,
    predicate: (x: T) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onItem = (x: T) => {
        if (!predicate(x)) return;
        cleanup();
        resolve(x);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No matching ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.emitter.off(name, onItem);
      };
      this.emitter.on(name, onItem);
    });
  }

  /** Waits for attempts already started (close() calls it so no request outlives the sandbox). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
