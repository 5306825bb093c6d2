// One DataLoader per Stripe resource, created per request: each Stripe object is fetched at most once per operation.
import DataLoader from 'dataloader';
import type Stripe from 'stripe';
import { ErrorCode, GatewayError, toGraphQLError } from '../../platform/errors';
import type { StripeReads } from './stripe-reads';

export type FcAccount = Stripe.FinancialConnections.Account;
export type FcSession = Stripe.FinancialConnections.Session;
export type FcTransaction = Stripe.FinancialConnections.Transaction;
export type FcOwner = Stripe.FinancialConnections.AccountOwner;
export type FcOwnership = Stripe.FinancialConnections.AccountOwnership;
export type V1Customer = Stripe.Customer | Stripe.DeletedCustomer;
export type V2Account = Stripe.V2.Core.Account;

/** A Stripe list page as the loaders hand it out. */
export interface ListPage<T> {
  data: T[];
  has_more: boolean;
}

/** `GET /v1/financial_connections/accounts` parameters (one holder, or one session). */
export interface AccountListKey {
  holder?: { customer?: string; customer_account?: string };
  session?: string;
  limit: number;
  starting_after?: string;
}

/** `GET …/accounts/{account}/owners` parameters. */
export interface OwnersKey {
  account: string;
  ownership: string;
  limit: number;
  starting_after?: string;
}

/** `GET /v1/financial_connections/transactions` parameters. */
export interface TransactionListKey {
  account: string;
  limit: number;
  starting_after?: string;
  transacted_at?: { gt?: number; gte?: number; lt?: number; lte?: number };
}

export interface StripeLoaders {
  customer: DataLoader<string, V1Customer>;
  customerAccount: DataLoader<string, V2Account>;
  session: DataLoader<string, FcSession>;
  account: DataLoader<string, FcAccount>;
  accountList: DataLoader<AccountListKey, ListPage<FcAccount>, string>;
  /** Keyed by fca id: the account retrieved with `expand[]=ownership` (only Ownership.created needs it). */
  ownership: DataLoader<string, FcOwnership>;
  owners: DataLoader<OwnersKey, ListPage<FcOwner>, string>;
  transaction: DataLoader<string, FcTransaction>;
  transactionList: DataLoader<TransactionListKey, ListPage<FcTransaction>, string>;
}

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
  ])}`;

/**
 * Session objects keep their `client_secret` only in the create response: it is removed before
 * anything caches or returns a retrieved session (docs/security-catalogue.md AU9).
 */
export function withoutClientSecret(session: FcSession): FcSession {
  if (session.client_secret === undefined) return session;
  const copy = { ...session } as Partial<FcSession>;
  delete copy.client_secret;
  return copy as FcSession;
}

/**
 * Stripe errors → the contract's codes. Any 404 (v1 `resource_missing`, or a v2 `not_found` whose
 * error class differs) is NOT_FOUND, so the tenancy layer can answer it exactly like a foreign id.
 */
function mapLoadError(e: unknown): Error {
  if ((e as { statusCode?: number } | null)?.statusCode === 404) {
    return new GatewayError(ErrorCode.NOT_FOUND, 'The requested object was not found.');
  }
  return toGraphQLError(e);
}

/**
 * A loader whose batch runs one Stripe call per key (Stripe has no batch endpoints; the gain is the
 * per-request de-duplication). Keeps the DataLoader contract: one result per key, in key order, an Error
 * (already mapped to the contract's codes) in a failed slot — and failures are not cached.
 */
function stripeLoader<K, V>(fetchOne: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => string) {
  const loader: DataLoader<K, V, string> = new DataLoader<K, V, string>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          fetchOne(key).catch((e: unknown) => {
            loader.clear(key);
            return mapLoadError(e);
          }),
        ),
      ),
    cacheKeyFn ? { cacheKeyFn } : { cacheKeyFn: (k) => String(k) },
  );
  return loader;
}

/** Builds fresh loaders for one operation. Every GET goes through `reads` (tenant-scoped cache seam). */
export function createLoaders(stripe: Stripe, reads: StripeReads): StripeLoaders {
  const loaders: StripeLoaders = {
    customer: stripeLoader((id: string) => reads.get(`cus:${id}`, () => stripe.customers.retrieve(id))),
    customerAccount: stripeLoader((id: string) =>
      reads.get(`acct:${id}`, () => stripe.v2.core.accounts.retrieve(id)),
    ),
    session: stripeLoader((id: string) =>
      reads.get(`fcsess:${id}`, async () =>
        withoutClientSecret(await stripe.financialConnections.sessions.retrieve(id)),
      ),
    ),
    account: stripeLoader((id: string) =>
      reads.get(`fca:${id}`, () => stripe.financialConnections.accounts.retrieve(id)),
    ),
    accountList: stripeLoader(async (k: AccountListKey) => {
      const page = await reads.get(accountListKey(k), () =>
        stripe.financialConnections.accounts.list({
          ...(k.session ? { session: k.session } : {}),
          ...(k.holder ? { account_holder: k.holder } : {}),
          limit: k.limit,
          ...(k.starting_after ? { starting_after: k.starting_after } : {}),
        }),
      );
      // Listing fills the per-account loader: financialAccount(id) for one of them costs nothing more.
      for (const a of page.data) loaders.account.prime(a.id, a);
      return page;
    }, accountListKey),
    ownership: stripeLoader(async (accountId: string) => {
      const account = await reads.get(`fca:${accountId}:expand=ownership`, () =>
        stripe.financialConnections.accounts.retrieve(accountId, { expand: ['ownership'] }),
      );
      if (!account.ownership || typeof account.ownership === 'string') {
        throw new Error(`account ${accountId} has no expandable ownership`);
      }
      return account.ownership;
    }),
    owners: stripeLoader(
      (k: OwnersKey) =>
        reads.get(ownersKey(k), () =>
          stripe.financialConnections.accounts.listOwners(k.account, {
            ownership: k.ownership,
            limit: k.limit,
            ...(k.starting_after ? { starting_after: k.starting_after } : {}),
          }),
        ),
      ownersKey,
    ),
    transaction: stripeLoader((id: string) =>
      reads.get(`fctxn:${id}`, () => stripe.financialConnections.transactions.retrieve(id)),
    ),
    transactionList: stripeLoader(async (k: TransactionListKey) => {
      const page = await reads.get(transactionListKey(k), () =>
        stripe.financialConnections.transactions.list({
          account: k.account,
          limit: k.limit,
          ...(k.starting_after ? { starting_after: k.starting_after } : {}),
          ...(k.transacted_at ? { transacted_at: k.transacted_at } : {}),
        }),
      );
      for (const t of page.data) loaders.transaction.prime(t.id, t);
      return page;
    }, transactionListKey),
  };
  return loaders;
}
