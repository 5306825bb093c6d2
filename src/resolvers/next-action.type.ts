// NextAction: what an intent in REQUIRES_ACTION waits for; the gateway knows one kind, microdeposit verification.
import { Field, ObjectType } from 'type-graphql';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { DateTime, fromUnix } from './scalars';

export enum NextActionType {
  VERIFY_WITH_MICRODEPOSITS = 'VERIFY_WITH_MICRODEPOSITS',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(NextActionType, 'NextActionType');

export enum MicrodepositType {
  AMOUNTS = 'AMOUNTS',
  DESCRIPTOR_CODE = 'DESCRIPTOR_CODE',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(MicrodepositType, 'MicrodepositType');

@ObjectType({
  description:
    'What the end user must do before the intent can go on. VERIFY_WITH_MICRODEPOSITS: enter the two amounts or the ' +
    'descriptor code (verifyMicrodeposits), or open hostedVerificationUrl.',
})
export class NextAction {
  @Field(() => NextActionType)
  type!: NextActionType;

  @Field(() => DateTime, { nullable: true, description: 'When the microdeposits are expected to land.' })
  arrivalDate!: Date | null;

  @Field(() => MicrodepositType, { nullable: true })
  microdepositType!: MicrodepositType | null;

  @Field(() => String, {
    nullable: true,
    description: "Stripe's page where the end user verifies the account.",
  })
  hostedVerificationUrl!: string | null;
}

/** Stripe's `next_action` of a PaymentIntent or SetupIntent (the shape both share). */
interface StripeNextAction {
  type: string;
  verify_with_microdeposits?: {
    arrival_date: number;
    hosted_verification_url: string;
    microdeposit_type?: string | null;
  } | null;
}

/** Stripe's `next_action` → NextAction, or null when there is none. */
export function nextActionFromStripe(action: StripeNextAction | null | undefined): NextAction | null {
  if (!action) return null;
  const verify = action.verify_with_microdeposits ?? null;
  return Object.assign(new NextAction(), {
    type: fromStripeEnum(NextActionType, action.type, NextActionType.UNKNOWN),
    arrivalDate: fromUnix(verify?.arrival_date),
    microdepositType: verify?.microdeposit_type
      ? fromStripeEnum(MicrodepositType, verify.microdeposit_type, MicrodepositType.UNKNOWN)
      : null,
    hostedVerificationUrl: verify?.hosted_verification_url ?? null,
  });
}
