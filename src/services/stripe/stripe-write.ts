// The one seam every Stripe write goes through (reads go through the loaders): contract errors, and what it made stale.
import type DataLoader from 'dataloader';
import { toGraphQLError } from '../../platform/errors';
import type { StripeReads } from './stripe-reads';

/**
 * Sends one write; a Stripe error becomes the contract's code (platform/errors.ts toGraphQLError),
 * never Stripe's message text.
 */
export async function stripeWrite<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    throw toGraphQLError(e);
  }
}

/**
 * After a write: `written` replaces what this request's `loader` knew about the object, and the read
 * cache forgets `stale` (exact keys, or `prefix*`), so no later request is served the old state.
 */
export async function replaceCached<T extends { id: string }>(
  written: T,
  loader: DataLoader<string, T, string>,
  reads: StripeReads,
  stale: string[],
): Promise<T> {
  loader.clear(written.id).prime(written.id, written);
  await Promise.all(stale.map((key) => reads.invalidate(key)));
  return written;
}
