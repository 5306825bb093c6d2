// Stripe list objects: `{ object: 'list', data, has_more, url }` with limit (1–100, default 10) and the
// starting_after / ending_before cursors (object ids). Items come newest first.
import { invalidRequest } from './errors';
import type { Params } from './params';

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export const DEFAULT_LIMIT = 10;

/**
 * Pages `items` (already filtered, newest first).
 * @throws 400 when a cursor names no object of the list (Stripe: "No such <object>: '<id>'").
 */
export function paginate<T extends { id: string }>(
  items: T[],
  params: Params,
  url: string,
  kind = 'object',
): ListObject<T> {
  const limit = (params.limit as number | undefined) ?? DEFAULT_LIMIT;
  const after = params.starting_after as string | undefined;
  const before = params.ending_before as string | undefined;
  if (after && before)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', {
      param: 'ending_before',
    });
  if (after) {
    const i = items.findIndex((x) => x.id === after);
    if (i < 0)
      throw invalidRequest(`No such ${kind}: '${after.slice(0, 80)}'`, {
        code: 'resource_missing',
        param: 'starting_after',
      });
    const rest = items.slice(i + 1);
    return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (before) {
    const i = items.findIndex((x) => x.id === before);
    if (i < 0)
      throw invalidRequest(`No such ${kind}: '${before.slice(0, 80)}'`, {
        code: 'resource_missing',
        param: 'ending_before',
      });
    const head = items.slice(0, i);
    // The page just before the cursor: the `limit` items nearest to it, still newest first.
    return {
      object: 'list',
      data: head.slice(Math.max(0, head.length - limit)),
      has_more: head.length > limit,
      url,
    };
  }
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url };
}

/** Same as paginate, for a large sorted array where the cursor's index is known (transactions). */
export function paginateRange<T>(
  items: T[],
  lo: number,
  hi: number,
  cursor: { after?: number; before?: number },
  limit: number,
  url: string,
): ListObject<T> {
  if (cursor.after !== undefined) lo = Math.max(lo, cursor.after + 1);
  if (cursor.before !== undefined) {
    const end = Math.min(hi, cursor.before);
    const start = Math.max(lo, end - limit);
    return { object: 'list', data: items.slice(start, Math.max(start, end)), has_more: start > lo, url };
  }
  const end = Math.min(hi, lo + limit);
  return { object: 'list', data: items.slice(lo, Math.max(lo, end)), has_more: end < hi, url };
}

/** Keeps the items whose `created` matches Stripe's range filter: an integer or `{gt,gte,lt,lte}`. */
export function filterCreated<T extends { created: number }>(items: T[], created: unknown): T[] {
  if (created === undefined) return items;
  if (typeof created === 'number') return items.filter((x) => x.created === created);
  const r = created as { gt?: number; gte?: number; lt?: number; lte?: number };
  return items.filter(
    (x) =>
      (r.gt === undefined || x.created > r.gt) &&
      (r.gte === undefined || x.created >= r.gte) &&
      (r.lt === undefined || x.created < r.lt) &&
      (r.lte === undefined || x.created <= r.lte),
  );
}
