// Inputs and payload of the PaymentIntent mutations (createPaymentIntent, confirmPaymentIntent, cancelPaymentIntent).
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { MandateEvidence, MandateInput } from './mandate.input';
import { PaymentIntent } from './payment-intent.type';
import { DateTime, SafeInt } from './scalars';

@InputType()
export class CreatePaymentIntentInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ID)
  financialAccountId!: string;

  @Field(() => SafeInt)
  amount!: number;

  @Field(() => String, { defaultValue: 'usd' })
  currency!: string;

  @Field(() => String)
  billingName!: string;

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
