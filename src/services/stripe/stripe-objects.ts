// Reading Stripe objects: who holds an FC account or an intent, which linked account an intent pays from, and secrets removed.
import type Stripe from 'stripe';

/** Anything that has an FC `account_holder` (accounts, sessions). */
export interface HasHolder {
  account_holder?: {
    type?: string;
    customer?: string | { id: string } | null;
    customer_account?: string | null;
  } | null;
}

/** The customer (v1 `cus_` or v2 `acct_`) an FC account or session belongs to, or null (Connect holder). */
export function holderCustomerId(object: HasHolder): string | null {
  const holder = object.account_holder;
  if (!holder) return null;
  if (holder.customer) return typeof holder.customer === 'string' ? holder.customer : holder.customer.id;
  return holder.customer_account ?? null;
}

/** The customer a PaymentIntent or SetupIntent belongs to: `customer` (v1, id or expanded) or `customer_account` (v2). */
export function intentCustomerId(intent: {
  customer: string | { id: string } | null;
  customer_account?: string | null;
}): string | null {
  const { customer } = intent;
  if (customer) return typeof customer === 'string' ? customer : customer.id;
  return intent.customer_account ?? null;
}

/** The id of an intent's `payment_method` (an id or expanded), else null. */
export function intentPaymentMethodId(
  paymentMethod: string | { id: string } | null | undefined,
): string | null {
  if (!paymentMethod) return null;
  return typeof paymentMethod === 'string' ? paymentMethod : paymentMethod.id;
}

/** The fca_ behind an expanded us_bank_account payment method, else null. */
export function financialAccountIdOf(
  paymentMethod: string | Stripe.PaymentMethod | null | undefined,
): string | null {
  if (!paymentMethod || typeof paymentMethod === 'string') return null;
  const fca = paymentMethod.us_bank_account?.financial_connections_account;
  return typeof fca === 'string' && fca.length > 0 ? fca : null;
}

/**
 * A copy without `client_secret`. Why: a session's secret lets whoever holds it link bank accounts,
 * an intent's lets a browser confirm or read it; the gateway strips it before anything caches (LRU or
 * Redis), primes or returns the object, so a cache dump or a log line never holds a `_secret_`
 * (docs/security-catalogue.md AU9).
 */
export function withoutClientSecret<T extends { client_secret?: string | null }>(object: T): T {
  if (object.client_secret === undefined) return object;
  const copy: Partial<T> = { ...object };
  delete copy.client_secret;
  return copy as T;
}
