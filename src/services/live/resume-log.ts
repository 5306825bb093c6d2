// What lets a subscription that lost its socket come back without losing a push: every live event, kept for a grace
// window with a position in its customer's stream, and where each subscription stopped.
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { topicOf, type GatewayPubSub } from './pubsub';

/**
 * An event's place in its customer's stream, in Redis stream id grammar (`<unix ms>-<sequence>`): increasing in
 * the order the events were published, on every instance. `0-0` comes before every event.
 */
export type StreamPosition = string;
export const STREAM_START: StreamPosition = '0-0';

/**
 * What the log keeps: a live event (live-events.ts, which publishes through this log, hence only its shape here).
 */
export interface StreamedEvent {
  kind: string;
  customerId: string;
}

/** An event as subscribers receive it: with its position when the resume log published it. */
export type PositionedEvent = StreamedEvent & { position?: StreamPosition };

/** Orders two positions: negative when `a` came first, 0 when equal, positive when `a` came later. */
export function comparePositions(a: StreamPosition, b: StreamPosition): number {
  if (a === b) return 0;
  // Digit by digit, without splitting: every subscription compares every event's position (thousands per event).
  const ad = a.indexOf('-');
  const bd = b.indexOf('-');
  return compareDigits(a, 0, ad, b, 0, bd) || compareDigits(a, ad + 1, a.length, b, bd + 1, b.length);
}

/** Orders the decimal numbers `a[as, ae)` and `b[bs, be)` (no leading zeros, as Redis writes them). */
function compareDigits(a: string, as: number, ae: number, b: string, bs: number, be: number): number {
  if (ae - as !== be - bs) return ae - as - (be - bs);
  for (let i = 0; i < ae - as; i += 1) {
    const d = a.charCodeAt(as + i) - b.charCodeAt(bs + i);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Why a log of its own beside the bus, and why positions: pub/sub forgets an event once it was handed to whoever
 * listened, so a subscriber whose socket closed (a customer token that expired, a network change) missed whatever
 * was published until it subscribed again. Each event now also goes into its customer's stream, kept for the
 * window; a subscription remembers the position of the newest event it saw when it ends, and the same subscription
 * coming back within the window (subscription-resume in docs/architecture.md) is handed what came after, then the
 * live events, each once.
 */
export interface ResumeLog {
  /** How long events and stopping points are kept, in ms. */
  readonly windowMs: number;
  /**
   * Appends `event` to its customer's stream and publishes it on the bus (`routingKey`, the customer) with its
   * position, as one step: subscribers of one instance receive events in position order.
   * @throws when the store cannot take it (the caller publishes without a position instead).
   */
  publish(routingKey: string, event: StreamedEvent): Promise<void>;
  /** The position of the newest event kept for `customerId`, {@link STREAM_START} when none. */
  head(customerId: string): Promise<StreamPosition>;
  /** The events kept for `customerId` after `position`, oldest first (at most {@link MAX_REPLAYED}). */
  after(customerId: string, position: StreamPosition): Promise<PositionedEvent[]>;
  /** Remembers, for the window, where the subscription named `key` stopped. */
  remember(key: string, position: StreamPosition): Promise<void>;
  /** Where the subscription `key` stopped, once (the call forgets it); null when unknown or past the window. */
  recall(key: string): Promise<StreamPosition | null>;
}

/** Events kept per customer and replayed to one subscription at most (a customer's events are few per minute). */
export const MAX_REPLAYED = 1000;
/** Stopping points remembered at once in memory (oldest forgotten first). */
const MAX_POINTS = 100_000;

interface Kept {
  at: number;
  event: PositionedEvent;
}

/**
 * In-process log: per customer, the events of the last `windowMs` (at most {@link MAX_REPLAYED}); customers are
 * kept in order of their newest event, so the stale ones are swept from the front on every publish.
 */
export function createMemoryResumeLog(pubSub: GatewayPubSub, windowMs: number): ResumeLog {
  const streams = new Map<string, Kept[]>();
  const points = new LRUCache<string, StreamPosition>({ max: MAX_POINTS, ttl: windowMs });
  let lastMs = 0;
  let sequence = 0;
  const nextPosition = (now: number): StreamPosition => {
    if (now > lastMs) [lastMs, sequence] = [now, 0];
    else sequence += 1;
    return `${lastMs}-${sequence}`;
  };
  const sweep = (now: number) => {
    for (const [customerId, kept] of streams) {
      if (kept[kept.length - 1].at > now - windowMs) return;
      streams.delete(customerId);
    }
  };
  return {
    windowMs,
    async publish(routingKey, event) {
      const now = Date.now();
      const positioned: PositionedEvent = { ...event, position: nextPosition(now) };
      const kept = streams.get(event.customerId) ?? [];
      streams.delete(event.customerId); // re-inserted last: the map stays ordered by newest event
      streams.set(event.customerId, kept);
      // A copy is kept: results shared per event object (transport/ws/subscription-execution.ts) then die with the
      // live object, not with the window.
      kept.push({ at: now, event: { ...positioned } });
      while (kept.length > MAX_REPLAYED || kept[0].at <= now - windowMs) kept.shift();
      sweep(now);
      pubSub.publish(routingKey, event.customerId, positioned);
    },
    async head(customerId) {
      const kept = streams.get(customerId);
      return kept?.length ? kept[kept.length - 1].event.position! : STREAM_START;
    },
    async after(customerId, position) {
      return (streams.get(customerId) ?? [])
        .filter((k) => comparePositions(k.event.position!, position) > 0)
        .map((k) => k.event);
    },
    async remember(key, position) {
      points.set(key, position);
    },
    async recall(key) {
      const position = points.get(key) ?? null;
      points.delete(key);
      return position;
    },
  };
}

/**
 * XADD to the customer's stream (trimmed to the window by Redis's own clock, MINID) and PUBLISH the event with the
 * id XADD gave it, in one script: Redis runs it atomically, so the order of positions is the order in which every
 * subscriber connection receives the events, whichever instance published them. The bus's JSON (what
 * createRedisEventTarget parses) is the event's own JSON with `position` spliced in first.
 */
const PUBLISH_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = redis.call('XADD', KEYS[1], 'MINID', '~', tostring(now - tonumber(ARGV[1])), '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[3], '{"position":"' .. id .. '",' .. string.sub(ARGV[2], 2))
return id
`;

/** Shared log: a Redis stream per customer, stopping points as keys that expire with the window. */
export function createRedisResumeLog(
  redis: Redis,
  windowMs: number,
  options: { prefix?: string } = {},
): ResumeLog {
  const prefix = options.prefix ?? 'fcgw:';
  const streamKey = (customerId: string) => `${prefix}live:stream:${customerId}`;
  const pointKey = (key: string) => `${prefix}live:resume:${key}`;
  return {
    windowMs,
    async publish(routingKey, event) {
      await redis.eval(
        PUBLISH_LUA,
        1,
        streamKey(event.customerId),
        windowMs,
        JSON.stringify(event),
        topicOf(routingKey, event.customerId),
      );
    },
    async head(customerId) {
      const newest = await redis.xrevrange(streamKey(customerId), '+', '-', 'COUNT', 1);
      return newest[0]?.[0] ?? STREAM_START;
    },
    async after(customerId, position) {
      const entries = await redis.xrange(streamKey(customerId), `(${position}`, '+', 'COUNT', MAX_REPLAYED);
      const events: PositionedEvent[] = [];
      for (const [id, fields] of entries) {
        const json = fields[fields.indexOf('e') + 1];
        if (json) events.push({ ...(JSON.parse(json) as StreamedEvent), position: id });
      }
      return events;
    },
    async remember(key, position) {
      await redis.set(pointKey(key), position, 'PX', windowMs);
    },
    async recall(key) {
      return redis.getdel(pointKey(key));
    },
  };
}
