// TransactionUpdatesAvailableEvent: what transactionUpdatesAvailable pushes when a transaction refresh succeeds.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from './scalars';

@ObjectType({
  description:
    'A transaction refresh of the account succeeded: call FinancialAccount.transactionUpdates with your last cursor.',
})
export class TransactionUpdatesAvailableEvent {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID, { description: "Stripe's transaction refresh id (`fctxnref_…`), as Refresh.id shows it." })
  transactionRefreshId!: string;

  @Field(() => DateTime, { description: 'When the gateway learned that the refresh succeeded.' })
  completedAt!: Date;
}
