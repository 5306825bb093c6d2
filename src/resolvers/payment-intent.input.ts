// Inputs and payload of the PaymentIntent mutations (createPaymentIntent, confirmPaymentIntent, cancelPaymentIntent).
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { MandateEvidence, MandateInput } from './mandate.input';
import { PaymentIntent } from './payment-intent.type';
import { DateTime, SafeInt } from './scalars';
import { VerificationMethod } from './verification-method';

@InputType({
  description:
    'Either financialAccountId (a debit from a linked account, confirmed with confirmPaymentIntent), or ' +
    'paymentMethodId with mandateId and offSession: true (a recurring debit from a saved account, confirmed at ' +
    'once under its saved mandate, with no new acceptance).',
})
export class CreatePaymentIntentInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  financialAccountId?: string | null;

  @Field(() => ID, { nullable: true, description: "One of the customer's paymentMethods." })
  paymentMethodId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The active mandate saved with paymentMethodId (SetupIntent.mandate).',
  })
  mandateId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Must be true with paymentMethodId: the customer is not present, the saved mandate authorizes the debit.',
  })
  offSession?: boolean | null;

  @Field(() => VerificationMethod, {
    nullable: true,
    description:
      'With financialAccountId: MICRODEPOSITS makes the confirmation wait for verifyMicrodeposits.',
  })
  verificationMethod?: VerificationMethod | null;

  @Field(() => SafeInt)
  amount!: number;

  @Field(() => String, { defaultValue: 'usd' })
  currency!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Required with financialAccountId (the name on the mandate); a saved account already has one.',
  })
  billingName?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, {
    description: 'Required: a retried mutation with the same key never creates a second payment.',
  })
  idempotencyKey!: string;
}

@InputType()
export class ConfirmPaymentIntentInput {
  @Field(() => ID)
  paymentIntentId!: string;

  @Field(() => DateTime, {
    nullable: true,
    description: 'When the end user accepted the mandate; defaults to now.',
  })
  mandateAcceptedAt?: Date | null;

  @Field(() => MandateInput, {
    nullable: true,
    description: "The end user's acceptance, passed on by a partner's server (partner credentials only).",
  })
  mandate?: MandateInput | null;
}

@InputType()
export class CancelPaymentIntentInput {
  @Field(() => ID)
  paymentIntentId!: string;
}

@ObjectType()
export class PaymentIntentPayload {
  @Field(() => PaymentIntent)
  paymentIntent!: PaymentIntent;

  @Field(() => MandateEvidence, {
    nullable: true,
    description: 'confirmPaymentIntent: the acceptance evidence sent with the mandate.',
  })
  mandateEvidence?: MandateEvidence | null;
}
