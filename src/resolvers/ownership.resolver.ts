// Ownership.created and Ownership.owners (one owners list request per distinct page, per operation); node(id) of an
// Ownership or an AccountOwner by its qualified id.
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/domain/stripe-readers';
import { AccountOwner, AccountOwnerConnection, Ownership, ownershipCreated } from './ownership.type';
import { PageArgs } from './page.args';
import { DateTime } from './scalars';
import { Cost, type StripeCost } from './field-cost';
import { idSegments, registerNodeLoader } from './node';

/** `fcaowns_….fca_…`: the account's current ownership, its retrieve embedding it (so `created` and owners are free). */
registerNodeLoader(['fcaowns.fca'], async (ctx, id) => {
  const [ownershipId, accountId] = idSegments(id, 'fcaowns.fca')!;
  const account = await ctx.services.financialAccounts.ownershipById(accountId, ownershipId, id);
  return Ownership.fromAccount(account)!;
});

/** `fcaown_….fca_…`: found among the owners of the account's current ownership. */
registerNodeLoader(['fcaown.fca'], async (ctx, id) => {
  const [ownerId, accountId] = idSegments(id, 'fcaown.fca')!;
  const { owner } = await ctx.services.financialAccounts.ownerById(accountId, ownerId, id);
  return AccountOwner.fromStripe(owner, accountId);
});

/**
 * Nothing when the account arrived with its ownership embedded: it carries its owners, which answer a first page
 * (financial-accounts.service.ts `owners`). Else one request (the owners list, or the account with its ownership).
 * Not counted: an account with more owners than the page asks for, whose first page costs one more list.
 */
const createdCost: StripeCost = ({ parent }) => (parent.ownershipEmbedded ? 0 : 1);

/** As {@link createdCost}; a page after a cursor is always one owners list. */
const ownersCost: StripeCost = ({ parent, args }) => (parent.ownershipEmbedded && !args.after ? 0 : 1);

@Resolver(() => Ownership)
export class OwnershipResolver {
  /** Costs one `GET account?expand[]=ownership` (Stripe has no ownership endpoint); only when selected. */
  @Cost({ stripeCalls: createdCost })
  @FieldResolver(() => DateTime)
  async created(@Root() ownership: Ownership, @Ctx() ctx: GatewayContext): Promise<Date> {
    const o = await ctx.services.financialAccounts.ownership(ownership.account);
    if (!o) throw new Error(`ownership of ${ownership.account.id} vanished`);
    return ownershipCreated(o);
  }

  @Cost({ stripeCalls: ownersCost })
  @FieldResolver(() => AccountOwnerConnection)
  async owners(
    @Root() ownership: Ownership,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<AccountOwner>> {
    const page = pageParams(args.first, args.after);
    const result = await ctx.services.financialAccounts.owners(ownership.account, page);
    const accountId = ownership.account.id;
    return pageConnection(result, (o) => AccountOwner.fromStripe(o, accountId), { after: args.after });
  }
}
