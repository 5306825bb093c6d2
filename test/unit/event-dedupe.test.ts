import { createMemoryDedupe } from '../../src/services/live/event-dedupe';
import { EventQueue } from '../../src/services/live/event-queue';

describe('createMemoryDedupe', () => {
  describe('claim', () => {
    it('should grant a key once, also to concurrent callers', async () => {
      const d = createMemoryDedupe();
      const results = await Promise.all([d.claim('evt_1'), d.claim('evt_1'), d.claim('evt_1')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await d.claim('evt_2')).toBe(true);
    });
  });

  describe('advance', () => {
    it('should refuse a strictly older time and keep the newest', async () => {
      const d = createMemoryDedupe();
      expect(await d.advance('fca_1:status', 100)).toBe(true);
      expect(await d.advance('fca_1:status', 99)).toBe(false);
      expect(await d.advance('fca_1:status', 100)).toBe(true); // same second: both real
      expect(await d.advance('fca_1:status', 101)).toBe(true);
      expect(await d.advance('fca_1:status', 100)).toBe(false);
      expect(await d.advance('fca_2:status', 1)).toBe(true);
    });
  });
});

describe('EventQueue', () => {
  it('should hand out items in order and end a pending next() at once on return()', async () => {
    let ended = 0;
    const q = new EventQueue<number>(() => (ended += 1));
    q.push(1);
    q.push(2);
    expect(await q.next()).toEqual({ done: false, value: 1 });
    expect(await q.next()).toEqual({ done: false, value: 2 });
    const pending = q.next();
    await q.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(ended).toBe(1);
    q.push(3);
    expect(await q.next()).toEqual({ done: true, value: undefined });
  });

  it('should drop the oldest items beyond its capacity', async () => {
    let dropped = 0;
    const q = new EventQueue<number>(undefined, 2, () => (dropped += 1));
    for (const n of [1, 2, 3]) q.push(n);
    expect(dropped).toBe(1);
    expect((await q.next()).value).toBe(2);
    expect((await q.next()).value).toBe(3);
  });
});
