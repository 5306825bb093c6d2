// Delivering one partner event to one endpoint: the signed attempt, its record in the delivery log, the retry
// schedule, and disabling an endpoint that failed for the whole retry window.
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { HostResolver, UrlPolicy } from './address-policy';
import {
  backoffDelay,
  FinalFailure,
  RetryLater,
  type DeliveryQueue,
  type RetryPolicy,
} from './delivery-queue';
import { attemptDelivery } from './http-delivery';
import type { PartnerEvent } from './partner-events';
import { legacySignatureHeader, LEGACY_SIGNATURE_HEADER, standardWebhookHeaders } from './signature';
import type { DeliveryRecord, EndpointRecord, WebhookStore } from './webhook-store';

export interface PartnerWebhookSettings {
  policy: UrlPolicy;
  /** Per attempt (connect, send, response). */
  attemptTimeoutMs: number;
  retry: RetryPolicy;
  /** Retries stop after this long; an endpoint failing this long is disabled. */
  retryWindowMs: number;
}

export class PartnerDelivery {
  constructor(
    private readonly deps: {
      store: WebhookStore;
      resolve: HostResolver;
      settings: PartnerWebhookSettings;
      log: Logger;
      metrics?: Metrics;
      /** The queue retries go to (read at each call: it is attached after construction). */
      queue: () => DeliveryQueue;
    },
  ) {}

  /**
   * The first attempt of a fanned-out event at one endpoint, unless it was made already; a failed one becomes a
   * delayed `deliver` job.
   */
  async firstAttempt(
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
      await this.deps
        .queue()
        .add({ ...job, data: { ...job.data, since, attemptsBefore: recorded.attempts } }, jobId, delay);
      return;
    }
    // The retry window counts from this first attempt.
    const since = Date.now();
    const delivery: DeliveryRecord = recorded ?? newDelivery(endpoint.id, event, since);
    const outcome = await this.attemptAndRecord(endpoint, event, delivery, 1, since);
    if (outcome.retryInMs !== undefined) {
      await this.deps
        .queue()
        .add({ ...job, data: { ...job.data, since, attemptsBefore: 1 } }, jobId, outcome.retryInMs);
    }
  }

  /** A retry (or a redelivery) of one event to one endpoint: the queue's `deliver` job. */
  async deliver(
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
    const unixSeconds = Math.floor(now / 1000);
    const result = await attemptDelivery({
      url: endpoint.url,
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'fc-graphql-gateway-webhooks/1',
        // Standard Webhooks: webhook-id is the event id, so retries and redeliveries carry the same one.
        ...standardWebhookHeaders(event.id, body, secrets, unixSeconds),
        [LEGACY_SIGNATURE_HEADER]: legacySignatureHeader(body, secrets, unixSeconds), // deprecated
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

  private count(outcome: string) {
    this.deps.metrics?.partnerWebhookDeliveries.inc({ outcome });
  }
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
