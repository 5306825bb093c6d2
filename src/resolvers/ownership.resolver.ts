// Ownership.created and Ownership.owners (one owners list request per distinct page, per operation).
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/domain/stripe-readers';
import { AccountOwner, AccountOwnerConnection, Ownership, ownershipCreated } from './ownership.type';
import { PageArgs } from './page.args';
import { DateTime } from './scalars';

@Resolver(() => Ownership)
export class OwnershipResolver {
  /** Costs one `GET account?expand[]=ownership` (Stripe has no ownership endpoint); only when selected. */
  @FieldResolver(() => DateTime)
  async created(@Root() ownership: Ownership, @Ctx() ctx: GatewayContext): Promise<Date> {
    const o = await ctx.services.financialAccounts.ownership(ownership.account);
    if (!o) throw new Error(`ownership of ${ownership.account.id} vanished`);
    return ownershipCreated(o);
  }

  @FieldResolver(() => AccountOwnerConnection)
  async owners(
    @Root() ownership: Ownership,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<AccountOwner>> {
    const page = pageParams(args.first, args.after);
    const result = await ctx.services.financialAccounts.owners(ownership.account, page);
    return pageConnection(result, AccountOwner.fromStripe);
  }
}
