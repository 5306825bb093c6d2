// PaymentIntent: an ACH Direct Debit from a linked account, mapped from Stripe's payment_intent (the one snake_case → camelCase place).
import { Field, ID, ObjectType } from 'type-graphql';
import type { PaymentIntent as StripePaymentIntent } from '../services/domain/stripe-types';
import { financialAccountIdOf } from '../services/domain/stripe-readers';
import { connectionType } from './connection';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { commonIntentFields } from './intent-fields';
import { Money } from './money.type';
import { Node } from './node';
import { PaymentError, paymentErrorFromStripe } from './payment-intent-error.type';
import { DateTime } from './scalars';
import { NextAction, nextActionFromStripe } from './next-action.type';
import { MANDATE_METADATA_KEY } from '../services/domain/payment-intents.service';
import type { PaymentMethod as StripePaymentMethod } from '../services/domain/stripe-types';

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

export enum PaymentIntentCancellationReason {
  ABANDONED = 'ABANDONED',
  AUTOMATIC = 'AUTOMATIC',
  DUPLICATE = 'DUPLICATE',
  FAILED_INVOICE = 'FAILED_INVOICE',
  FRAUDULENT = 'FRAUDULENT',
  REQUESTED_BY_CUSTOMER = 'REQUESTED_BY_CUSTOMER',
  VOID_INVOICE = 'VOID_INVOICE',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(PaymentIntentCancellationReason, 'PaymentIntentCancellationReason');

/** The PaymentMethod an intent used: `payment_method`, or after a failed ACH debit the one on its error. */
export function usedPaymentMethod(
  paymentMethod: string | StripePaymentMethod | null | undefined,
  failed?: string | StripePaymentMethod | null,
): { id: string | null; object: StripePaymentMethod | null } {
  const pm = paymentMethod ?? failed ?? null;
  if (!pm) return { id: null, object: null };
  return typeof pm === 'string' ? { id: pm, object: null } : { id: pm.id, object: pm };
}

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

  @Field(() => Money, { description: 'What was collected: the amount once SUCCEEDED, else 0.' })
  amountReceived!: Money;

  @Field(() => PaymentIntentCancellationReason, { nullable: true })
  cancellationReason!: PaymentIntentCancellationReason | null;

  @Field(() => NextAction, {
    nullable: true,
    description: 'Set while REQUIRES_ACTION, e.g. VERIFY_WITH_MICRODEPOSITS.',
  })
  nextAction!: NextAction | null;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  // `customer` and `financialAccount` are field resolvers (payment-intent.resolver.ts) over these ids.
  /** cus_ (v1 Customer) or acct_ (v2 customer-configured Account); null when Stripe has neither. */
  customerId!: string | null;
  /** The fca_ the payment method came from, when it came from Financial Connections. */
  financialAccountId!: string | null;
  // `paymentMethod` and `mandate` are field resolvers too: the expanded PaymentMethod (when Stripe sent it)
  // and the saved mandate an off-session debit used (services/domain/payment-intents.service.ts).
  paymentMethodId!: string | null;
  paymentMethodObject!: StripePaymentMethod | null;
  mandateId!: string | null;

  static fromStripe(pi: StripePaymentIntent): PaymentIntent {
    const common = commonIntentFields(pi);
    const pm = usedPaymentMethod(pi.payment_method, pi.last_payment_error?.payment_method);
    return Object.assign(new PaymentIntent(), {
      ...common,
      amount: { amount: pi.amount, currency: pi.currency },
      amountReceived: { amount: pi.amount_received ?? 0, currency: pi.currency },
      cancellationReason: pi.cancellation_reason
        ? fromStripeEnum(
            PaymentIntentCancellationReason,
            pi.cancellation_reason,
            PaymentIntentCancellationReason.UNKNOWN,
          )
        : null,
      nextAction: nextActionFromStripe(pi.next_action),
      paymentMethodId: pm.id,
      paymentMethodObject: pm.object,
      mandateId: pi.metadata?.[MANDATE_METADATA_KEY] ?? null,
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
