// TransactionUpdates: one page of an incremental transaction sync (FinancialAccount.transactionUpdates).
import { Field, ID, ObjectType } from 'type-graphql';
import { Transaction } from './transaction.type';

@ObjectType({
  description:
    'What changed on the account since the cursor. Apply `added` and `modified` as upserts by id and drop `removed`; keep `nextCursor` for the next call, and call again at once while `hasMore`.',
})
export class TransactionUpdates {
  @Field(() => [Transaction], { description: 'Transactions new to a client holding the cursor.' })
  added!: Transaction[];

  @Field(() => [Transaction], {
    description: 'Transactions the client has that changed (a pending one posted, for example).',
  })
  modified!: Transaction[];

  @Field(() => [ID], { description: 'Ids of voided transactions, to drop.' })
  removed!: string[];

  @Field(() => String, {
    description:
      'Opaque; valid for this account only, on every gateway instance and after restarts. Pass it to the next call.',
  })
  nextCursor!: string;

  @Field(() => Boolean, { description: 'More of this sync remains: call again with nextCursor.' })
  hasMore!: boolean;
}
