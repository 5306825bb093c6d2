// Stripe list paging against a list that never ends (docs/security-catalogue.md UP8): `has_more: true` forever, or the
// same page with the same cursor again and again. The upstream here is a function answering pages, as the one
// parameter scanPage takes; the gateway's real fetch is a Stripe list call (services/stripe/loaders.ts).
import { pageParams, scanPage } from '../../src/services/stripe/paging';

type Item = { id: string; keep: boolean };

/** A list that always has more: each call answers `limit` fresh items (or the same page, when `repeat`). */
function endlessList(options: { repeat?: boolean; matching?: boolean } = {}) {
  const calls: (string | undefined)[] = [];
  let next = 0;
  const fetch = async (limit: number, startingAfter: string | undefined) => {
    calls.push(startingAfter);
    if (options.repeat) next = 0;
    const data = Array.from({ length: limit }, () => ({ id: `fctxn_${next++}`, keep: !!options.matching }));
    return { data, has_more: true };
  };
  return { fetch, calls };
}

describe('scanPage', () => {
  describe('unfiltered', () => {
    it('should make exactly one list call whatever has_more says (UP8)', async () => {
      const list = endlessList();
      const page = await scanPage<Item>(pageParams(10, null), list.fetch);
      expect(list.calls).toEqual([undefined]);
      expect(page.data).toHaveLength(10);
      expect(page).toMatchObject({ has_more: true, endCursor: 'fctxn_9' });
    });
  });

  describe('filtered here', () => {
    it('should stop after 10 pages of a list with has_more forever and nothing matching (UP8)', async () => {
      const list = endlessList();
      const page = await scanPage<Item>(pageParams(10, null), list.fetch, (t) => t.keep);
      expect(list.calls).toHaveLength(10);
      // Nothing found, more to read: the cursor resumes after the last object read.
      expect(page).toEqual({ data: [], has_more: true, endCursor: 'fctxn_999' });
    });

    it('should stop after 10 pages when the upstream repeats the same page and cursor (UP8)', async () => {
      const list = endlessList({ repeat: true });
      const page = await scanPage<Item>(pageParams(10, null), list.fetch, (t) => t.keep);
      expect(list.calls).toEqual([undefined, ...Array(9).fill('fctxn_99')]);
      expect(page.has_more).toBe(true);
    });

    it('should stop as soon as a page of matches is full', async () => {
      const list = endlessList({ matching: true });
      const page = await scanPage<Item>(pageParams(5, null), list.fetch, (t) => t.keep);
      expect(list.calls).toEqual([undefined]);
      expect(page).toMatchObject({ has_more: true, endCursor: 'fctxn_4' });
      expect(page.data).toHaveLength(5);
    });
  });
});
