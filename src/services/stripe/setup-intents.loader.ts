// Per-request DataLoader of Stripe SetupIntents by id, each fetched with its payment method expanded.
import DataLoader from 'dataloader';
import { toGraphQLError } from '../../platform/errors';
import type { Stripe } from './stripe-client';
import {
  shareExpandedCustomer,
  withoutClientSecret,
  type ExpandedCustomerSink,
} from './payment-intents.loader';
import type { StripeReads } from './stripe-reads';

/** As for PaymentIntents: the expanded payment method names the linked fca_ without another request. */
export const SETUP_INTENT_EXPAND = ['payment_method'];
/** As for PaymentIntents: a v1 customer arrives with the intent, for the tenancy check. */
export const SETUP_INTENT_RETRIEVE_EXPAND = [...SETUP_INTENT_EXPAND, 'customer'];

/** The StripeReads key of one SetupIntent (writes invalidate it). */
export const setupIntentKey = (id: string) => `seti:${id}`;

export type SetupIntentLoader = DataLoader<string, Stripe.SetupIntent>;

/** One GET per distinct id per request; a failed slot holds the contract error and is not cached. */
export function createSetupIntentLoader(
  stripe: Stripe,
  reads: StripeReads,
  onCustomer?: ExpandedCustomerSink,
): SetupIntentLoader {
  const loader = new DataLoader<string, Stripe.SetupIntent>((ids) =>
    Promise.all(
      ids.map((id) =>
        reads
          .get(setupIntentKey(id), () =>
            stripe.setupIntents
              .retrieve(id, { expand: SETUP_INTENT_RETRIEVE_EXPAND })
              .then((si) => withoutClientSecret(si)),
          )
          .then((si) => shareExpandedCustomer(si, onCustomer))
          .catch((error: unknown) => {
            loader.clear(id);
            return toGraphQLError(error);
          }),
      ),
    ),
  );
  return loader;
}
