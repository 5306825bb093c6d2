// The subscriber side of live events (src/services/live/live-subscriptions.ts): however many subscriptions follow one
// customer's topic on an instance, the bus has one listener for them, and each subscription still gets what it asked.
import { createLogger } from '../../src/platform/logger';
import type { Caller } from '../../src/services/auth/auth';
import type { LiveEvent } from '../../src/services/live/live-events';
import { LiveSubscriptions } from '../../src/services/live/live-subscriptions';
import { createMemoryPubSub, type GatewayPubSub } from '../../src/services/live/pubsub';

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
});
