// transaction(id) and Transaction.account (traced to the caller through the account's holder).
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { FinancialAccount } from './financial-account.type';
import { registerNodeLoader } from './node';
import { Transaction } from './transaction.type';
import { Cost, lookupById } from './field-cost';

/** By id, tenancy-checked: the type's own query and node(id:). */
const transactionById = registerNodeLoader(['fctxn'], async (ctx, id) =>
  Transaction.fromStripe(await ctx.services.ownership.transaction(id, 'id')),
);

@Resolver(() => Transaction)
export class TransactionResolver {
  // The transaction, its account and (v2 holder) customer: its tenancy trace.
  @Cost({ stripeCalls: lookupById(3), pure: true })
  @Query(() => Transaction, { nullable: true })
  transaction(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Transaction> {
    return transactionById(ctx, id);
  }

  /** The account is already loaded (and checked) for every transaction reached through it: no request. */
  // Loaded by whatever reached the transaction (its trace, or its account's list).
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => FinancialAccount)
  async account(@Root() txn: Transaction, @Ctx() ctx: GatewayContext): Promise<FinancialAccount> {
    return FinancialAccount.fromStripe(await ctx.services.ownership.account(txn.accountId, 'accountId'));
  }
}
