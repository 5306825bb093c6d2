// Customer.paymentIntents: the customer's ACH PaymentIntents as a Relay connection (newest first).
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { badInput } from '../platform/errors';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/stripe/paging';
import { Customer } from './customer.type';
import { PageArgs } from './page.args';
import { PaymentIntent, PaymentIntentConnection } from './payment-intent.type';

/** Kept apart from CustomerResolver so the payments feature owns its one Customer field. */
@Resolver(() => Customer)
export class CustomerPaymentsResolver {
  /** The parent Customer was tenancy-checked when it was resolved, so its intents are the caller's. */
  @FieldResolver(() => PaymentIntentConnection)
  async paymentIntents(
    @Root() customer: Customer,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<PaymentIntent>> {
    const page = pageParams(args.first, args.after);
    if (page.starting_after && !page.starting_after.startsWith('pi_')) {
      throw badInput('after must be an endCursor returned by this connection.', 'after');
    }
    const result = await ctx.services.paymentIntents.listForCustomer(customer.owned, page);
    return pageConnection(result, PaymentIntent.fromStripe);
  }
}
