// Stripe list paging: Relay's `first`/`after` validated into Stripe's `limit`/`starting_after`.
import { badInput } from '../../platform/errors';
import { idPrefix } from './ids';

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
