// Per-request DataLoader of Stripe PaymentIntents by id, each fetched with the expansions the gateway reads.
import DataLoader from 'dataloader';
import { toGraphQLError } from '../../platform/errors';
import type { Stripe } from './stripe-client';
import type { StripeReads } from './stripe-reads';

/**
 * What every PaymentIntent the gateway holds is fetched with. Why expand payment_method: the
 * `financialAccount` field needs `payment_method.us_bank_account.financial_connections_account`,
 * and expanding it here costs nothing, where retrieving the PaymentMethod would cost a request.
 */
export const PAYMENT_INTENT_EXPAND = ['payment_method'];

/**
 * A retrieve by id also expands `customer`: the tenancy check of every intent reads its customer's
 * metadata, and a v1 Customer arrives in the same request (the v2 `customer_account` is an id only, so
 * that model still costs the customer's own GET, shared through the customer loader).
 */
export const PAYMENT_INTENT_RETRIEVE_EXPAND = [...PAYMENT_INTENT_EXPAND, 'customer'];

/** Receives a v1 Customer that arrived expanded inside an intent (the service primes the customer loader). */
export type ExpandedCustomerSink = (customer: Stripe.Customer | Stripe.DeletedCustomer) => void;

/** Hands an expanded `customer` to `sink` and returns the intent unchanged. */
export function shareExpandedCustomer<
  T extends { customer: string | Stripe.Customer | Stripe.DeletedCustomer | null },
>(intent: T, sink: ExpandedCustomerSink | undefined): T {
  if (sink && intent.customer && typeof intent.customer === 'object') sink(intent.customer);
  return intent;
}

/** The StripeReads key of one PaymentIntent (writes invalidate it). */
export const paymentIntentKey = (id: string) => `pi:${id}`;

export type PaymentIntentLoader = DataLoader<string, Stripe.PaymentIntent>;

/**
 * Why strip it: an intent's `client_secret` lets a browser confirm or read it; the gateway never hands
 * it out, so it is removed before anything caches (LRU or Redis), primes or returns the object —
 * a cache dump or a log line can then never contain a `_secret_` (docs/security-catalogue.md AU9).
 */
export function withoutClientSecret<T extends { client_secret?: string | null }>(intent: T): T {
  if (intent.client_secret === undefined) return intent;
  const copy = { ...intent };
  delete copy.client_secret;
  return copy;
}

/**
 * One GET per distinct id per request (Stripe has no batch retrieve). A failed slot holds the
 * contract error (NOT_FOUND for an unknown id) and is not cached, per the DataLoader contract.
 */
export function createPaymentIntentLoader(
  stripe: Stripe,
  reads: StripeReads,
  onCustomer?: ExpandedCustomerSink,
): PaymentIntentLoader {
  const loader = new DataLoader<string, Stripe.PaymentIntent>((ids) =>
    Promise.all(
      ids.map((id) =>
        reads
          .get(paymentIntentKey(id), () =>
            stripe.paymentIntents
              .retrieve(id, { expand: PAYMENT_INTENT_RETRIEVE_EXPAND })
              .then((pi) => withoutClientSecret(pi)),
          )
          .then((pi) => shareExpandedCustomer(pi, onCustomer))
          .catch((error: unknown) => {
            loader.clear(id);
            return toGraphQLError(error);
          }),
      ),
    ),
  );
  return loader;
}
