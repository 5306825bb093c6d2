// Ownership.created and Ownership.owners (one owners list request per distinct page, per operation).
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/stripe/paging';
import { AccountOwner, AccountOwnerConnection, Ownership, ownershipCreated } from './ownership.type';
import { PageArgs } from './page.args';
import { DateTime } from './scalars';
import { Cost, type StripeCost } from './field-cost';

/**
 * Nothing when the account arrived with its ownership embedded (its owners are the first page: the whole list for
 * accounts with a page's worth of owners), else one request (the owners list, or the account with its ownership).
 */
const unlessOwnershipEmbedded: StripeCost = ({ parent }) => (parent.ownershipEmbedded ? 0 : 1);

@Resolver(() => Ownership)
export class OwnershipResolver {
  /** Costs one `GET account?expand[]=ownership` (Stripe has no ownership endpoint); only when selected. */
  @Cost({ stripeCalls: unlessOwnershipEmbedded })
  @FieldResolver(() => DateTime)
  async created(@Root() ownership: Ownership, @Ctx() ctx: GatewayContext): Promise<Date> {
    const o = await ctx.services.financialAccounts.ownership(ownership.account);
    if (!o) throw new Error(`ownership of ${ownership.account.id} vanished`);
    return ownershipCreated(o);
  }

  @Cost({ stripeCalls: unlessOwnershipEmbedded })
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
