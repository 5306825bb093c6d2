// Query.viewer, and Viewer.customer for end users.
import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { Customer } from './customer.type';
import { Viewer, ViewerKind } from './viewer.type';
import { Cost } from './field-cost';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Cost({ pure: true })
  @Query(() => Viewer, {
    description: 'Who is calling: a partner (API key) or one end user (customer token).',
  })
  viewer(@Ctx() ctx: GatewayContext): Viewer {
    const { caller } = ctx;
    return caller.kind === 'partner'
      ? { kind: ViewerKind.PARTNER, partnerId: caller.partnerId }
      : { kind: ViewerKind.CUSTOMER, partnerId: caller.partnerId, customerId: caller.customerId };
  }

  /** The end user's one customer (tenancy-checked like any other read); null for partner callers. */
  // The customer's GET (its check).
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => Customer, { nullable: true, description: 'Set when the caller is one end user.' })
  async customer(@Root() viewer: Viewer, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    if (!viewer.customerId) return null;
    return Customer.fromOwned(await ctx.services.ownership.customer(viewer.customerId, 'customerId'));
  }
}
