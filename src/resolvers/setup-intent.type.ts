// SetupIntent: a linked account saved for future ACH debits, mapped from Stripe's setup_intent.
import { Field, ID, ObjectType } from 'type-graphql';
import type { SetupIntent as StripeSetupIntent } from '../services/stripe/loaders';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { commonIntentFields } from './intent-fields';
import { Node } from './node';
import { PaymentIntentStatus } from './payment-intent.type';
import { DateTime } from './scalars';

// Stripe's SetupIntent statuses are its PaymentIntent statuses without requires_capture (nothing to capture).
const { REQUIRES_CAPTURE: _noCapture, ...setupIntentStatuses } = PaymentIntentStatus;
export const SetupIntentStatus = setupIntentStatuses;
export type SetupIntentStatus = (typeof SetupIntentStatus)[keyof typeof SetupIntentStatus];
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

  static fromStripe(si: StripeSetupIntent): SetupIntent {
    return Object.assign(new SetupIntent(), {
      ...commonIntentFields(si),
      status: fromStripeEnum(SetupIntentStatus, si.status, SetupIntentStatus.UNKNOWN),
    });
  }
}
