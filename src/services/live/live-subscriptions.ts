// The subscriber side of live events: one customer's topic, filtered per subscription and per caller, resumed where
// the same subscription stopped when it comes back within the grace window.
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { Caller } from '../auth/auth';
import { EventQueue } from './event-queue';
import { LIVE_TOPICS, type LiveEvent, type LiveEventKind } from './live-events';
import type { GatewayPubSub } from './pubsub';
import { comparePositions, type ResumeLog, type StreamPosition } from './resume-log';

export type LiveEventOf<K extends LiveEventKind> = Extract<LiveEvent, { kind: K }>;
/** A live event with its place in its customer's stream (resume-log.ts), when it was kept. */
type PositionedEvent = LiveEvent & { position?: StreamPosition };

/**
 * Streams of live events for resolvers. The caller must already have been authorized for
 * `customerId` (the subscription resolvers check it at subscribe time, like a query would).
 */
export class LiveSubscriptions {
  private readonly resume?: ResumeLog;
  private readonly log?: Logger;
  private readonly metrics?: Pick<Metrics, 'subscriptionResumes' | 'subscriptionEventsReplayed'>;
  /** This instance's bus listeners, one per topic and customer, each with the subscriptions that follow it. */
  private readonly channels = new Map<
    string,
    { members: Set<(event: PositionedEvent) => void>; stop: () => void }
  >();

  /**
   * @param options.resume the resume log (resume-log.ts); absent (SUBSCRIPTION_RESUME_WINDOW_MS=0): nothing is
   *   replayed.
   */
  constructor(
    private readonly pubSub: GatewayPubSub,
    options: {
      resume?: ResumeLog;
      log?: Logger;
      metrics?: Pick<Metrics, 'subscriptionResumes' | 'subscriptionEventsReplayed'>;
    } = {},
  ) {
    this.resume = options.resume;
    this.log = options.log;
    this.metrics = options.metrics;
  }

  /**
   * Events of `kind` about `customerId`'s objects that pass `accept`.
   *
   * Why a second check per event when the topic is already the customer's: the topic name is only a
   * routing hint (any instance sharing Redis can publish to it); what reaches a caller is decided here,
   * by the event's own customer id and, for an end user, the customer of its token — and an end user's
   * token that expired mid-subscription receives nothing more (the socket is closed too, ws-guard.ts).
   * Replayed events pass exactly the same checks, with the caller of the subscription that resumes.
   *
   * @param resumeKey names this subscription across reconnects (the caller, its graphql-ws id and the operation:
   *   transport/ws/resume-key.ts). When it ends, the position of the newest event it saw on its topic is remembered
   *   under this key for the window; a subscription started with a remembered key first receives the events kept
   *   after that position, then the live ones, each once (positions de-duplicate the overlap).
   */
  stream<K extends LiveEventKind>(
    kind: K,
    customerId: string,
    caller: Caller,
    accept: (event: LiveEventOf<K>) => boolean = () => true,
    resumeKey?: string,
  ): AsyncIterable<LiveEventOf<K>> {
    const topic = LIVE_TOPICS[kind];
    const resume = this.resume && resumeKey !== undefined ? this.resume : undefined;
    /** The newest position this subscription saw on its topic (delivered or filtered out): where it stands. */
    let seen: StreamPosition | undefined;
    /**
     * Where the stream stood when a new subscription started (its newest event then). Not part of `seen`: an event
     * published after the SUBSCRIBE was confirmed may already be in the stream when the head is read, yet arrive
     * live only afterwards (the stream and the bus are different Redis connections); it is still new to this
     * subscription. Only the stopping point takes it into account.
     */
    let floor: StreamPosition | undefined;
    /** Where this subscription stands for a later resume: the newer of what it saw and where it started. */
    const standing = () =>
      seen === undefined || (floor !== undefined && comparePositions(floor, seen) > 0) ? floor : seen;
    /** Live events that arrived while the replay was being read; undefined once live events flow directly. */
    let held: (LiveEventOf<K> & PositionedEvent)[] | undefined = resume ? [] : undefined;
    let ended = false;
    const advance = (position: StreamPosition | undefined) => {
      if (position !== undefined && (seen === undefined || comparePositions(position, seen) > 0))
        seen = position;
    };
    /** True when `event` is after everything this subscription saw (or carries no position), and marks it seen. */
    const isNew = (event: PositionedEvent) => {
      if (event.position === undefined) return true;
      if (seen !== undefined && comparePositions(event.position, seen) <= 0) return false;
      seen = event.position;
      return true;
    };
    const ofThisStream = (event: PositionedEvent | null): event is LiveEventOf<K> & PositionedEvent =>
      !!event && event.kind === kind && event.customerId === customerId;
    const deliver = (event: LiveEventOf<K>) => {
      if (caller.kind === 'customer' && (caller.customerId !== customerId || Date.now() >= caller.expiresAt))
        return;
      if (accept(event)) queue.push(event);
    };

    let stop = () => undefined as void;
    /** The replay (or the read of where a new subscription stands) is still running. */
    let starting = resume !== undefined;
    const queue = new EventQueue<LiveEventOf<K>>(() => {
      ended = true;
      stop();
      // Ended while starting: the start keeps the point once it knows it.
      const point = standing();
      if (resume && !starting && point !== undefined) this.keep(resume, resumeKey!, point);
    });
    stop = this.join(kind, customerId, (event) => {
      if (held) return void held.push(event as LiveEventOf<K> & PositionedEvent);
      if (isNew(event)) deliver(event as LiveEventOf<K>);
    });
    if (!resume) return queue;

    void (async () => {
      try {
        // Subscribed first, read second: an event the read does not return then reaches `held`.
        await this.pubSub.subscribedTo(topic, customerId);
        const from = await resume.recall(resumeKey!);
        if (from === null) {
          // A new subscription: everything from now on is live; where it stands is the stream's newest event.
          floor = await resume.head(customerId);
          const live = held ?? [];
          held = undefined;
          for (const event of live) {
            advance(event.position);
            deliver(event);
          }
          return;
        }
        advance(from);
        if (ended) return;
        this.metrics?.subscriptionResumes.inc();
        for (const event of (await resume.after(customerId, from)) as PositionedEvent[]) {
          if (!ofThisStream(event) || !isNew(event)) continue;
          this.metrics?.subscriptionEventsReplayed.inc();
          deliver(event);
        }
      } catch (e) {
        this.log?.warn(
          { err: { message: (e as Error).message }, topic },
          'subscription resume unavailable; live events continue',
        );
      } finally {
        starting = false;
        const live = held ?? [];
        held = undefined;
        for (const event of live) if (isNew(event)) deliver(event);
        const point = standing();
        if (ended && point !== undefined) this.keep(resume, resumeKey!, point);
      }
    })();
    return queue;
  }

  /**
   * Adds `member` to the one bus listener of `kind` events about `customerId` on this instance (made by the first
   * member, removed with the last). Why one: each event is checked against its stream once, and the bus calls one
   * function per topic instead of one per subscription (at 5,000 subscriptions of one account, that call chain
   * was a fifth of a push's cost beyond the sends, bench/subscriptions.ts).
   * @returns the function that removes `member`
   */
  private join(
    kind: LiveEventKind,
    customerId: string,
    member: (event: PositionedEvent) => void,
  ): () => void {
    const topic = LIVE_TOPICS[kind];
    const id = `${topic}\u0000${customerId}`;
    let channel = this.channels.get(id);
    if (!channel) {
      const members = new Set<(event: PositionedEvent) => void>();
      const stop = this.pubSub.listen(topic, customerId, (payload) => {
        const event = payload as PositionedEvent | null;
        if (!event || event.kind !== kind || event.customerId !== customerId) return;
        for (const m of members) {
          try {
            m(event);
          } catch (e) {
            // One subscription that cannot take an event loses that event, never the others.
            this.log?.warn({ err: e, topic }, 'a subscriber could not take an event (dropped for it)');
          }
        }
      });
      channel = { members, stop };
      this.channels.set(id, channel);
    }
    const joined = channel;
    joined.members.add(member);
    return () => {
      if (!joined.members.delete(member) || joined.members.size > 0) return;
      joined.stop();
      if (this.channels.get(id) === joined) this.channels.delete(id);
    };
  }

  private keep(resume: ResumeLog, key: string, position: StreamPosition): void {
    resume
      .remember(key, position)
      .catch((e: Error) =>
        this.log?.warn({ err: { message: e.message } }, 'subscription stopping point not remembered'),
      );
  }
}
