// Assembles partner webhooks for one instance: store and queue (Redis when REDIS_URL, else in-process), service, metrics.
import { lookup } from 'node:dns/promises';
import type Stripe from 'stripe';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { closeRedis, createRedisConnection } from '../../platform/redis-connection';
import type { HostResolver } from './address-policy';
import { createBullDeliveryQueue, createMemoryDeliveryQueue } from './delivery-queue';
import { PartnerWebhooks, type PartnerEventRenderer } from './partner-webhooks.service';
import { createMemoryWebhookStore, createRedisWebhookStore } from './webhook-store';

/** Every A and AAAA answer, as the OS resolver gives them (what a connection would use). */
export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface PartnerWebhooksModule {
  service: PartnerWebhooks;
  close(): Promise<void>;
}

export function createPartnerWebhooks(o: {
  config: Config;
  log: Logger;
  metrics: Metrics;
  stripe: Stripe;
  render: PartnerEventRenderer;
  /** DNS seam (tests answer for made-up hosts); the system resolver by default. */
  resolve?: HostResolver;
}): PartnerWebhooksModule {
  const { config, log, metrics } = o;
  const settings = config.partnerWebhooks;
  const redis = config.redisUrl
    ? {
        commands: createRedisConnection({
          url: config.redisUrl,
          name: 'webhooks-store',
          log,
          role: 'commands',
        }),
        // BullMQ wants connections that wait through an outage (no per-command retry limit).
        queue: createRedisConnection({
          url: config.redisUrl,
          name: 'webhooks-queue',
          log,
          role: 'subscriber',
        }),
        worker: createRedisConnection({
          url: config.redisUrl,
          name: 'webhooks-worker',
          log,
          role: 'subscriber',
        }),
      }
    : undefined;
  const store = redis ? createRedisWebhookStore(redis.commands) : createMemoryWebhookStore();
  const service = new PartnerWebhooks({
    store,
    stripe: o.stripe,
    render: o.render,
    resolve: o.resolve ?? systemResolver,
    settings: {
      policy: { requireHttps: config.production, allowPrivate: settings.allowPrivateUrls },
      attemptTimeoutMs: settings.attemptTimeoutMs,
      retry: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs },
      retryWindowMs: settings.retryWindowMs,
    },
    log: log.child({ component: 'partner-webhooks' }),
    metrics,
  });
  const handler = service.handle.bind(service);
  const retry = { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs };
  const queue = redis
    ? createBullDeliveryQueue({
        connection: redis.queue,
        workerConnection: redis.worker,
        handler,
        retry,
        concurrency: settings.concurrency,
        log,
      })
    : createMemoryDeliveryQueue({ handler, retry, log });
  service.attach(queue);
  metrics.partnerWebhookQueueProbe.pending = () => queue.pending();
  if (!redis) {
    log.warn(
      'partner webhook endpoints and pending deliveries are kept in memory (no REDIS_URL): they are lost on restart',
    );
  }
  let closing: Promise<void> | undefined;
  return {
    service,
    close() {
      closing ??= (async () => {
        metrics.partnerWebhookQueueProbe.pending = undefined;
        await queue.close();
        if (redis) await Promise.all(Object.values(redis).map(closeRedis));
      })();
      return closing;
    },
  };
}
