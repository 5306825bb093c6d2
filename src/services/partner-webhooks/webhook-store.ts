// Where partner webhook endpoints, their events and the delivery log live: Redis (shared) or this process.
import type { Redis } from 'ioredis';
import { ErrorCode, GatewayError } from '../../platform/errors';
import type { PartnerEvent, PartnerEventType } from './partner-events';
import { isSealed, type SecretSealer } from './secret-sealing';

export interface EndpointRecord {
  id: string;
  partnerId: string;
  url: string;
  events: PartnerEventType[];
  description: string | null;
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  /**
   * Signs every delivery. HMAC needs it in clear here; in Redis it is sealed with PARTNER_SECRETS_KEY
   * (secret-sealing.ts), as is `previousSecret`.
   */
  secret: string;
  /** Still signs (a second `v1`) until `previousSecretExpiresAt` (ms), after a rotation. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  /** When deliveries to it started failing without a success since (ms), else null. */
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryRecord {
  endpointId: string;
  eventId: string;
  eventType: PartnerEventType;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastHttpStatus: number | null;
  lastError: string | null;
  /** ms; null when nothing more is scheduled. */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export interface WebhookStore {
  readonly durable: boolean;
  putEndpoint(e: EndpointRecord): Promise<void>;
  getEndpoint(id: string): Promise<EndpointRecord | null>;
  deleteEndpoint(e: EndpointRecord): Promise<void>;
  /** Newest first; `after` is an endpoint id of a previous page. */
  listEndpoints(partnerId: string, first: number, after?: string | null): Promise<Page<EndpointRecord>>;
  allEndpoints(partnerId: string): Promise<EndpointRecord[]>;
  /** Whether any partner has an endpoint (no Stripe lookup is needed for an event otherwise). */
  anyEndpoints(): Promise<boolean>;
  putEvent(e: PartnerEvent): Promise<void>;
  getEvent(id: string): Promise<PartnerEvent | null>;
  putDelivery(d: DeliveryRecord): Promise<void>;
  /** Records new pending deliveries in one round trip; an existing record for the pair is kept. */
  addDeliveries(ds: DeliveryRecord[]): Promise<void>;
  getDelivery(endpointId: string, eventId: string): Promise<DeliveryRecord | null>;
  /** One event's records at several endpoints, in the order asked (one round trip with Redis). */
  getDeliveries(endpointIds: string[], eventId: string): Promise<(DeliveryRecord | null)[]>;
  /** Newest first; `after` is an event id of a previous page. */
  listDeliveries(endpointId: string, first: number, after?: string | null): Promise<Page<DeliveryRecord>>;
  /**
   * Reads every endpoint once, so that each secret sealed with PARTNER_SECRETS_KEY_PREVIOUS (or stored in clear) is
   * sealed again with the current key; after it, the previous key can be dropped.
   * @returns how many endpoints were read
   */
  resealAll(): Promise<number>;
}

/** Events and delivery records are kept this long (replay window), endpoints until deleted. */
const RETENTION_SECONDS = 30 * 24 * 3600;
/** The delivery log keeps at most this many entries per endpoint. */
const MAX_LOG_ENTRIES = 10_000;

function pageOf<T>(
  ids: string[],
  first: number,
  after: string | null | undefined,
  get: (id: string) => T | undefined,
) {
  const start = after ? ids.indexOf(after) + 1 : 0;
  if (after && start === 0) return { items: [], hasMore: false };
  const slice = ids.slice(start, start + first);
  return {
    items: slice.map(get).filter((x): x is T => x !== undefined),
    hasMore: start + first < ids.length,
  };
}

/** This process only: everything is lost on restart (start-up says so). */
export function createMemoryWebhookStore(): WebhookStore {
  const endpoints = new Map<string, EndpointRecord>();
  const events = new Map<string, PartnerEvent>();
  const deliveries = new Map<string, DeliveryRecord>();
  const logs = new Map<string, string[]>(); // endpoint → event ids, newest first
  const copy = <T>(x: T): T => structuredClone(x);
  const ofPartner = (partnerId: string) =>
    [...endpoints.values()]
      .filter((e) => e.partnerId === partnerId)
      .sort((a, b) => b.createdAt - a.createdAt);
  return {
    durable: false,
    async putEndpoint(e) {
      endpoints.set(e.id, copy(e));
    },
    async getEndpoint(id) {
      const e = endpoints.get(id);
      return e ? copy(e) : null;
    },
    async deleteEndpoint(e) {
      endpoints.delete(e.id);
      for (const eventId of logs.get(e.id) ?? []) deliveries.delete(`${e.id}:${eventId}`);
      logs.delete(e.id);
    },
    async listEndpoints(partnerId, first, after) {
      const all = ofPartner(partnerId);
      return pageOf(
        all.map((e) => e.id),
        first,
        after,
        (id) => copy(endpoints.get(id)),
      ) as Page<EndpointRecord>;
    },
    async allEndpoints(partnerId) {
      return ofPartner(partnerId).map(copy);
    },
    async anyEndpoints() {
      return endpoints.size > 0;
    },
    async putEvent(e) {
      events.set(e.id, copy(e));
    },
    async getEvent(id) {
      const e = events.get(id);
      return e ? copy(e) : null;
    },
    async putDelivery(d) {
      const key = `${d.endpointId}:${d.eventId}`;
      if (!deliveries.has(key)) {
        const log = logs.get(d.endpointId) ?? [];
        log.unshift(d.eventId);
        if (log.length > MAX_LOG_ENTRIES)
          for (const old of log.splice(MAX_LOG_ENTRIES)) deliveries.delete(`${d.endpointId}:${old}`);
        logs.set(d.endpointId, log);
      }
      deliveries.set(key, copy(d));
    },
    async addDeliveries(ds) {
      for (const d of ds) if (!deliveries.has(`${d.endpointId}:${d.eventId}`)) await this.putDelivery(d);
    },
    async getDelivery(endpointId, eventId) {
      const d = deliveries.get(`${endpointId}:${eventId}`);
      return d ? copy(d) : null;
    },
    async getDeliveries(endpointIds, eventId) {
      return endpointIds.map((endpointId) => {
        const d = deliveries.get(`${endpointId}:${eventId}`);
        return d ? copy(d) : null;
      });
    },
    async resealAll() {
      return 0; // nothing at rest: the process's memory only
    },
    async listDeliveries(endpointId, first, after) {
      return pageOf(logs.get(endpointId) ?? [], first, after, (eventId) => {
        const d = deliveries.get(`${endpointId}:${eventId}`);
        return d ? copy(d) : undefined;
      });
    },
  };
}

const K = {
  endpoint: (id: string) => `fcgw:pwh:ep:${id}`,
  partner: (partnerId: string) => `fcgw:pwh:eps:${partnerId}`,
  /** Every endpoint id, whichever partner's. */
  all: 'fcgw:pwh:eps',
  event: (id: string) => `fcgw:pwh:evt:${id}`,
  delivery: (endpointId: string, eventId: string) => `fcgw:pwh:dlv:${endpointId}:${eventId}`,
  log: (endpointId: string) => `fcgw:pwh:dlvs:${endpointId}`,
};

/**
 * Shared by every instance on REDIS_URL; survives restarts (as durable as the Redis). A store whose every failure
 * (Redis down, restarting, timing out) is UPSTREAM_UNAVAILABLE: the client may retry, and the error is not an
 * internal one (logged and masked as a bug).
 * @param sealer seals endpoint signing secrets at rest (PARTNER_SECRETS_KEY); absent: they are stored in clear
 */
export function createRedisWebhookStore(redis: Redis, sealer?: SecretSealer): WebhookStore {
  const store = redisWebhookStore(redis, sealer);
  // The Redis error stays the cause, for the delivery workers' logs; clients see only the message.
  const unavailable = (cause: unknown) =>
    Object.assign(
      new GatewayError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        'Webhook endpoints are unavailable right now; retry later.',
      ),
      { cause },
    );
  const guarded = { ...store } as Record<string, unknown>;
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function') continue;
    guarded[name] = (...args: unknown[]) =>
      (method as (...a: unknown[]) => Promise<unknown>).apply(store, args).catch((e: unknown) => {
        throw e instanceof GatewayError ? e : unavailable(e);
      });
  }
  return guarded as unknown as WebhookStore;
}

/** Replaces a key's value only if it is still `expected` (another instance may have updated it meanwhile). */
const REPLACE_IF_UNCHANGED = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2]) end return 0`;

function redisWebhookStore(redis: Redis, sealer?: SecretSealer): WebhookStore {
  const parse = <T>(raw: string | null): T | null => (raw ? (JSON.parse(raw) as T) : null);
  const serializeEndpoint = (e: EndpointRecord) =>
    JSON.stringify(
      sealer
        ? {
            ...e,
            secret: sealer.seal(e.id, e.secret),
            previousSecret: e.previousSecret === null ? null : sealer.seal(e.id, e.previousSecret),
          }
        : e,
    );
  /**
   * The record with its secrets in clear. One sealed with the previous key (a PARTNER_SECRETS_KEY rotation) or
   * stored in clear (before the key was set) is written back sealed with the current key, unless it changed since.
   */
  const openEndpoint = async (raw: string | null): Promise<EndpointRecord | null> => {
    const stored = parse<EndpointRecord>(raw);
    if (!stored) return null;
    if (!sealer) {
      if (isSealed(stored.secret))
        throw new Error(
          `partner webhook endpoint ${stored.id} has a sealed secret but PARTNER_SECRETS_KEY is unset`,
        );
      return stored;
    }
    const secret = sealer.open(stored.id, stored.secret);
    const previous = stored.previousSecret === null ? null : sealer.open(stored.id, stored.previousSecret);
    const record = { ...stored, secret: secret.secret, previousSecret: previous?.secret ?? null };
    if (secret.stale || previous?.stale)
      await redis.eval(REPLACE_IF_UNCHANGED, 1, K.endpoint(record.id), raw!, serializeEndpoint(record));
    return record;
  };
  async function pageFromSortedSet<T>(
    key: string,
    first: number,
    after: string | null | undefined,
    load: (ids: string[]) => Promise<(T | null)[]>,
  ): Promise<Page<T>> {
    let start = 0;
    if (after) {
      const rank = await redis.zrevrank(key, after);
      if (rank === null) return { items: [], hasMore: false };
      start = rank + 1;
    }
    const ids = await redis.zrevrange(key, start, start + first); // one more than asked: hasMore
    const items = (await load(ids.slice(0, first))).filter((x): x is T => x !== null);
    return { items, hasMore: ids.length > first };
  }
  const loadEndpoints = async (ids: string[]): Promise<(EndpointRecord | null)[]> =>
    ids.length ? Promise.all((await redis.mget(ids.map(K.endpoint))).map(openEndpoint)) : [];
  return {
    durable: true,
    async putEndpoint(e) {
      await redis
        .multi()
        .set(K.endpoint(e.id), serializeEndpoint(e))
        .zadd(K.partner(e.partnerId), e.createdAt, e.id)
        .sadd(K.all, e.id)
        .exec();
    },
    async getEndpoint(id) {
      return openEndpoint(await redis.get(K.endpoint(id)));
    },
    async deleteEndpoint(e) {
      await redis
        .multi()
        .del(K.endpoint(e.id), K.log(e.id))
        .zrem(K.partner(e.partnerId), e.id)
        .srem(K.all, e.id)
        .exec();
    },
    listEndpoints(partnerId, first, after) {
      return pageFromSortedSet(K.partner(partnerId), first, after, loadEndpoints);
    },
    async allEndpoints(partnerId) {
      const ids = await redis.zrevrange(K.partner(partnerId), 0, -1);
      return (await loadEndpoints(ids)).filter((x): x is EndpointRecord => x !== null);
    },
    async anyEndpoints() {
      return (await redis.scard(K.all)) > 0;
    },
    async resealAll() {
      const ids = await redis.smembers(K.all);
      for (let i = 0; i < ids.length; i += 100) await loadEndpoints(ids.slice(i, i + 100));
      return ids.length;
    },
    async putEvent(e) {
      await redis.set(K.event(e.id), JSON.stringify(e), 'EX', RETENTION_SECONDS);
    },
    async getEvent(id) {
      return parse(await redis.get(K.event(id)));
    },
    async putDelivery(d) {
      await redis
        .multi()
        .set(K.delivery(d.endpointId, d.eventId), JSON.stringify(d), 'EX', RETENTION_SECONDS)
        .zadd(K.log(d.endpointId), 'NX', d.createdAt, d.eventId)
        .zremrangebyrank(K.log(d.endpointId), 0, -MAX_LOG_ENTRIES - 1)
        .exec();
    },
    async addDeliveries(ds) {
      const m = redis.multi();
      for (const d of ds) {
        m.set(K.delivery(d.endpointId, d.eventId), JSON.stringify(d), 'EX', RETENTION_SECONDS, 'NX');
        m.zadd(K.log(d.endpointId), 'NX', d.createdAt, d.eventId);
      }
      await m.exec();
    },
    async getDelivery(endpointId, eventId) {
      return parse(await redis.get(K.delivery(endpointId, eventId)));
    },
    async getDeliveries(endpointIds, eventId) {
      if (!endpointIds.length) return [];
      const raw = await redis.mget(endpointIds.map((endpointId) => K.delivery(endpointId, eventId)));
      return raw.map((r) => parse<DeliveryRecord>(r));
    },
    listDeliveries(endpointId, first, after) {
      return pageFromSortedSet(K.log(endpointId), first, after, async (ids) =>
        ids.length
          ? (await redis.mget(ids.map((id) => K.delivery(endpointId, id)))).map((r) =>
              parse<DeliveryRecord>(r),
            )
          : [],
      );
    },
  };
}
