// Inputs and payloads of the customer mutations (createCustomer, createCustomerToken).
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Customer, CustomerModel } from './customer.type';
import { DateTime } from './scalars';

@InputType()
export class CreateCustomerInput {
  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => CustomerModel, { nullable: true, defaultValue: CustomerModel.CUSTOMER })
  model?: CustomerModel | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@ObjectType()
export class CreateCustomerPayload {
  @Field(() => Customer)
  customer!: Customer;
}

@InputType()
export class CreateCustomerTokenInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Int, { nullable: true, defaultValue: 900 })
  ttlSeconds?: number | null;
}

@ObjectType()
export class CreateCustomerTokenPayload {
  @Field(() => String)
  token!: string;

  @Field(() => DateTime)
  expiresAt!: Date;
}
