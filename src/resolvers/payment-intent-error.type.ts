// PaymentError: why the last ACH payment (or setup) attempt failed, from Stripe's last_payment_error / last_setup_error.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: "Why the last payment attempt failed (Stripe's last_payment_error)." })
export class PaymentError {
  @Field(() => String, { nullable: true, description: "Stripe's error code, e.g. insufficient_funds." })
  code!: string | null;

  @Field(() => String, { nullable: true })
  declineCode!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

/** Stripe's error shape on an intent (`last_payment_error`, `last_setup_error`). */
export interface StripeIntentError {
  code?: string | null;
  decline_code?: string | null;
  message?: string | null;
}

/**
 * Why the message is passed on: Stripe writes last_payment_error.message for the payer ("The customer's
 * account has insufficient funds…"), unlike API error messages, which the gateway never forwards. It is
 * still capped, so an unexpectedly long value cannot bloat responses.
 */
export function paymentErrorFromStripe(error: StripeIntentError | null | undefined): PaymentError | null {
  if (!error) return null;
  return {
    code: error.code ?? null,
    declineCode: error.decline_code ?? null,
    message: error.message ? error.message.slice(0, 500) : null,
  };
}
