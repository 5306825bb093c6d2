// Query.viewer.
import { Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { Viewer, ViewerKind } from './viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, {
    description: 'Who is calling: a partner (API key) or one end user (customer token).',
  })
  viewer(@Ctx() ctx: GatewayContext): Viewer {
    const { caller } = ctx;
    return caller.kind === 'partner'
      ? { kind: ViewerKind.PARTNER, partnerId: caller.partnerId }
      : { kind: ViewerKind.CUSTOMER, partnerId: caller.partnerId, customerId: caller.customerId };
  }
}
