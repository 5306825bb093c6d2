// The subscriber side of live events: one customer's topic, filtered per subscription and per caller.
import type { Caller } from '../auth/auth';
import { EventQueue } from './event-queue';
import { LIVE_TOPICS, type LiveEvent, type LiveEventKind } from './live-events';
import type { GatewayPubSub } from './pubsub';

export type LiveEventOf<K extends LiveEventKind> = Extract<LiveEvent, { kind: K }>;

/**
 * Streams of live events for resolvers. The caller must already have been authorized for
 * `customerId` (the subscription resolvers check it at subscribe time, like a query would).
 */
export class LiveSubscriptions {
  constructor(private readonly pubSub: GatewayPubSub) {}

  /**
   * Events of `kind` about `customerId`'s objects that pass `accept`.
   *
   * Why a second check per event when the topic is already the customer's: the topic name is only a
   * routing hint (any instance sharing Redis can publish to it); what reaches a caller is decided here,
   * by the event's own customer id and, for an end user, the customer of its token — and an end user's
   * token that expired mid-subscription receives nothing more (the socket is closed too, ws-guard.ts).
   */
  stream<K extends LiveEventKind>(
    kind: K,
    customerId: string,
    caller: Caller,
    accept: (event: LiveEventOf<K>) => boolean = () => true,
  ): AsyncIterable<LiveEventOf<K>> {
    let stop = () => undefined as void;
    const queue = new EventQueue<LiveEventOf<K>>(() => stop());
    stop = this.pubSub.listen(LIVE_TOPICS[kind], customerId, (payload) => {
      const event = payload as LiveEventOf<K> | null;
      if (!event || event.kind !== kind || event.customerId !== customerId) return;
      if (caller.kind === 'customer' && (caller.customerId !== customerId || Date.now() >= caller.expiresAt))
        return;
      if (accept(event)) queue.push(event);
    });
    return queue;
  }
}
