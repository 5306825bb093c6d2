// Customer.paymentIntents: the customer's ACH PaymentIntents as a Relay connection (newest first).
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { badInput } from '../platform/errors';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/domain/stripe-readers';
import { Customer } from './customer.type';
import { PageArgs } from './page.args';
import { PaymentIntent, PaymentIntentConnection } from './payment-intent.type';
import { PaymentMethod, PaymentMethodConnection } from './payment-method.type';
import { Cost } from './field-cost';

/** Kept apart from CustomerResolver so the payments feature owns its Customer fields. */
@Resolver(() => Customer)
export class CustomerPaymentsResolver {
  /** The parent Customer was tenancy-checked when it was resolved, so its intents are the caller's. */
  // One list page.
  @Cost({ stripeCalls: 1, pure: false })
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
    return pageConnection(result, PaymentIntent.fromStripe, { after: args.after });
  }

  /** The customer's saved US bank accounts (attached us_bank_account PaymentMethods), Stripe's order. */
  // One list page.
  @Cost({ stripeCalls: 1, pure: false })
  @FieldResolver(() => PaymentMethodConnection)
  async paymentMethods(
    @Root() customer: Customer,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<PaymentMethod>> {
    const page = pageParams(args.first, args.after);
    if (page.starting_after && !page.starting_after.startsWith('pm_')) {
      throw badInput('after must be an endCursor returned by this connection.', 'after');
    }
    const result = await ctx.services.paymentMethods.listForCustomer(customer.owned, page);
    return pageConnection(result, PaymentMethod.fromStripe, { after: args.after });
  }
}
