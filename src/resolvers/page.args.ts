// Relay paging arguments shared by every connection field (first/after → Stripe limit/starting_after).
import { ArgsType, Field, Int } from 'type-graphql';
import { DateTime } from './scalars';
import { FinancialAccountStatus, TransactionStatus } from './financial-connections.enums';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  email?: string | null;
}

@ArgsType()
export class FinancialAccountsArgs extends PageArgs {
  @Field(() => FinancialAccountStatus, { nullable: true })
  status?: FinancialAccountStatus | null;
}

@ArgsType()
export class TransactionsArgs extends PageArgs {
  @Field(() => TransactionStatus, { nullable: true })
  status?: TransactionStatus | null;

  @Field(() => DateTime, { nullable: true })
  transactedAfter?: Date | null;

  @Field(() => DateTime, { nullable: true })
  transactedBefore?: Date | null;
}
