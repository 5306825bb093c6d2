// SetupIntent: a linked account saved for future ACH debits, mapped from Stripe's setup_intent.
import { Field, ID, ObjectType } from 'type-graphql';
import type { Stripe } from '../services/stripe/stripe-client';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { Node } from './node';
import { financialAccountIdOf, intentCustomerId } from '../services/stripe/stripe-objects';
import { DateTime, fromUnix } from './scalars';

export enum SetupIntentStatus {
  REQUIRES_PAYMENT_METHOD = 'REQUIRES_PAYMENT_METHOD',
  REQUIRES_CONFIRMATION = 'REQUIRES_CONFIRMATION',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PROCESSING = 'PROCESSING',
  CANCELED = 'CANCELED',
  SUCCEEDED = 'SUCCEEDED',
  UNKNOWN = 'UNKNOWN',
}
// A status Stripe adds later maps to UNKNOWN (enum-map.ts).
registerStripeEnum(SetupIntentStatus, 'SetupIntentStatus');

@ObjectType({ implements: Node })
export class SetupIntent implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => SetupIntentStatus)
  status!: SetupIntentStatus;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  // `customer` and `financialAccount` are field resolvers (setup-intent.resolver.ts) over these ids.
  customerId!: string | null;
  financialAccountId!: string | null;

  /** @param si a SetupIntent retrieved with `expand[]=payment_method`. */
  static fromStripe(si: Stripe.SetupIntent): SetupIntent {
    const out = new SetupIntent();
    out.id = si.id;
    out.status = fromStripeEnum(SetupIntentStatus, si.status, SetupIntentStatus.UNKNOWN);
    out.created = fromUnix(si.created);
    out.livemode = si.livemode;
    out.customerId = intentCustomerId(si);
    out.financialAccountId = financialAccountIdOf(si.payment_method);
    return out;
  }
}
