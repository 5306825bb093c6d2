// What every per-request Stripe service is built from (one caller, one set of loaders).
import type Stripe from 'stripe';
import type { Caller } from '../auth/auth';
import type { StripeLoaders } from '../stripe/loader-types';
import type { OwnershipService } from './ownership.service';
import type { StripeReads } from '../stripe/stripe-reads';

export interface ServiceBase {
  stripe: Stripe;
  caller: Caller;
  reads: StripeReads;
  loaders: StripeLoaders;
  ownership: OwnershipService;
}
