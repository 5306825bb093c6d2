// The subscription event bus behind one interface: in-process by default, Redis pub/sub when REDIS_URL is set.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { Logger } from '../../platform/logger';
import { EventQueue } from './event-queue';

/**
 * What subscriptions and publishers see, whichever transport carries the events. It is type-graphql's
 * `PubSub` (so `buildSchema({ pubSub })` accepts it) plus the bus's own lifecycle.
 *
 * Payloads must be plain JSON (strings, numbers, booleans, arrays, objects): over Redis they are
 * serialized, so a `Date` would arrive as a string on other instances but as a Date on this one.
 */
export interface GatewayPubSub extends PubSub {
  /** `memory` (this process only) or `redis` (every instance sharing REDIS_URL). */
  readonly transport: 'memory' | 'redis';
  /** Fire-and-forget. Never throws: a publish that cannot reach Redis is logged and counted. */
  publish(routingKey: string, ...args: unknown[]): void;
  subscribe(routingKey: string, dynamicId?: unknown): AsyncIterable<unknown>;
  /**
   * Calls `fn` with every payload published to `routingKey` (and `dynamicId`) until the returned
   * function is called. The cheap path subscriptions use: no iterator per stage, filtering in `fn`.
   */
  listen(routingKey: string, dynamicId: unknown, fn: (payload: unknown) => void): () => void;
  /**
   * Resolves once events published to `routingKey` (and `dynamicId`) from now on reach this instance's listeners
   * (at once for `memory`; with Redis, when Redis has confirmed the SUBSCRIBE that the first `listen` sent). Never
   * rejects. Why: a read of the resume log (resume-log.ts) made after this cannot miss an event that the bus then
   * fails to bring.
   */
  subscribedTo(routingKey: string, dynamicId: unknown): Promise<void>;
  /** True while events can flow (always for `memory`). */
  ready(): boolean;
}

/** createPubSub's publish, without its per-topic typing (topics here are built at run time). */
interface LoosePubSub {
  publish(routingKey: string, ...args: unknown[]): void;
}

/** createPubSub's topic naming: `routingKey` or `routingKey:id` (the Redis channel, too). */
export const topicOf = (routingKey: string, id: unknown) =>
  id === undefined ? routingKey : `${routingKey}:${String(id)}`;

/**
 * Publishing goes through createPubSub (the event target does the transport); subscribing reads the
 * event target directly into an {@link EventQueue}, one listener per subscription.
 */
function busOver(
  target: EventTarget,
  inner: LoosePubSub,
  log: Logger,
): Pick<GatewayPubSub, 'publish' | 'subscribe' | 'listen'> {
  const listen = (routingKey: string, id: unknown, fn: (payload: unknown) => void) => {
    const topic = topicOf(routingKey, id);
    const listener = (event: Event) => fn((event as CustomEvent).detail);
    target.addEventListener(topic, listener);
    return () => target.removeEventListener(topic, listener);
  };
  return {
    publish: (routingKey, ...args) => inner.publish(routingKey, ...args),
    listen,
    subscribe(routingKey, id) {
      let stop = () => undefined as void;
      const queue = new EventQueue<unknown>(
        () => stop(),
        256,
        () => log.warn({ topic: topicOf(routingKey, id) }, 'a slow subscriber dropped its oldest event'),
      );
      stop = listen(routingKey, id, (payload) => queue.push(payload));
      return queue;
    },
  };
}

type Listener = (event: CustomEvent) => void;
type ListenerOrObject = Listener | { handleEvent: Listener };
const asListener = (l: ListenerOrObject): Listener => ('handleEvent' in l ? l.handleEvent.bind(l) : l);

/**
 * Why our own in-process event target instead of Node's global EventTarget: a listener that throws
 * inside Node's EventTarget becomes an uncaught exception (process exit); here it costs that listener
 * the event, never the process.
 */
function createLocalEventTarget(log: Logger): EventTarget {
  const listeners = new Map<string, Set<Listener>>();
  const originals = new WeakMap<object, Listener>();
  return {
    addEventListener(type: string, l: ListenerOrObject | null) {
      if (!l) return;
      const fn = asListener(l);
      originals.set(l, fn);
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(fn);
    },
    removeEventListener(type: string, l: ListenerOrObject | null) {
      if (!l) return;
      const set = listeners.get(type);
      const fn = originals.get(l);
      if (!set || !fn) return;
      set.delete(fn);
      if (set.size === 0) listeners.delete(type);
    },
    dispatchEvent(event: Event) {
      const set = listeners.get(event.type);
      if (!set) return true;
      for (const fn of [...set]) {
        try {
          fn(event as CustomEvent);
        } catch (e) {
          log.warn({ err: e, topic: event.type }, 'a subscriber could not take an event (dropped for it)');
        }
      }
      return true;
    },
  } as EventTarget;
}

/** In-process bus: events reach subscribers of this instance only. */
export function createMemoryPubSub(log: Logger): GatewayPubSub {
  const target = createLocalEventTarget(log);
  const inner = createPubSub({ eventTarget: target as never }) as unknown as LoosePubSub;
  return {
    transport: 'memory',
    ...busOver(target, inner, log),
    subscribedTo: () => Promise.resolve(),
    ready: () => true,
  };
}

/**
 * Redis bus (`createRedisEventTarget`): every instance SUBSCRIBEs once per topic that has local
 * subscribers and fans out locally. Redis pub/sub is fire-and-forget: an event published while an
 * instance is disconnected is lost for that instance (subscribers there miss it; queries are unaffected).
 *
 * @param publishClient a `commands` connection (fails fast while Redis is away).
 * @param subscribeClient a `subscriber` connection (re-subscribes on reconnect).
 */
export function createRedisPubSub(options: {
  publishClient: Redis;
  subscribeClient: Redis;
  log: Logger;
  onPublishError?: () => void;
}): GatewayPubSub {
  const { publishClient, subscribeClient, log } = options;
  let publishFailing = false;
  /** Each channel this instance is subscribed to: settles when Redis confirmed the SUBSCRIBE (or refused it). */
  const subscriptions = new Map<string, Promise<void>>();
  // The event target calls publish/subscribe/unsubscribe without handling their promises: these
  // facades catch every rejection so a Redis outage never becomes an unhandled rejection.
  const publishFacade = {
    publish(channel: string, message: string) {
      publishClient.publish(channel, message).then(
        () => {
          publishFailing = false;
        },
        (e: Error) => {
          options.onPublishError?.();
          if (!publishFailing)
            log.error({ err: { message: e.message } }, 'redis publish failed; event dropped');
          publishFailing = true;
        },
      );
      return Promise.resolve(0);
    },
  };
  const subscribeFacade = {
    on(event: string, fn: (channel: string, message: string) => void) {
      subscribeClient.on(event, (channel: string, message: string) => {
        try {
          fn(channel, message);
        } catch (e) {
          log.warn({ err: e, topic: channel }, 'a subscriber could not take an event (dropped for it)');
        }
      });
      return subscribeFacade;
    },
    subscribe(channel: string) {
      const confirmed = subscribeClient.subscribe(channel).then(
        () => undefined,
        (e: Error) => log.warn({ err: { message: e.message } }, 'redis subscribe failed'),
      );
      subscriptions.set(channel, confirmed);
      return Promise.resolve(0);
    },
    unsubscribe(channel: string) {
      subscriptions.delete(channel);
      subscribeClient.unsubscribe(channel).catch(() => undefined);
      return Promise.resolve(0);
    },
  };
  const eventTarget = createRedisEventTarget({
    publishClient: publishFacade as unknown as Redis,
    subscribeClient: subscribeFacade as unknown as Redis,
  });
  const inner = createPubSub({ eventTarget: eventTarget as never }) as unknown as LoosePubSub;
  return {
    transport: 'redis',
    ...busOver(eventTarget as unknown as EventTarget, inner, log),
    subscribedTo: (routingKey, id) => subscriptions.get(topicOf(routingKey, id)) ?? Promise.resolve(),
    ready: () => publishClient.status === 'ready' && subscribeClient.status === 'ready',
  };
}
