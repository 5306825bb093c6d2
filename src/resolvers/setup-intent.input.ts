// Input and payload of createSetupIntent.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { SetupIntent } from './setup-intent.type';

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
}

@ObjectType()
export class SetupIntentPayload {
  @Field(() => SetupIntent)
  setupIntent!: SetupIntent;
}
