// What every per-request Stripe service is built from (one caller, one set of loaders).
import type Stripe from 'stripe';
import type { Caller } from './auth';
import type { StripeLoaders } from './loaders';
import type { OwnershipService } from './ownership.service';
import type { StripeReads } from './stripe-reads';

export interface ServiceBase {
  stripe: Stripe;
  caller: Caller;
  reads: StripeReads;
  loaders: StripeLoaders;
  ownership: OwnershipService;
}
