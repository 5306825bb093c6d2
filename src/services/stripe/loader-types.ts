// The types the per-request loaders hand out: Stripe's objects, list pages, the list-call keys and the loader set.
import type DataLoader from 'dataloader';
import type Stripe from 'stripe';

export type FcAccount = Stripe.FinancialConnections.Account;
export type FcBalance = Stripe.FinancialConnections.Account.Balance;
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
export interface OwnersKey {
  account: string;
  ownership: string;
  limit: number;
  starting_after?: string;
}

/** `GET /v1/payment_intents` parameters (one customer of either model). */
export interface PaymentIntentListKey {
  customer: string;
  limit: number;
  starting_after?: string;
}

/** A customer's saved us_bank_account PaymentMethods (`GET /v1/customers/{customer}/payment_methods`). */
export interface PaymentMethodListKey {
  customer: string;
  limit: number;
  starting_after?: string;
}

/** `GET /v1/customers/search` parameters. */
export interface CustomerSearchKey {
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
  /** Retrieved with INTENT_RETRIEVE_EXPAND (loaders.ts); the expanded v1 customer primes `customer`. */
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
