// One DataLoader per Stripe resource, created per request: each Stripe object is fetched at most once per operation.
import DataLoader from 'dataloader';
import type Stripe from 'stripe';
import { toGraphQLError } from '../../platform/errors';
import { withoutClientSecret } from './stripe-objects';
import type { StripeReads } from './stripe-reads';

export type FcAccount = Stripe.FinancialConnections.Account;
export type FcSession = Stripe.FinancialConnections.Session;
export type FcTransaction = Stripe.FinancialConnections.Transaction;
export type FcOwner = Stripe.FinancialConnections.AccountOwner;
export type FcOwnership = Stripe.FinancialConnections.AccountOwnership;
export type V1Customer = Stripe.Customer | Stripe.DeletedCustomer;
export type V2Account = Stripe.V2.Core.Account;
export type PaymentIntent = Stripe.PaymentIntent;
export type SetupIntent = Stripe.SetupIntent;
export type PaymentMethod = Stripe.PaymentMethod;
export type Mandate = Stripe.Mandate;

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
  /** Also embed each account's ownership (`expand[]=data.ownership`): the selection reads its owners. */
  ownership?: boolean;
}

/** `GET …/accounts/{account}/owners` parameters. */
interface OwnersKey {
  account: string;
  ownership: string;
  limit: number;
  starting_after?: string;
}

/** `GET /v1/payment_intents` parameters (one customer of either model). */
interface PaymentIntentListKey {
  customer: string;
  limit: number;
  starting_after?: string;
}

/** A customer's saved us_bank_account PaymentMethods (`GET /v1/customers/{customer}/payment_methods`). */
interface PaymentMethodListKey {
  customer: string;
  limit: number;
  starting_after?: string;
}

/** `GET /v1/customers/search` parameters. */
interface CustomerSearchKey {
  query: string;
  limit: number;
  page?: string;
}

/** `GET /v1/financial_connections/transactions` parameters. */
export interface TransactionListKey {
  account: string;
  limit: number;
  starting_after?: string;
  transacted_at?: { gt?: number; gte?: number; lt?: number; lte?: number };
  /** Only transactions changed by transaction refreshes after this one (`fctxnref_…`, exclusive). */
  transaction_refresh?: { after: string };
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
  customerSearch: DataLoader<CustomerSearchKey, Stripe.ApiSearchResult<Stripe.Customer>, string>;
  /**
   * What this operation's selection asks of objects not loaded yet (filled by the resolvers before the
   * first load): accounts whose retrieve should also embed their ownership.
   */
  plan: { accountsWithOwnership: Set<string> };
  /** Retrieved with {@link INTENT_RETRIEVE_EXPAND}; the expanded v1 customer primes `customer`. */
  paymentIntent: DataLoader<string, PaymentIntent>;
  paymentIntentList: DataLoader<PaymentIntentListKey, ListPage<PaymentIntent>, string>;
  setupIntent: DataLoader<string, SetupIntent>;
  paymentMethod: DataLoader<string, PaymentMethod>;
  paymentMethodList: DataLoader<PaymentMethodListKey, ListPage<PaymentMethod>, string>;
  /** Retrieved with `expand[]=payment_method` (its tenancy check reads the PaymentMethod's customer); primes `paymentMethod`. */
  mandate: DataLoader<string, Mandate>;
  /**
   * Keyed by pm id: the mandate the newest SetupIntent that saved this PaymentMethod carries, or null (Stripe lists
   * no mandates; `GET /v1/setup_intents?payment_method=` with `expand[]=data.mandate` finds it in one call).
   */
  savedMandate: DataLoader<string, Mandate | null>;
}

/**
 * What every PaymentIntent and SetupIntent the gateway holds is fetched with. Why expand payment_method:
 * the `financialAccount` field needs `payment_method.us_bank_account.financial_connections_account`, and
 * expanding it here costs nothing, where retrieving the PaymentMethod would cost a request.
 */
export const INTENT_EXPAND = ['payment_method'];

/**
 * A retrieve by id also expands `customer`: the tenancy check of every intent reads its customer's
 * metadata, and a v1 Customer arrives in the same request (the v2 `customer_account` is an id only, so
 * that model still costs the customer's own GET, shared through the customer loader).
 */
const INTENT_RETRIEVE_EXPAND = [...INTENT_EXPAND, 'customer'];

/**
 * What every FC account and session is retrieved with. Why: the tenancy check of each reads its holder
 * customer's metadata, so embedding the customer saves that customer's own GET (x-expandableFields of
 * bank_connections_resource_accountholder: `account`, `customer`). The v2 `customer_account` is an id only.
 */
export const HOLDER_EXPAND = ['account_holder.customer'];

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

/** The only PaymentMethod type this gateway saves and lists (ACH Direct Debit, docs/stripe-facts.md §6). */
export const ACH_PAYMENT_METHOD_TYPE = 'us_bank_account';

/** `customer` for a v1 Customer (cus_), `customer_account` for a v2 customer-configured Account (acct_). */
export function customerParam(customerId: string): { customer: string } | { customer_account: string } {
  return customerId.startsWith('acct_') ? { customer_account: customerId } : { customer: customerId };
}

/**
 * The cache key of a list call, also its StripeReads key suffix. Built field by field in a fixed
 * order so two equal parameter sets always give one key (DataLoader compares keys by string).
 */
const accountListKey = (k: AccountListKey): string =>
  `fcas:${k.session ?? k.holder?.customer ?? k.holder?.customer_account ?? ''}:${JSON.stringify([
    k.session ?? null,
    k.holder?.customer ?? null,
    k.holder?.customer_account ?? null,
    k.limit,
    k.starting_after ?? null,
    k.ownership ?? false,
  ])}`;
const ownersKey = (k: OwnersKey): string =>
  `owners:${k.account}:${JSON.stringify([k.ownership, k.limit, k.starting_after ?? null])}`;
const transactionListKey = (k: TransactionListKey): string =>
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
const paymentIntentListKey = (k: PaymentIntentListKey): string =>
  `${paymentIntentListPrefix(k.customer)}${JSON.stringify([k.limit, k.starting_after ?? null])}`;
const paymentMethodListKey = (k: PaymentMethodListKey): string =>
  `${paymentMethodListPrefix(k.customer)}${JSON.stringify([k.limit, k.starting_after ?? null])}`;
const customerSearchKey = (k: CustomerSearchKey): string =>
  `cussearch:${JSON.stringify([k.query, k.limit, k.page ?? null])}`;

/**
 * A loader whose batch runs one Stripe call per key (Stripe has no batch endpoints; the gain is the
 * per-request de-duplication). Keeps the DataLoader contract: one result per key, in key order, an Error
 * (already mapped to the contract's codes: a 404 is NOT_FOUND, so the tenancy layer can answer it
 * exactly like a foreign id) in a failed slot — and failures are not cached.
 */
function stripeLoader<K, V>(fetchOne: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => string) {
  const loader: DataLoader<K, V, string> = new DataLoader<K, V, string>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          fetchOne(key).catch((e: unknown) => {
            loader.clear(key);
            return toGraphQLError(e);
          }),
        ),
      ),
    cacheKeyFn ? { cacheKeyFn } : { cacheKeyFn: (k) => String(k) },
  );
  return loader;
}

/**
 * Builds fresh loaders for one operation. Every GET goes through `reads` (tenant-scoped cache seam).
 * Objects with a `client_secret` (sessions, intents) lose it before anything caches or returns them: a
 * session's secret leaves only in its create response, and an intent's never (docs/security-catalogue.md AU9).
 */
export function createLoaders(stripe: Stripe, reads: StripeReads): StripeLoaders {
  /** Hands a v1 customer that arrived expanded inside an intent to the customer loader. */
  const shareExpandedCustomer = <T extends PaymentIntent | SetupIntent>(intent: T): T => {
    const c = intent.customer;
    if (c && typeof c === 'object') loaders.customer.prime(c.id, c);
    return intent;
  };
  /**
   * Objects embedded by `expand[]` in an account or session are handed to their loaders exactly like
   * fetched ones (so the tenancy check and any later field ask Stripe nothing more).
   */
  const shareEmbedded = <T extends FcAccount | FcSession>(object: T): T => {
    const c = object.account_holder?.customer;
    if (c && typeof c === 'object') loaders.customer.prime(c.id, c);
    if (object.object === 'financial_connections.account') {
      const o = (object as FcAccount).ownership;
      if (o && typeof o === 'object') loaders.ownership.prime(object.id, o);
    }
    return object;
  };
  /**
   * Only a fresh response also fills the cross-request cache (a cached one's copies are no newer than the
   * cache), primed inside the fetch: a refresh ahead of expiry runs it after its caller has its answer.
   */
  const primeEmbedded = <T extends FcAccount | FcSession>(object: T): T => {
    const c = object.account_holder?.customer;
    if (c && typeof c === 'object') void reads.prime(`cus:${c.id}`, c);
    return object;
  };
  /** One account by id with its holder customer (and its ownership when `withOwnership`). */
  const retrieveAccount = async (id: string, withOwnership: boolean): Promise<FcAccount> => {
    const account = await reads.get(withOwnership ? `fca:${id}:expand=ownership` : `fca:${id}`, async () =>
      primeEmbedded(
        await stripe.financialConnections.accounts.retrieve(id, {
          expand: withOwnership ? [...HOLDER_EXPAND, 'ownership'] : HOLDER_EXPAND,
        }),
      ),
    );
    return shareEmbedded(account);
  };
  const loaders: StripeLoaders = {
    plan: { accountsWithOwnership: new Set() },
    customer: stripeLoader((id: string) => reads.get(`cus:${id}`, () => stripe.customers.retrieve(id))),
    customerAccount: stripeLoader((id: string) =>
      reads.get(`acct:${id}`, () => stripe.v2.core.accounts.retrieve(id)),
    ),
    session: stripeLoader(async (id: string) => {
      const session = await reads.get(`fcsess:${id}`, async () =>
        primeEmbedded(
          withoutClientSecret(
            await stripe.financialConnections.sessions.retrieve(id, { expand: HOLDER_EXPAND }),
          ),
        ),
      );
      return shareEmbedded(session);
    }),
    account: stripeLoader((id: string) => retrieveAccount(id, loaders.plan.accountsWithOwnership.has(id))),
    accountList: stripeLoader(async (k: AccountListKey) => {
      const page = await reads.get(accountListKey(k), async () => {
        const fetched = await stripe.financialConnections.accounts.list({
          ...(k.session ? { session: k.session } : {}),
          ...(k.holder ? { account_holder: k.holder } : {}),
          limit: k.limit,
          ...(k.starting_after ? { starting_after: k.starting_after } : {}),
          // The holder customer only where it is expandable (a v1 customer, not a v2 customer_account).
          expand: [
            ...(k.holder?.customer_account ? [] : HOLDER_EXPAND.map((f) => `data.${f}`)),
            ...(k.ownership ? ['data.ownership'] : []),
          ],
        });
        // Listing fills the cache (fresh only), and below the per-account loader: financialAccount(id) for
        // one of them costs nothing more.
        for (const a of fetched.data) {
          primeEmbedded(a);
          void reads.prime(`fca:${a.id}`, a);
          if (k.ownership) void reads.prime(`fca:${a.id}:expand=ownership`, a);
        }
        return fetched;
      });
      for (const a of page.data) loaders.account.prime(a.id, shareEmbedded(a));
      return page;
    }, accountListKey),
    ownership: stripeLoader(async (accountId: string) => {
      const account = await retrieveAccount(accountId, true);
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
      const key = transactionListKey(k);
      const page = await reads.get(key, async () => {
        const fetched = await stripe.financialConnections.transactions.list({
          account: k.account,
          limit: k.limit,
          ...(k.starting_after ? { starting_after: k.starting_after } : {}),
          ...(k.transacted_at ? { transacted_at: k.transacted_at } : {}),
          ...(k.transaction_refresh ? { transaction_refresh: k.transaction_refresh } : {}),
        });
        // Pointers, once per fetched page (a cached one's pointers were set when it was fetched). The last object
        // gets none: what follows it is not in this page.
        if (!k.transaction_refresh) {
          for (const t of fetched.data.slice(0, -1))
            void reads.prime(transactionCursorKey(k.account, t.id, k.transacted_at), key);
        }
        return fetched;
      });
      // No priming of the transaction loader here: a read-ahead page holds up to 100 transactions, of which a
      // client page shows a few; transactions.service.ts primes those it returns.
      return page;
    }, transactionListKey),
    customerSearch: stripeLoader(
      (k: CustomerSearchKey) =>
        reads.get(customerSearchKey(k), () =>
          stripe.customers.search({ query: k.query, limit: k.limit, ...(k.page ? { page: k.page } : {}) }),
        ),
      customerSearchKey,
    ),
    paymentIntent: stripeLoader(async (id: string) =>
      shareExpandedCustomer(
        await reads.get(paymentIntentKey(id), async () =>
          withoutClientSecret(await stripe.paymentIntents.retrieve(id, { expand: INTENT_RETRIEVE_EXPAND })),
        ),
      ),
    ),
    paymentIntentList: stripeLoader(async (k: PaymentIntentListKey) => {
      const page = await reads.get(paymentIntentListKey(k), async () => {
        const list = await stripe.paymentIntents.list({
          ...customerParam(k.customer),
          limit: k.limit,
          ...(k.starting_after ? { starting_after: k.starting_after } : {}),
          expand: INTENT_EXPAND.map((f) => `data.${f}`),
        });
        return { data: list.data.map((pi) => withoutClientSecret(pi)), has_more: list.has_more };
      });
      for (const pi of page.data) loaders.paymentIntent.prime(pi.id, pi);
      return page;
    }, paymentIntentListKey),
    setupIntent: stripeLoader(async (id: string) =>
      shareExpandedCustomer(
        await reads.get(setupIntentKey(id), async () =>
          withoutClientSecret(await stripe.setupIntents.retrieve(id, { expand: INTENT_RETRIEVE_EXPAND })),
        ),
      ),
    ),
    paymentMethod: stripeLoader((id: string) =>
      reads.get(paymentMethodKey(id), () => stripe.paymentMethods.retrieve(id)),
    ),
    paymentMethodList: stripeLoader(async (k: PaymentMethodListKey) => {
      const page = await reads.get(paymentMethodListKey(k), async () => {
        const params = {
          type: ACH_PAYMENT_METHOD_TYPE,
          limit: k.limit,
          ...(k.starting_after ? { starting_after: k.starting_after } : {}),
        } as const;
        // A v1 Customer's saved methods have their own route; a v2 customer_account lists by parameter.
        const list = k.customer.startsWith('cus_')
          ? await stripe.customers.listPaymentMethods(k.customer, params)
          : await stripe.paymentMethods.list({ ...params, customer_account: k.customer });
        return { data: list.data, has_more: list.has_more };
      });
      for (const pm of page.data) loaders.paymentMethod.prime(pm.id, pm);
      return page;
    }, paymentMethodListKey),
    mandate: stripeLoader(async (id: string) => {
      const mandate = await reads.get(mandateKey(id), () =>
        stripe.mandates.retrieve(id, { expand: ['payment_method'] }),
      );
      const pm = mandate.payment_method;
      if (pm && typeof pm === 'object') loaders.paymentMethod.prime(pm.id, pm);
      return mandate;
    }),
    savedMandate: stripeLoader(async (paymentMethodId: string) => {
      const setups = await reads.get(savedMandateKey(paymentMethodId), async () => {
        const list = await stripe.setupIntents.list({
          payment_method: paymentMethodId,
          limit: 10,
          expand: ['data.mandate'],
        });
        return list.data.map((si) => withoutClientSecret(si));
      });
      // Newest first: the latest saving of this method names its current mandate.
      const mandate = setups.map((si) => si.mandate).find((m) => m && typeof m === 'object');
      return mandate && typeof mandate === 'object' ? mandate : null;
    }),
  };
  return loaders;
}
