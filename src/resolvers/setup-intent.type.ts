// SetupIntent: a linked account saved for future ACH debits, mapped from Stripe's setup_intent.
import { Field, ID, ObjectType } from 'type-graphql';
import type { SetupIntent as StripeSetupIntent } from '../services/domain/stripe-types';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { commonIntentFields } from './intent-fields';
import { Node } from './node';
import { PaymentIntentStatus } from './payment-intent.type';
import { DateTime } from './scalars';
import { NextAction, nextActionFromStripe } from './next-action.type';
import { PaymentError, paymentErrorFromStripe } from './payment-intent-error.type';
import { usedPaymentMethod } from './payment-intent.type';
import type { PaymentMethod as StripePaymentMethod } from '../services/domain/stripe-types';

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

  @Field(() => PaymentError, {
    nullable: true,
    description: "Why the last setup attempt failed (Stripe's last_setup_error).",
  })
  lastSetupError!: PaymentError | null;

  @Field(() => NextAction, {
    nullable: true,
    description: 'Set while REQUIRES_ACTION, e.g. VERIFY_WITH_MICRODEPOSITS.',
  })
  nextAction!: NextAction | null;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  // `customer` and `financialAccount` are field resolvers (setup-intent.resolver.ts) over these ids.
  customerId!: string | null;
  financialAccountId!: string | null;
  // `paymentMethod` and `mandate` (the multi-use mandate it saved) are field resolvers over these.
  paymentMethodId!: string | null;
  paymentMethodObject!: StripePaymentMethod | null;
  mandateId!: string | null;

  static fromStripe(si: StripeSetupIntent): SetupIntent {
    const pm = usedPaymentMethod(si.payment_method, si.last_setup_error?.payment_method);
    const mandate = si.mandate;
    return Object.assign(new SetupIntent(), {
      ...commonIntentFields(si),
      lastSetupError: paymentErrorFromStripe(si.last_setup_error),
      nextAction: nextActionFromStripe(si.next_action),
      paymentMethodId: pm.id,
      paymentMethodObject: pm.object,
      mandateId: mandate ? (typeof mandate === 'string' ? mandate : mandate.id) : null,
      status: fromStripeEnum(SetupIntentStatus, si.status, SetupIntentStatus.UNKNOWN),
    });
  }
}
