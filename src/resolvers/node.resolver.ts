// Query.node: any Stripe id, resolved by its prefix through the Node registry.
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { notFound } from '../platform/errors';
import { idPrefix } from '../services/domain/stripe-readers';
import { Node, nodeLoaderFor } from './node';
import { Cost, lookupById } from './field-cost';

@Resolver(() => Node)
export class NodeResolver {
  /**
   * Why NOT_FOUND (not BAD_USER_INPUT) for unknown prefixes and for `fcaowns_`/`fcaown_`: Stripe has
   * no endpoint that finds an ownership or owner by id, and a uniform answer keeps ids unprobeable.
   */
  // The costliest object kind by id: a transaction and its tenancy trace.
  @Cost({ stripeCalls: lookupById(3) })
  @Query(() => Node, { nullable: true, description: 'Any object of this API by its Stripe id.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Node | null> {
    const prefix = idPrefix(id);
    const load = prefix ? nodeLoaderFor(prefix) : undefined;
    if (!load) throw notFound('Object', prefix ? id : undefined);
    return load(ctx, id);
  }
}
