// Partner webhooks, one object for the API and the app: endpoints (endpoints.ts), fan-out of live events
// (fan-out.ts) and signed at-least-once delivery with disabling (delivery.ts), on the queue attached at start.
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { Caller } from '../auth/auth';
import type { LiveEvent } from '../live/live-events';
import type { HostResolver } from './address-policy';
import { PartnerDelivery, type PartnerWebhookSettings } from './delivery';
import type { DeliveryQueue, QueueJob } from './delivery-queue';
import { WebhookEndpoints, type EndpointInput } from './endpoints';
import { PartnerFanOut, type PartnerEventRenderer } from './fan-out';
import type { DeliveryRecord, EndpointRecord, Page, WebhookStore } from './webhook-store';

export type { EndpointInput } from './endpoints';
export type { PartnerEventRenderer } from './fan-out';
export type { PartnerWebhookSettings } from './delivery';

export class PartnerWebhooks {
  private queue!: DeliveryQueue;
  private readonly endpoints: WebhookEndpoints;
  private readonly fanOut: PartnerFanOut;
  private readonly delivery: PartnerDelivery;

  constructor(deps: {
    store: WebhookStore;
    stripe: Stripe;
    render: PartnerEventRenderer;
    resolve: HostResolver;
    settings: PartnerWebhookSettings;
    log: Logger;
    metrics?: Metrics;
  }) {
    const queue = () => this.queue;
    const { store, resolve, settings, log } = deps;
    this.endpoints = new WebhookEndpoints({ store, resolve, policy: settings.policy, log, queue });
    this.delivery = new PartnerDelivery({ store, resolve, settings, log, metrics: deps.metrics, queue });
    this.fanOut = new PartnerFanOut({
      store,
      stripe: deps.stripe,
      render: deps.render,
      delivery: this.delivery,
      settings,
      log,
      queue,
    });
  }

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

  // ---- API (partner callers only): endpoints.ts ----

  createEndpoint(
    caller: Caller,
    input: EndpointInput,
  ): Promise<{ endpoint: EndpointRecord; secret: string }> {
    return this.endpoints.createEndpoint(caller, input);
  }

  updateEndpoint(
    caller: Caller,
    id: string,
    input: EndpointInput & { enabled?: boolean | null },
  ): Promise<EndpointRecord> {
    return this.endpoints.updateEndpoint(caller, id, input);
  }

  deleteEndpoint(caller: Caller, id: string): Promise<string> {
    return this.endpoints.deleteEndpoint(caller, id);
  }

  rotateSecret(caller: Caller, id: string): Promise<{ endpoint: EndpointRecord; secret: string }> {
    return this.endpoints.rotateSecret(caller, id);
  }

  listEndpoints(caller: Caller, first?: number | null, after?: string | null): Promise<Page<EndpointRecord>> {
    return this.endpoints.listEndpoints(caller, first, after);
  }

  getEndpoint(caller: Caller, id: string): Promise<EndpointRecord> {
    return this.endpoints.getEndpoint(caller, id);
  }

  endpointNode(caller: Caller, id: string): Promise<EndpointRecord> {
    return this.endpoints.endpointNode(caller, id);
  }

  deliveryNode(caller: Caller, endpointId: string, eventId: string, nodeId: string): Promise<DeliveryRecord> {
    return this.endpoints.deliveryNode(caller, endpointId, eventId, nodeId);
  }

  deliveries(
    endpoint: EndpointRecord,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<DeliveryRecord>> {
    return this.endpoints.deliveries(endpoint, first, after);
  }

  redeliver(caller: Caller, endpointId: string, eventId: string): Promise<DeliveryRecord> {
    return this.endpoints.redeliver(caller, endpointId, eventId);
  }

  // ---- pipeline: fan-out.ts, delivery.ts ----

  /** Queues the partner events of a Stripe delivery before it is acknowledged (see {@link PartnerFanOut.intake}). */
  intake(events: LiveEvent[]): Promise<void> {
    return this.fanOut.intake(events);
  }

  /** The live-event sink, for what the refresh poller and the payment follow-up publish. */
  accept(event: LiveEvent): Promise<void> {
    return this.fanOut.accept(event);
  }

  /** The queue's job handler. */
  async handle(job: QueueJob, attempt: number, createdAt: number): Promise<void> {
    if (job.name === 'fanout') return this.fanOut.fanOut(job.data, attempt, createdAt);
    return this.delivery.deliver(job.data, attempt, createdAt);
  }
}
