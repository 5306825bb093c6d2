// Inputs and payloads of the account mutations (refresh, disconnect, subscribe, unsubscribe).
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { FinancialAccount } from './financial-account.type';
import { FinancialConnectionsFeature } from './financial-connections.enums';

@InputType()
export class RefreshFinancialAccountInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => [FinancialConnectionsFeature])
  features!: FinancialConnectionsFeature[];
}

@ObjectType()
export class RefreshFinancialAccountPayload {
  @Field(() => FinancialAccount)
  financialAccount!: FinancialAccount;
}

@InputType()
export class FinancialAccountInput {
  @Field(() => ID)
  accountId!: string;
}

@InputType()
export class SubscribeFinancialAccountInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => [FinancialConnectionsFeature], { defaultValue: [FinancialConnectionsFeature.TRANSACTIONS] })
  features!: FinancialConnectionsFeature[];
}

@ObjectType()
export class FinancialAccountPayload {
  @Field(() => FinancialAccount)
  financialAccount!: FinancialAccount;
}
