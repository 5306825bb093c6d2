// PaymentIntent: an ACH Direct Debit from a linked account, mapped from Stripe's payment_intent (the one snake_case → camelCase place).
import { Field, ID, ObjectType } from 'type-graphql';
import type { PaymentIntent as StripePaymentIntent } from '../services/stripe/loaders';
import { financialAccountIdOf } from '../services/stripe/stripe-objects';
import { connectionType } from './connection';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { commonIntentFields } from './intent-fields';
import { Money } from './money.type';
import { Node } from './node';
import { PaymentError, paymentErrorFromStripe } from './payment-intent-error.type';
import { DateTime } from './scalars';

export enum PaymentIntentStatus {
  REQUIRES_PAYMENT_METHOD = 'REQUIRES_PAYMENT_METHOD',
  REQUIRES_CONFIRMATION = 'REQUIRES_CONFIRMATION',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PROCESSING = 'PROCESSING',
  REQUIRES_CAPTURE = 'REQUIRES_CAPTURE',
  CANCELED = 'CANCELED',
  SUCCEEDED = 'SUCCEEDED',
  UNKNOWN = 'UNKNOWN',
}
// A status Stripe adds later maps to UNKNOWN (enum-map.ts).
registerStripeEnum(PaymentIntentStatus, 'PaymentIntentStatus');

@ObjectType({ implements: Node })
export class PaymentIntent implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => Money)
  amount!: Money;

  @Field(() => PaymentIntentStatus)
  status!: PaymentIntentStatus;

  @Field(() => [String])
  paymentMethodTypes!: string[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => PaymentError, { nullable: true })
  lastPaymentError!: PaymentError | null;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  // `customer` and `financialAccount` are field resolvers (payment-intent.resolver.ts) over these ids.
  /** cus_ (v1 Customer) or acct_ (v2 customer-configured Account); null when Stripe has neither. */
  customerId!: string | null;
  /** The fca_ the payment method came from, when it came from Financial Connections. */
  financialAccountId!: string | null;

  static fromStripe(pi: StripePaymentIntent): PaymentIntent {
    const common = commonIntentFields(pi);
    return Object.assign(new PaymentIntent(), {
      ...common,
      amount: { amount: pi.amount, currency: pi.currency },
      status: fromStripeEnum(PaymentIntentStatus, pi.status, PaymentIntentStatus.UNKNOWN),
      paymentMethodTypes: [...(pi.payment_method_types ?? [])],
      description: pi.description ?? null,
      lastPaymentError: paymentErrorFromStripe(pi.last_payment_error),
      // A failed ACH debit detaches the payment method (payment_method becomes null); Stripe keeps the
      // expanded one on last_payment_error, so the account paid from stays known.
      financialAccountId:
        common.financialAccountId ?? financialAccountIdOf(pi.last_payment_error?.payment_method),
    });
  }
}

export const PaymentIntentConnection = connectionType('PaymentIntent', () => PaymentIntent);
