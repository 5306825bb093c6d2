// The one grammar of StripeReads keys: every object and list page the loaders cache, the patterns writes and events
// forget, and the parser every backend reads them back with. Nothing else builds or splits a key.
import type {
  AccountListKey,
  CustomerSearchKey,
  OwnersKey,
  PaymentIntentListKey,
  PaymentMethodListKey,
  TransactionListKey,
} from './loader-types';

/** Objects by id (an account also by whether its ownership is embedded). */
export const customerKey = (id: string) => `cus:${id}`;
export const customerAccountKey = (id: string) => `acct:${id}`;
export const sessionKey = (id: string) => `fcsess:${id}`;
export const accountKey = (id: string, withOwnership = false) =>
  withOwnership ? `fca:${id}:expand=ownership` : `fca:${id}`;
export const transactionKey = (id: string) => `fctxn:${id}`;
/**
 * StripeReads.invalidate patterns (`<resource>:<object>:*`, {@link parseInvalidation}): one account in every form it
 * is cached in, and its own lists.
 */
export const accountPattern = (id: string) => objectPattern('fca', id);
export const accountListPattern = (holderId: string) => objectPattern('fcas', holderId);
export const ownersPattern = (accountId: string) => objectPattern('owners', accountId);
export const transactionListPattern = (accountId: string) => objectPattern('txns', accountId);

/** The StripeReads keys of intents (writes invalidate them). */
export const paymentIntentKey = (id: string) => `pi:${id}`;
export const setupIntentKey = (id: string) => `seti:${id}`;
/** One PaymentIntent in every form it is cached in. */
export const paymentIntentPattern = (id: string) => objectPattern('pi', id);
/** Every list page of one customer's PaymentIntents. */
export const paymentIntentListPattern = (customerId: string) => objectPattern('pis', customerId);
/** The StripeReads keys of saved payment methods and mandates (writes and their webhooks invalidate them). */
export const paymentMethodKey = (id: string) => `pm:${id}`;
/** Every list page of one customer's saved PaymentMethods. */
export const paymentMethodListPattern = (customerId: string) => objectPattern('pms', customerId);
export const mandateKey = (id: string) => `mandate:${id}`;
/** The SetupIntents that saved one PaymentMethod (their mandates embedded). */
export const savedMandateKey = (paymentMethodId: string) => `setis:${paymentMethodId}`;

/**
 * The cache key of a list call, also its StripeReads key suffix. Built field by field in a fixed
 * order so two equal parameter sets always give one key (DataLoader compares keys by string).
 */
export const accountListKey = (k: AccountListKey): string =>
  `fcas:${k.session ?? k.holder?.customer ?? k.holder?.customer_account ?? ''}:${JSON.stringify([
    k.session ?? null,
    k.holder?.customer ?? null,
    k.holder?.customer_account ?? null,
    k.limit,
    k.starting_after ?? null,
    k.ownership ?? false,
  ])}`;
export const ownersKey = (k: OwnersKey): string =>
  `owners:${k.account}:${JSON.stringify([k.ownership, k.limit, k.starting_after ?? null])}`;
export const transactionListKey = (k: TransactionListKey): string =>
  `txns:${k.account}:${JSON.stringify([
    k.limit,
    k.starting_after ?? null,
    k.transacted_at?.gt ?? null,
    k.transacted_at?.gte ?? null,
    k.transacted_at?.lt ?? null,
    k.transacted_at?.lte ?? null,
    k.transaction_refresh?.after ?? null,
  ])}`;
/**
 * The StripeReads key of a pointer from one listed transaction to the cached list page it was listed in
 * (value: that page's key): the transaction's id is the next page's cursor, so a later page asked with it
 * can be read from the cached page instead of Stripe. Under `txns:{account}:`, so whatever forgets the
 * account's lists (refresh completed, transactions updated, a write) forgets the pointers too.
 */
export const transactionCursorKey = (
  account: string,
  after: string,
  transactedAt: TransactionListKey['transacted_at'],
): string =>
  `txns:${account}:after:${JSON.stringify([
    after,
    transactedAt?.gt ?? null,
    transactedAt?.gte ?? null,
    transactedAt?.lt ?? null,
    transactedAt?.lte ?? null,
  ])}`;
export const paymentIntentListKey = (k: PaymentIntentListKey): string =>
  `pis:${k.customer}:${JSON.stringify([k.limit, k.starting_after ?? null])}`;
export const paymentMethodListKey = (k: PaymentMethodListKey): string =>
  `pms:${k.customer}:${JSON.stringify([k.limit, k.starting_after ?? null])}`;
/** A search names no one object: every search is filed under the object `all` (forgotten by TTL alone). */
export const customerSearchKey = (k: CustomerSearchKey): string =>
  `cussearch:all:${JSON.stringify([k.query, k.limit, k.page ?? null])}`;

/*
 * The grammar. A key is `<resource>:<object>` or `<resource>:<object>:<detail>`: the resource picks the TTL
 * (stripe-reads.ts), the object is the Stripe id (or the list's holder) an invalidation names, and the detail (list
 * parameters, an expansion) tells the forms of one object apart. Stripe ids contain no `:`, so the object always
 * ends at the second `:`. Backends index every key by its object, so forgetting an object never walks the cache.
 */

/** `<resource>:<object>:*`: every key of one object, the bare `<resource>:<object>` included. */
export const objectPattern = (resource: string, object: string) => `${resource}:${object}:*`;

/** A key taken apart. `scope` (`<resource>:<object>`) is what backends index keys by. */
export interface CacheKeyParts {
  resource: string;
  object: string;
  scope: string;
  detail: string | null;
}

/** Programmer error: a key or pattern outside the grammar. Echoes the resource only (a search key holds a query). */
export class CacheKeyError extends Error {
  constructor(what: string, value: string) {
    super(`${what} must be <resource>:<object>[:<detail>] (got one of resource "${resourceOf(value)}")`);
  }
}

/** The resource of a key or pattern: up to its first `:`. */
export const resourceOf = (key: string): string => {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
};

/**
 * @throws CacheKeyError for a key with no object (`fca`, `fca:`): one the builders above never make
 */
export function parseCacheKey(key: string): CacheKeyParts {
  const first = key.indexOf(':');
  if (first <= 0) throw new CacheKeyError('A read cache key', key);
  const second = key.indexOf(':', first + 1);
  const object = second < 0 ? key.slice(first + 1) : key.slice(first + 1, second);
  if (object === '' && second < 0) throw new CacheKeyError('A read cache key', key);
  return {
    resource: key.slice(0, first),
    object,
    scope: second < 0 ? key : key.slice(0, second),
    detail: second < 0 ? null : key.slice(second + 1),
  };
}

/**
 * What an invalidation forgets. The gateway's own invalidations are `key` and `object` (both indexed by object in
 * every backend); `resource` (`fca:*`) and `all` (`*`) exist for tests and benchmarks that start from a cold cache.
 */
export type CacheTarget =
  | { kind: 'key'; key: string; scope: string }
  | { kind: 'object'; scope: string }
  | { kind: 'resource'; resource: string }
  | { kind: 'all' };

/**
 * Reads a StripeReads.invalidate pattern: a key, `<resource>:<object>:*`, `<resource>:*` or `*`.
 * @throws CacheKeyError for any other `*` (a bare prefix such as `fca:fca_1*` would also match `fca:fca_12`)
 */
export function parseInvalidation(pattern: string): CacheTarget {
  if (pattern === '*') return { kind: 'all' };
  if (!pattern.endsWith('*')) return { kind: 'key', key: pattern, scope: parseCacheKey(pattern).scope };
  const bare = pattern.slice(0, -1);
  const first = bare.indexOf(':');
  if (first > 0 && first === bare.length - 1) return { kind: 'resource', resource: bare.slice(0, -1) };
  if (first > 0 && bare.indexOf(':', first + 1) === bare.length - 1 && bare.length > first + 2)
    return { kind: 'object', scope: bare.slice(0, -1) };
  throw new CacheKeyError('An invalidation pattern', pattern);
}

/** The pattern {@link parseInvalidation} reads back as `target` (what crosses Redis between instances). */
export function invalidationPattern(target: CacheTarget): string {
  switch (target.kind) {
    case 'all':
      return '*';
    case 'resource':
      return `${target.resource}:*`;
    case 'object':
      return `${target.scope}:*`;
    case 'key':
      return target.key;
  }
}

/** Whether `target` covers `key` (for what a backend holds outside its index, such as calls in flight). */
export function targetCovers(target: CacheTarget, key: string): boolean {
  switch (target.kind) {
    case 'all':
      return true;
    case 'resource':
      return resourceOf(key) === target.resource;
    case 'object':
      return parseCacheKey(key).scope === target.scope;
    case 'key':
      return key === target.key;
  }
}
