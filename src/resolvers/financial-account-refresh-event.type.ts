// FinancialAccountRefreshEvent: what financialAccountRefreshed pushes when a refresh settles.
import { Field, ObjectType } from 'type-graphql';
import { FinancialAccount } from './financial-account.type';
import { FinancialConnectionsFeature, RefreshStatus } from './financial-connections.enums';
import { DateTime } from './scalars';

@ObjectType({ description: 'A balance, ownership or transactions refresh of one linked account completed.' })
export class FinancialAccountRefreshEvent {
  @Field(() => FinancialAccount)
  financialAccount!: FinancialAccount;

  @Field(() => FinancialConnectionsFeature)
  feature!: FinancialConnectionsFeature;

  @Field(() => RefreshStatus, { description: 'SUCCEEDED or FAILED.' })
  status!: RefreshStatus;

  @Field(() => DateTime)
  occurredAt!: Date;
}
