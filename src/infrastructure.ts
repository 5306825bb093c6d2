// The backend choice, made once per gateway: with REDIS_URL every shared state lives in Redis (connections by role,
// src/platform/redis/) and background jobs run on BullMQ; without it, each has its in-process twin. Services receive
// the interfaces built here and never look at REDIS_URL themselves.
import type { Redis } from 'ioredis';
import type { Config } from './platform/config';
import { bullJobQueues } from './platform/jobs/bull-queue';
import type { JobQueues } from './platform/jobs/job-queue';
import { memoryJobQueues } from './platform/jobs/memory-queue';
import type { Logger } from './platform/logger';
import type { Metrics } from './platform/metrics';
import type { ReadinessCheck } from './platform/readiness';
import { openRedisConnections } from './platform/redis/connections';
import { checkRedisRequirements } from './platform/redis/requirements';
import { createMemoryCursor, createRedisCursor, type CatchUpCursor } from './services/live/event-catch-up';
import { createMemoryDedupe, createRedisDedupe, type EventDedupe } from './services/live/event-dedupe';
import { createMemoryPubSub, createRedisPubSub, type GatewayPubSub } from './services/live/pubsub';
import { createMemoryResumeLog, createRedisResumeLog, type ResumeLog } from './services/live/resume-log';
import {
  createMemoryWebhookStore,
  createRedisWebhookStore,
  type WebhookStore,
} from './services/partner-webhooks/webhook-store';
import { createSecretSealer } from './services/partner-webhooks/secret-sealing';
import { lruReadCache, type ReadCache } from './services/stripe/read-cache-backends';
import { twoLevelReadCache } from './services/stripe/read-cache-two-level';
import { createLocalRateBudget, type RateBudget } from './services/stripe/rate-budget';
import { createRedisRateBudget } from './services/stripe/rate-budget-redis';

/** Every backend a gateway's services use, all in memory or all on one Redis. */
export interface Backends {
  readonly transport: 'memory' | 'redis';
  /** The Stripe request budget (shared by every instance on Redis). */
  stripeBudget: RateBudget;
  /** Where the Stripe read cache keeps values (with Redis: in process, in front of Redis, kept in step over pub/sub). */
  readCache: ReadCache;
  /** The store of the caller rate limits (services/auth/rate-limit.ts); absent: in this process. */
  rateLimitStore?: Redis;
  /** The subscription event bus. */
  pubSub: GatewayPubSub;
  /** Live events and subscription stopping points, kept for SUBSCRIPTION_RESUME_WINDOW_MS; absent when it is 0. */
  resumeLog?: ResumeLog;
  /** Webhook event and completion claims, and the order guard. */
  dedupe: EventDedupe;
  /** Where the event catch-up stopped. */
  catchUpCursor: CatchUpCursor;
  /** Partner webhook endpoints, events and the delivery log. */
  webhookStore: WebhookStore;
  /** Background jobs: payment follow-up and partner deliveries. */
  jobs: JobQueues;
  /** Runs `fn` whenever the shared store is reachable again (never, in memory). */
  onStoreBack(fn: () => void): void;
  /** `redis` when REDIS_URL is set. */
  readiness: ReadinessCheck[];
  /** Closes the Redis connections; call after the services that use them stopped. Idempotent. */
  close(): Promise<void>;
}

/** Chooses and builds the backends; opens nothing without REDIS_URL. */
export function createBackends(o: { config: Config; log: Logger; metrics: Metrics }): Backends {
  const { config, log, metrics } = o;
  const budget = { ratePerSecond: config.stripe.maxRps, metrics, log };
  const windowMs = config.subscriptionResumeWindowMs;
  if (!config.redisUrl) {
    const pubSub = createMemoryPubSub(log);
    return {
      transport: 'memory',
      stripeBudget: createLocalRateBudget(budget),
      readCache: lruReadCache(),
      pubSub,
      resumeLog: windowMs > 0 ? createMemoryResumeLog(pubSub, windowMs) : undefined,
      dedupe: createMemoryDedupe(),
      catchUpCursor: createMemoryCursor(),
      webhookStore: createMemoryWebhookStore(),
      jobs: memoryJobQueues(log),
      onStoreBack: () => undefined,
      readiness: [],
      close: async () => undefined,
    };
  }
  const redis = openRedisConnections({ url: config.redisUrl, log });
  // Required in production (platform/config.ts); elsewhere said once, so a staging copy of Redis is not a surprise.
  if (!config.partnerSecretsKeys)
    log.warn('PARTNER_SECRETS_KEY is unset: partner webhook signing secrets are stored in clear in Redis');
  const commands = redis.get('commands');
  const pubSub = createRedisPubSub({
    publishClient: commands,
    subscribeClient: redis.get('subscriber'),
    log,
  });
  const dedupe = createRedisDedupe(commands);
  const webhookStore = createRedisWebhookStore(
    commands,
    config.partnerSecretsKeys && createSecretSealer(config.partnerSecretsKeys),
  );
  // Persistence and noeviction, read once the first connection is up (start-up is not held up by a Redis away).
  let checked = false;
  redis.onReady(() => {
    if (checked) return;
    checked = true;
    checkRedisRequirements(commands, log).catch((e: unknown) =>
      log.warn({ reason: e instanceof Error ? e.message : String(e) }, 'could not check Redis requirements'),
    );
    // During a PARTNER_SECRETS_KEY rotation every secret is sealed again with the new key at once, not only those
    // read by a delivery: the line logged says when PARTNER_SECRETS_KEY_PREVIOUS may be dropped.
    if (config.partnerSecretsKeys?.previous)
      webhookStore.resealAll().then(
        (endpoints) =>
          log.info({ endpoints }, 'partner webhook secrets sealed with the current PARTNER_SECRETS_KEY'),
        (e: unknown) =>
          log.error(
            { reason: e instanceof Error ? e.message : String(e) },
            'partner webhook secrets not all sealed again; they are on their next read',
          ),
      );
  });
  return {
    transport: 'redis',
    stripeBudget: createRedisRateBudget({ ...budget, redis: commands }),
    readCache: twoLevelReadCache({ redis: commands, subscriber: redis.get('subscriber'), metrics, log }),
    rateLimitStore: commands,
    pubSub,
    resumeLog: windowMs > 0 ? createRedisResumeLog(commands, windowMs) : undefined,
    dedupe,
    catchUpCursor: createRedisCursor(commands),
    webhookStore,
    jobs: bullJobQueues(redis.get('queue'), log),
    onStoreBack: (fn) => redis.onReady(fn),
    readiness: [
      {
        name: 'redis',
        check: async () => pubSub.ready() && dedupe.ready() && (await redis.readiness.check()),
      },
    ],
    close: () => redis.close(),
  };
}
