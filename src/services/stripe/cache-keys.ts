// The one grammar of StripeReads keys: every object and list page the loaders cache, and the prefixes writes forget.
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
/** StripeReads.invalidate patterns: one account in every form it is cached in, and its own lists. */
export const accountPattern = (id: string) => `${accountKey(id)}*`;
export const accountListPattern = (holderId: string) => `fcas:${holderId}:*`;
export const ownersPattern = (accountId: string) => `owners:${accountId}:*`;
export const transactionListPattern = (accountId: string) => `txns:${accountId}:*`;

/** The StripeReads keys of intents (writes invalidate them). */
export const paymentIntentKey = (id: string) => `pi:${id}`;
export const setupIntentKey = (id: string) => `seti:${id}`;
/** The prefix of every list page of one customer's PaymentIntents. */
export const paymentIntentListPrefix = (customerId: string) => `pis:${customerId}:`;
/** The StripeReads keys of saved payment methods and mandates (writes and their webhooks invalidate them). */
export const paymentMethodKey = (id: string) => `pm:${id}`;
export const paymentMethodListPrefix = (customerId: string) => `pms:${customerId}:`;
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
  `${paymentIntentListPrefix(k.customer)}${JSON.stringify([k.limit, k.starting_after ?? null])}`;
export const paymentMethodListKey = (k: PaymentMethodListKey): string =>
  `${paymentMethodListPrefix(k.customer)}${JSON.stringify([k.limit, k.starting_after ?? null])}`;
export const customerSearchKey = (k: CustomerSearchKey): string =>
  `cussearch:${JSON.stringify([k.query, k.limit, k.page ?? null])}`;
