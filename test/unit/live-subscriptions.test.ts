// The subscriber side of live events (src/services/live/live-subscriptions.ts): however many subscriptions follow one
// customer's topic on an instance, the bus has one listener for them, and each subscription still gets what it asked.
import { createLogger } from '../../src/platform/logger';
import type { Caller } from '../../src/services/auth/auth';
import type { LiveEvent } from '../../src/services/live/live-events';
import { LiveSubscriptions } from '../../src/services/live/live-subscriptions';
import { EventQueue, type EventSink } from '../../src/services/live/event-queue';
import { LIVE_TOPICS } from '../../src/services/live/live-events';
import { createMemoryPubSub, type GatewayPubSub } from '../../src/services/live/pubsub';
import { createMemoryResumeLog } from '../../src/services/live/resume-log';

const log = createLogger('silent');
const PARTNER: Caller = { kind: 'partner', partnerId: 'partner_a' } as Caller;

const refreshed = (customerId: string, accountId: string): LiveEvent => ({
  kind: 'account.refreshed',
  customerId,
  accountId,
  feature: 'balance',
  status: 'succeeded',
  occurredAt: 1_800_000_000,
  source: 'webhook',
});

/** The memory bus, counting the listeners registered on it and still there. */
function countingBus(): { bus: GatewayPubSub; listeners: () => number; added: () => number } {
  const bus = createMemoryPubSub(log);
  let live = 0;
  let added = 0;
  const listen = bus.listen.bind(bus);
  bus.listen = (routingKey, id, fn) => {
    live += 1;
    added += 1;
    const stop = listen(routingKey, id, fn);
    return () => {
      live -= 1;
      stop();
    };
  };
  return { bus, listeners: () => live, added: () => added };
}

/** Everything a stream yields until now (its iterator is drained without waiting). */
function collect<T>(stream: AsyncIterable<T>): { got: T[]; stop: () => Promise<unknown> } {
  const it = stream[Symbol.asyncIterator]();
  const got: T[] = [];
  const pump = (): void =>
    void it.next().then((r) => {
      if (r.done) return;
      got.push(r.value);
      pump();
    });
  pump();
  return { got, stop: () => it.return!() };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sinks of one group key as the transport's are (transport/ws/subscription-execution.ts): each records what it took,
 * and `calls` counts how often the source handed an event to a whole group at once.
 */
function groupSinks(groupKey: string) {
  const group = { calls: 0 };
  const sink = (name: string, got: string[]) => {
    const take = (event: unknown) => got.push(`${name}:${(event as { accountId: string }).accountId}`);
    const s: EventSink<unknown> = {
      groupKey,
      push: take,
      end: () => undefined,
      pushToGroup: (event, members) => {
        group.calls += 1;
        for (const m of members) m.push(event);
      },
    };
    return s;
  };
  return { group, sink };
}

/** Attaches `sink` to `stream`'s queue, as subscription-execution.ts does with its SocketDelivery. */
const deliverTo = (stream: AsyncIterable<unknown>, sink: EventSink<unknown>) => {
  const queue = stream as EventQueue<unknown>;
  queue.deliverTo(sink);
  return queue;
};

describe('LiveSubscriptions', () => {
  it('should give the bus one listener per topic and customer, however many subscriptions follow it', async () => {
    const { bus, listeners, added } = countingBus();
    const subs = new LiveSubscriptions(bus, { log });
    const streams = Array.from({ length: 5 }, () =>
      collect(subs.stream('account.refreshed', 'cus_1', PARTNER)),
    );
    const other = collect(subs.stream('account.refreshed', 'cus_2', PARTNER));
    expect(listeners()).toBe(2);

    bus.publish('fcgw.account.refreshed', 'cus_1', refreshed('cus_1', 'fca_1'));
    await settle();
    for (const s of streams) expect(s.got).toEqual([refreshed('cus_1', 'fca_1')]);
    expect(other.got).toEqual([]);

    // The listener stays while any subscription follows the topic, and goes with the last one.
    for (const s of streams.slice(0, 4)) await s.stop();
    expect(listeners()).toBe(2);
    bus.publish('fcgw.account.refreshed', 'cus_1', refreshed('cus_1', 'fca_2'));
    await settle();
    expect(streams[4].got.map((e) => (e as { accountId: string }).accountId)).toEqual(['fca_1', 'fca_2']);
    expect(streams[0].got).toHaveLength(1);
    await streams[4].stop();
    expect(listeners()).toBe(1);

    // A subscription that comes after the last one left gets a listener of its own again.
    const again = collect(subs.stream('account.refreshed', 'cus_1', PARTNER));
    expect(added()).toBe(3);
    bus.publish('fcgw.account.refreshed', 'cus_1', refreshed('cus_1', 'fca_3'));
    await settle();
    expect(again.got).toEqual([refreshed('cus_1', 'fca_3')]);
    await again.stop();
    await other.stop();
    expect(listeners()).toBe(0);
  });

  it("should apply each subscription's own filter, and lose an event only for a subscription that cannot take it", async () => {
    const { bus } = countingBus();
    const subs = new LiveSubscriptions(bus, { log });
    const onlyFca1 = collect(
      subs.stream('account.refreshed', 'cus_1', PARTNER, (e) => e.accountId === 'fca_1'),
    );
    const failing = collect(
      subs.stream('account.refreshed', 'cus_1', PARTNER, () => {
        throw new Error('this subscription cannot take events');
      }),
    );
    const all = collect(subs.stream('account.refreshed', 'cus_1', PARTNER));

    bus.publish('fcgw.account.refreshed', 'cus_1', refreshed('cus_1', 'fca_1'));
    bus.publish('fcgw.account.refreshed', 'cus_1', refreshed('cus_1', 'fca_2'));
    // Not this stream's: another kind of event on the same topic name, and another customer's event.
    bus.publish('fcgw.account.refreshed', 'cus_1', { ...refreshed('cus_1', 'fca_9'), customerId: 'cus_2' });
    await settle();

    const ids = (got: unknown[]) => got.map((e) => (e as { accountId: string }).accountId);
    expect(ids(onlyFca1.got)).toEqual(['fca_1']);
    expect(failing.got).toEqual([]);
    expect(ids(all.got)).toEqual(['fca_1', 'fca_2']);
    await Promise.all([onlyFca1.stop(), failing.stop(), all.stop()]);
  });

  it('should hand an event to identical subscriptions with one call once they are past their first event, each still once', async () => {
    const { bus, listeners } = countingBus();
    const subs = new LiveSubscriptions(bus, { log });
    const got: string[] = [];
    const a = groupSinks('partner_a query A');
    const b = groupSinks('partner_a query B');
    const queues = [
      deliverTo(subs.stream('account.refreshed', 'cus_1', PARTNER), a.sink('a1', got)),
      deliverTo(subs.stream('account.refreshed', 'cus_1', PARTNER), a.sink('a2', got)),
      deliverTo(subs.stream('account.refreshed', 'cus_1', PARTNER), b.sink('b1', got)),
    ];
    const publish = (accountId: string) =>
      bus.publish(LIVE_TOPICS['account.refreshed'], 'cus_1', refreshed('cus_1', accountId));

    publish('fca_1'); // taken one by one: each subscription's first event
    expect(got.sort()).toEqual(['a1:fca_1', 'a2:fca_1', 'b1:fca_1']);
    expect([a.group.calls, b.group.calls]).toEqual([0, 0]);

    got.length = 0;
    publish('fca_2');
    expect(got.sort()).toEqual(['a1:fca_2', 'a2:fca_2', 'b1:fca_2']);
    expect([a.group.calls, b.group.calls]).toEqual([1, 1]);
    expect(listeners()).toBe(1);

    // One that leaves its group gets nothing more; the group goes on, and the listener goes with the last one.
    await queues[0].return();
    got.length = 0;
    publish('fca_3');
    expect(got.sort()).toEqual(['a2:fca_3', 'b1:fca_3']);
    await queues[1].return();
    await queues[2].return();
    expect(listeners()).toBe(0);
  });

  it('should check each member of a group once an end user token in it has expired', async () => {
    const bus = createMemoryPubSub(log);
    const subs = new LiveSubscriptions(bus, { log });
    const got: string[] = [];
    const { group, sink } = groupSinks('customer cus_1 query A');
    const token = (expiresAt: number): Caller => ({
      kind: 'customer',
      partnerId: 'partner_a',
      customerId: 'cus_1',
      expiresAt,
    });
    const now = Date.now();
    deliverTo(subs.stream('account.refreshed', 'cus_1', token(now + 60_000)), sink('soon', got));
    deliverTo(subs.stream('account.refreshed', 'cus_1', token(Date.now() + 600_000)), sink('later', got));
    const publish = (accountId: string) =>
      bus.publish(LIVE_TOPICS['account.refreshed'], 'cus_1', refreshed('cus_1', accountId));
    publish('fca_1');
    publish('fca_2');
    expect(group.calls).toBe(1);

    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 120_000); // the first token has expired
    try {
      got.length = 0;
      publish('fca_3');
      expect(got).toEqual(['later:fca_3']);
      expect(group.calls).toBe(1);
    } finally {
      clock.mockRestore();
    }
  });

  it('should remember where a grouped subscription stopped: the newest event its group was handed, filtered out or not', async () => {
    const bus = createMemoryPubSub(log);
    const resume = createMemoryResumeLog(bus, 60_000);
    const subs = new LiveSubscriptions(bus, { log, resume });
    const got: string[] = [];
    const { group, sink } = groupSinks('partner_a query A');
    const onlyFca1 = (e: { accountId: string }) => e.accountId === 'fca_1';
    const queues = ['k1', 'k2'].map((key) =>
      deliverTo(subs.stream('account.refreshed', 'cus_1', PARTNER, onlyFca1, key), sink(key, got)),
    );
    await settle(); // started: where the stream stood is read
    const publish = (accountId: string) =>
      resume.publish(LIVE_TOPICS['account.refreshed'], refreshed('cus_1', accountId));
    await publish('fca_1');
    await publish('fca_1');
    await publish('fca_2'); // filtered out, but seen
    expect(group.calls).toBe(1); // the first event taken one by one, the second together, the third filtered out once
    expect(got.sort()).toEqual(['k1:fca_1', 'k1:fca_1', 'k2:fca_1', 'k2:fca_1']);

    await queues[0].return();
    const head = await resume.head('cus_1');
    expect(await resume.recall('k1')).toBe(head);

    // Coming back with that key replays nothing: it had seen everything.
    const back = subs.stream('account.refreshed', 'cus_1', PARTNER, onlyFca1, 'k1');
    const again = collect(back);
    await settle();
    await settle();
    expect(again.got).toEqual([]);
    await again.stop();
    await queues[1].return();
  });
});
