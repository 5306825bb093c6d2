// The subscriber side of live events: one customer's topic, filtered per subscription and per caller, resumed where
// the same subscription stopped when it comes back within the grace window.
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { Caller } from '../auth/auth';
import { EventQueue, type GroupSink } from './event-queue';
import { LIVE_TOPICS, type LiveEvent, type LiveEventKind } from './live-events';
import type { GatewayPubSub } from './pubsub';
import { comparePositions, type ResumeLog, type StreamPosition } from './resume-log';

export type LiveEventOf<K extends LiveEventKind> = Extract<LiveEvent, { kind: K }>;
/** A live event with its place in its customer's stream (resume-log.ts), when it was kept. */
type PositionedEvent = LiveEvent & { position?: StreamPosition };

/** True while `caller` may receive events about `customerId` (an end user: its own customer, its token unexpired). */
const mayReceive = (caller: Caller, customerId: string, now: number) =>
  caller.kind !== 'customer' || (caller.customerId === customerId && now < caller.expiresAt);

/** One subscription as its channel sees it. */
interface Member {
  /** Takes one event with every check of its own: start-up, position, caller, filter. */
  take(event: PositionedEvent): void;
  readonly caller: Caller;
  readonly accept: (event: PositionedEvent) => boolean;
  /** Its queue, seen by the channel, which only hands it events of its kind. */
  readonly queue: Pick<EventQueue<PositionedEvent>, 'push' | 'groupSink'>;
}

/**
 * Members whose queues' sinks share a group key (EventSink.groupKey): identical subscriptions of one caller scope.
 * Such a key names the operation, its variables and the caller scope, so their streams were opened by the same
 * subscribe resolver with the same arguments and filter alike: the group checks an event once and hands it to all
 * its sinks with one call. Why: at 5,000 subscriptions of one account, walking each subscription's own checks and
 * queue cost a tenth of a push on each instance, mostly in memory reads spread over the heap (bench/subscriptions.ts).
 */
interface Group {
  readonly sinks: Set<GroupSink<PositionedEvent>>;
  readonly members: Map<GroupSink<PositionedEvent>, Member>;
  /** Any member's filter: they filter alike. */
  readonly accept: (event: PositionedEvent) => boolean;
  /** The earliest end-user token expiry among the members (Infinity when none): from then on, each is checked. */
  expiresAt: number;
  /** The newest position the group has been handed (taken or filtered out): where each member stands. */
  position?: StreamPosition;
}

/** This instance's one bus listener for a topic and customer, with the subscriptions that follow it. */
interface Channel {
  /** Members taking events one by one (starting up, or without a group sink). */
  readonly members: Set<Member>;
  readonly groups: Map<string, Group>;
  stop: () => void;
}

/** A member's place in its channel. */
interface Membership {
  /** Moves the member into its group, when its queue's sink has one and its caller may receive events. */
  group(): void;
  /** Takes the member out; returns the newest position its group handed it, if it was in one. */
  leave(): StreamPosition | undefined;
}

/**
 * Streams of live events for resolvers. The caller must already have been authorized for
 * `customerId` (the subscription resolvers check it at subscribe time, like a query would).
 */
export class LiveSubscriptions {
  private readonly resume?: ResumeLog;
  private readonly log?: Logger;
  private readonly metrics?: Pick<Metrics, 'subscriptionResumes' | 'subscriptionEventsReplayed'>;
  /** This instance's bus listeners, one per topic and customer. */
  private readonly channels = new Map<string, Channel>();

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
   * @param accept a function of the operation's arguments alone: identical subscriptions (their queues' sinks share a
   *   group key) are checked with one of theirs for all of them (see {@link Group}).
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
      if (mayReceive(caller, customerId, Date.now()) && accept(event)) queue.push(event);
    };

    /** The replay (or the read of where a new subscription stands) is still running. */
    let starting = resume !== undefined;
    const queue = new EventQueue<LiveEventOf<K>>(() => {
      ended = true;
      advance(membership.leave());
      // Ended while starting: the start keeps the point once it knows it.
      const point = standing();
      if (resume && !starting && point !== undefined) this.keep(resume, resumeKey!, point);
    });
    const membership = this.join(kind, customerId, {
      caller,
      accept: accept as Member['accept'],
      queue: queue as unknown as Member['queue'],
      take: (event) => {
        if (held) return void held.push(event as LiveEventOf<K> & PositionedEvent);
        if (!isNew(event)) return;
        deliver(event as LiveEventOf<K>);
        // Started, and past its first live event: every later one the bus brings is newer than anything it has seen
        // (one connection, in order), so no position check is needed any more and it may take events with its group.
        membership.group();
      },
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
   * function per topic instead of one per subscription. A member starts out taking events alone and moves into its
   * group (see {@link Group}) once `group()` finds it ready.
   */
  private join(kind: LiveEventKind, customerId: string, member: Member): Membership {
    const topic = LIVE_TOPICS[kind];
    const id = `${topic}\u0000${customerId}`;
    let channel = this.channels.get(id);
    if (!channel) {
      const made: Channel = { members: new Set(), groups: new Map(), stop: () => undefined };
      made.stop = this.pubSub.listen(topic, customerId, (payload) => {
        const event = payload as PositionedEvent | null;
        if (!event || event.kind !== kind || event.customerId !== customerId) return;
        // Groups first: a member that moves into its group while taking this event alone is not handed it twice.
        for (const group of made.groups.values()) this.handToGroup(group, event, customerId, topic);
        for (const m of made.members) {
          try {
            m.take(event);
          } catch (e) {
            // One subscription that cannot take an event loses that event, never the others.
            this.log?.warn({ err: e, topic }, 'a subscriber could not take an event (dropped for it)');
          }
        }
      });
      channel = made;
      this.channels.set(id, channel);
    }
    const joined = channel;
    joined.members.add(member);
    let grouped: { group: Group; key: string; sink: GroupSink<PositionedEvent> } | undefined;
    return {
      group: () => {
        const sink = member.queue.groupSink;
        if (grouped || !sink || !mayReceive(member.caller, customerId, Date.now())) return;
        let group = joined.groups.get(sink.groupKey);
        if (!group) {
          group = { sinks: new Set(), members: new Map(), accept: member.accept, expiresAt: Infinity };
          joined.groups.set(sink.groupKey, group);
        }
        group.sinks.add(sink);
        group.members.set(sink, member);
        group.expiresAt = Math.min(group.expiresAt, expiryOf(member.caller));
        joined.members.delete(member);
        grouped = { group, key: sink.groupKey, sink };
      },
      leave: () => {
        let position: StreamPosition | undefined;
        if (grouped) {
          const { group, key, sink } = grouped;
          grouped = undefined;
          position = group.position;
          group.sinks.delete(sink);
          group.members.delete(sink);
          if (group.sinks.size === 0) joined.groups.delete(key);
          else if (expiryOf(member.caller) === group.expiresAt) group.expiresAt = earliestExpiry(group);
        } else joined.members.delete(member);
        if (joined.members.size === 0 && joined.groups.size === 0) {
          joined.stop();
          if (this.channels.get(id) === joined) this.channels.delete(id);
        }
        return position;
      },
    };
  }

  /** Hands `event` to every member of `group`: checked once, taken with one call when no member's token expired. */
  private handToGroup(group: Group, event: PositionedEvent, customerId: string, topic: string): void {
    const { position } = event;
    if (
      position !== undefined &&
      (group.position === undefined || comparePositions(position, group.position) > 0)
    )
      group.position = position;
    try {
      if (!group.accept(event)) return;
      const now = Date.now();
      if (now < group.expiresAt) {
        const first = group.sinks.values().next().value!;
        return first.pushToGroup(event, group.sinks);
      }
      // Some end user's token expired (its socket is about to close, ws-guard.ts): each member is checked.
      for (const m of group.members.values()) if (mayReceive(m.caller, customerId, now)) m.queue.push(event);
    } catch (e) {
      this.log?.warn({ err: e, topic }, 'identical subscriptions could not take an event (dropped for them)');
    }
  }

  private keep(resume: ResumeLog, key: string, position: StreamPosition): void {
    resume
      .remember(key, position)
      .catch((e: Error) =>
        this.log?.warn({ err: { message: e.message } }, 'subscription stopping point not remembered'),
      );
  }
}

const expiryOf = (caller: Caller) => (caller.kind === 'customer' ? caller.expiresAt : Infinity);

function earliestExpiry(group: Group): number {
  let earliest = Infinity;
  for (const m of group.members.values()) earliest = Math.min(earliest, expiryOf(m.caller));
  return earliest;
}
