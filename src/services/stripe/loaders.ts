// One DataLoader per Stripe resource, created per request: each Stripe object is fetched at most once per operation.
import DataLoader from 'dataloader';
import type Stripe from 'stripe';
import { toGraphQLError } from '../../platform/errors';
import {
  accountKey,
  accountListKey,
  customerAccountKey,
  customerKey,
  customerSearchKey,
  mandateKey,
  ownersKey,
  paymentIntentKey,
  paymentIntentListKey,
  paymentMethodKey,
  paymentMethodListKey,
  savedMandateKey,
  sessionKey,
  setupIntentKey,
  transactionCursorKey,
  transactionKey,
  transactionListKey,
} from './cache-keys';
import type {
  AccountListKey,
  CustomerSearchKey,
  FcAccount,
  FcSession,
  OwnersKey,
  PaymentIntent,
  PaymentIntentListKey,
  PaymentMethodListKey,
  SetupIntent,
  StripeLoaders,
  TransactionListKey,
} from './loader-types';
import { withoutClientSecret } from './stripe-objects';
import type { StripeReads } from './stripe-reads';

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

/** The only PaymentMethod type this gateway saves and lists (ACH Direct Debit, docs/stripe-facts.md §6). */
export const ACH_PAYMENT_METHOD_TYPE = 'us_bank_account';

/** `customer` for a v1 Customer (cus_), `customer_account` for a v2 customer-configured Account (acct_). */
export function customerParam(customerId: string): { customer: string } | { customer_account: string } {
  return customerId.startsWith('acct_') ? { customer_account: customerId } : { customer: customerId };
}

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
    if (c && typeof c === 'object') void reads.prime(customerKey(c.id), c);
    return object;
  };
  /** One account by id with its holder customer (and its ownership when `withOwnership`). */
  const retrieveAccount = async (id: string, withOwnership: boolean): Promise<FcAccount> => {
    const account = await reads.get(accountKey(id, withOwnership), async () =>
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
    customer: stripeLoader((id: string) => reads.get(customerKey(id), () => stripe.customers.retrieve(id))),
    customerAccount: stripeLoader((id: string) =>
      reads.get(customerAccountKey(id), () => stripe.v2.core.accounts.retrieve(id)),
    ),
    session: stripeLoader(async (id: string) => {
      const session = await reads.get(sessionKey(id), async () =>
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
          void reads.prime(accountKey(a.id), a);
          if (k.ownership) void reads.prime(accountKey(a.id, true), a);
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
      reads.get(transactionKey(id), () => stripe.financialConnections.transactions.retrieve(id)),
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
