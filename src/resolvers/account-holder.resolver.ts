// AccountHolder.customer: the holder's customer, through the same tenancy check as customer(id).
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { AccountHolder } from './account-holder.type';
import { Customer } from './customer.type';
import { Cost } from './field-cost';

@Resolver(() => AccountHolder)
export class AccountHolderResolver {
  /** Already loaded by the parent's tenancy check, so this costs no Stripe request. */
  // Loaded by the parent's tenancy check.
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => Customer, { nullable: true })
  async customer(@Root() holder: AccountHolder, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    if (!holder.customerId) return null;
    return Customer.fromOwned(await ctx.services.ownership.customer(holder.customerId, 'customerId'));
  }
}
