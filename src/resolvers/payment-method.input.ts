// Inputs and payloads of detachPaymentMethod and verifyMicrodeposits.
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PaymentIntent } from './payment-intent.type';
import { PaymentMethod } from './payment-method.type';
import { SetupIntent } from './setup-intent.type';

@InputType()
export class DetachPaymentMethodInput {
  @Field(() => ID)
  paymentMethodId!: string;
}

@ObjectType()
export class DetachPaymentMethodPayload {
  @Field(() => PaymentMethod, { description: 'The payment method, now detached (attached: false).' })
  paymentMethod!: PaymentMethod;
}

@InputType({
  description: 'Either amounts or descriptorCode, as the end user read them on their bank statement.',
})
export class VerifyMicrodepositsInput {
  @Field(() => ID, {
    description: 'The PaymentIntent (pi_…) or SetupIntent (seti_…) waiting for microdeposits.',
  })
  intentId!: string;

  @Field(() => [Int], { nullable: true, description: 'The two microdeposit amounts, in cents.' })
  amounts?: number[] | null;

  @Field(() => String, { nullable: true, description: 'The 6-character code starting with SM.' })
  descriptorCode?: string | null;
}

@ObjectType({ description: 'The verified intent: paymentIntent for a pi_ id, setupIntent for a seti_ id.' })
export class VerifyMicrodepositsPayload {
  @Field(() => PaymentIntent, { nullable: true })
  paymentIntent?: PaymentIntent | null;

  @Field(() => SetupIntent, { nullable: true })
  setupIntent?: SetupIntent | null;
}
