// Input and payload of createSetupIntent.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { MandateEvidence, MandateInput } from './mandate.input';
import { SetupIntent } from './setup-intent.type';
import { VerificationMethod } from './verification-method';

@InputType()
export class CreateSetupIntentInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ID)
  financialAccountId!: string;

  @Field(() => String)
  billingName!: string;

  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => MandateInput, {
    nullable: true,
    description: "The end user's acceptance, passed on by a partner's server (partner credentials only).",
  })
  mandate?: MandateInput | null;

  @Field(() => VerificationMethod, {
    nullable: true,
    description: 'MICRODEPOSITS: the SetupIntent waits in REQUIRES_ACTION until verifyMicrodeposits.',
  })
  verificationMethod?: VerificationMethod | null;
}

@ObjectType()
export class SetupIntentPayload {
  @Field(() => SetupIntent)
  setupIntent!: SetupIntent;

  @Field(() => MandateEvidence, { description: 'The acceptance evidence sent with the mandate.' })
  mandateEvidence!: MandateEvidence;
}
