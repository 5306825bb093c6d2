// Query.node: any object of the API by its id, resolved by the id's shape (its Stripe prefixes) through the Node registry.
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { notFound } from '../platform/errors';
import { idShape, Node, nodeLoaderFor } from './node';
import { Cost, lookupById } from './field-cost';

const isOwnershipId = (id: unknown) => typeof id === 'string' && idShape(id) === 'fcaowns.fca';

@Resolver(() => Node)
export class NodeResolver {
  /**
   * Why NOT_FOUND (not BAD_USER_INPUT) for unknown shapes, e.g. a bare `fcaowns_` id without its account: a uniform
   * answer keeps ids unprobeable. Ownerships, owners and webhook deliveries have qualified ids (node.ts).
   */
  // The costliest object kinds by id: a transaction and its tenancy trace; an owner (its account, its customer and
  // the owners list page that holds it). An ownership's account is retrieved with it embedded (financial-accounts
  // service `ownershipById`), so its `created` and first owners cost nothing more.
  @Cost({ stripeCalls: lookupById(3, ({ args }) => ({ ownershipEmbedded: isOwnershipId(args.id) })) })
  @Query(() => Node, {
    nullable: true,
    description:
      'Any object of this API by its `id`: a Stripe id, or for objects Stripe reaches only through another one (Ownership, AccountOwner, WebhookDelivery) the id this API gave it.',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Node | null> {
    const shape = idShape(id);
    const load = shape ? nodeLoaderFor(shape) : undefined;
    if (!load) throw notFound('Object', shape ? id : undefined);
    return load(ctx, id);
  }
}
