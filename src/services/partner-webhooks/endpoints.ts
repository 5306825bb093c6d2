// Partner webhook endpoints: create, change, rotate, delete and list them, read their delivery log, redeliver.
import { randomBytes } from 'node:crypto';
import { badInput, ErrorCode, forbidden, GatewayError, notFound } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Caller } from '../auth/auth';
import {
  allowedAddresses,
  ForbiddenAddressError,
  urlProblem,
  type HostResolver,
  type UrlPolicy,
} from './address-policy';
import type { DeliveryQueue } from './delivery-queue';
import { isPartnerEventType, PARTNER_EVENT_TYPES, type PartnerEventType } from './partner-events';
import { newSigningSecret } from './signature';
import type { DeliveryRecord, EndpointRecord, Page, WebhookStore } from './webhook-store';

/** Most endpoints one partner may have. */
const MAX_ENDPOINTS_PER_PARTNER = 16;
/** After a rotation, the old secret keeps signing this long. */
const ROTATION_GRACE_MS = 24 * 3600 * 1000;
const MAX_PAGE = 100;
/** The shape of an event id (partner-events.ts): only such ids reach the store. */
const EVENT_ID = /^wevt_[0-9a-f]{24}$/;

export interface EndpointInput {
  url?: string | null;
  events?: string[] | null;
  description?: string | null;
}

/** The endpoint API, for partner callers only (a customer token is FORBIDDEN). */
export class WebhookEndpoints {
  constructor(
    private readonly deps: {
      store: WebhookStore;
      resolve: HostResolver;
      policy: UrlPolicy;
      log: Logger;
      /** The queue a redelivery goes to (read at each call: it is attached after construction). */
      queue: () => DeliveryQueue;
    },
  ) {}

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

  /**
   * node(id) of a WebhookEndpoint: the caller's own endpoint. Why NOT_FOUND where the endpoint API says FORBIDDEN: a
   * node lookup answers alike for every id it will not show (a customer token, another partner's, none at all).
   */
  async endpointNode(caller: Caller, id: string): Promise<EndpointRecord> {
    if (caller.kind !== 'partner') throw notFound('WebhookEndpoint', id);
    return this.own(caller, id);
  }

  /**
   * node(id) of a WebhookDelivery: event `eventId` at the caller's own endpoint `endpointId`.
   * @throws NOT_FOUND (`WebhookDelivery <nodeId> was not found.`) for a customer token, another partner's endpoint
   *   and a pair with no delivery.
   */
  async deliveryNode(
    caller: Caller,
    endpointId: string,
    eventId: string,
    nodeId: string,
  ): Promise<DeliveryRecord> {
    const endpoint = await this.endpointNode(caller, endpointId).catch((e: unknown) => {
      if (e instanceof GatewayError && e.extensions.code === ErrorCode.NOT_FOUND) return null;
      throw e; // the store unavailable stays UPSTREAM_UNAVAILABLE
    });
    const delivery =
      endpoint && EVENT_ID.test(eventId) ? await this.deps.store.getDelivery(endpoint.id, eventId) : null;
    if (!delivery) throw notFound('WebhookDelivery', nodeId);
    return delivery;
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
    await this.deps
      .queue()
      .add(
        { name: 'deliver', data: { endpointId: endpoint.id, eventId: event.id } },
        `deliver.${event.id}.${endpoint.id}.${now}.${randomBytes(4).toString('hex')}`,
      );
    return delivery;
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
    const problem = urlProblem(url, this.deps.policy);
    if (problem) throw badInput(`${problem}.`, 'url');
    try {
      await allowedAddresses(new URL(url).hostname, this.deps.policy, this.deps.resolve);
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
