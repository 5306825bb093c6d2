// Stripe list paging: Relay's `first`/`after` validated into Stripe's `limit`/`starting_after`, and filtered scans.
import { badInput } from '../../platform/errors';
import { idPrefix } from './ids';
import type { ListPage } from './loader-types';

/** Stripe's list `limit` bounds; `first` maps to it. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 10;

/** Validated Stripe list parameters. */
export interface PageParams {
  limit: number;
  starting_after?: string;
}

/**
 * Maps `first`/`after` to Stripe's `limit`/`starting_after`.
 * @throws BAD_USER_INPUT when `first` is outside 1..100 or `after` is not an id cursor.
 */
export function pageParams(first: number | null | undefined, after: string | null | undefined): PageParams {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  if (after !== null && after !== undefined && !idPrefix(after)) {
    throw badInput('after must be an endCursor returned by this connection.', 'after');
  }
  return after ? { limit, starting_after: after } : { limit };
}

/** How many Stripe pages a client-side filtered listing may read before it stops (bounded cost). */
export const MAX_FILTER_SCAN_PAGES = 10;

/** A page plus the cursor to continue from (a filtered scan may stop mid-page). */
export interface CursorPage<T> extends ListPage<T> {
  endCursor: string | null;
}

/**
 * One page of a Stripe list, optionally filtered here by `keep` (for what Stripe's list cannot filter on).
 * Unfiltered, this is exactly one `fetch` of `page.limit`. Filtered, it reads pages of 100 and keeps the
 * matches, at most {@link MAX_FILTER_SCAN_PAGES} pages per call.
 */
export async function scanPage<T extends { id: string }>(
  page: PageParams,
  fetch: (limit: number, startingAfter: string | undefined) => Promise<ListPage<T>>,
  keep?: (item: T) => boolean,
): Promise<CursorPage<T>> {
  if (!keep) {
    const result = await fetch(page.limit, page.starting_after);
    return { ...result, endCursor: result.data.at(-1)?.id ?? null };
  }
  const matches: T[] = [];
  let cursor = page.starting_after;
  for (let i = 0; i < MAX_FILTER_SCAN_PAGES; i++) {
    const result = await fetch(100, cursor);
    for (const item of result.data) {
      if (!keep(item)) continue;
      if (matches.length === page.limit)
        return { data: matches, has_more: true, endCursor: matches.at(-1)!.id };
      matches.push(item);
    }
    if (!result.has_more || result.data.length === 0) {
      return { data: matches, has_more: false, endCursor: matches.at(-1)?.id ?? null };
    }
    cursor = result.data.at(-1)!.id;
  }
  // Scan budget spent: the cursor is the last object read (matched or not), so the next page resumes there.
  return { data: matches, has_more: true, endCursor: cursor ?? matches.at(-1)?.id ?? null };
}
