// Assembles partner webhooks for one instance on the store and job queue it is given (src/infrastructure.ts): the
// service, its delivery queue, metrics.
import { lookup } from 'node:dns/promises';
import type Stripe from 'stripe';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { JobQueues } from '../../platform/jobs/job-queue';
import type { HostResolver } from './address-policy';
import { createDeliveryQueue } from './delivery-queue';
import { PartnerWebhooks, type PartnerEventRenderer } from './partner-webhooks.service';
import type { WebhookStore } from './webhook-store';

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
  /** Endpoints and the delivery log, and the job queue deliveries run on (memory or Redis alike). */
  backends: { webhookStore: WebhookStore; jobs: JobQueues };
  /** DNS seam (tests answer for made-up hosts); the system resolver by default. */
  resolve?: HostResolver;
}): PartnerWebhooksModule {
  const { config, log, metrics } = o;
  const settings = config.partnerWebhooks;
  const store = o.backends.webhookStore;
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
  const queue = createDeliveryQueue(o.backends.jobs, { handler, retry, concurrency: settings.concurrency });
  service.attach(queue);
  metrics.partnerWebhookQueueProbe.pending = () => queue.pending();
  if (queue.transport === 'memory') {
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
      })();
      return closing;
    },
  };
}
