// Customers: customer(id), customers (partner's own, via search), createCustomer, createCustomerToken, and the
// Customer.financialAccounts connection.
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { badInput } from '../platform/errors';
import { requirePartner } from '../services/domain/customers.service';
import { pageConnection, type Connection } from './connection';
import { MAX_FILTER_SCAN_PAGES, pageParams } from '../services/domain/stripe-readers';
import {
  CreateCustomerInput,
  CreateCustomerPayload,
  CreateCustomerTokenInput,
  CreateCustomerTokenPayload,
} from './customer.input';
import { Customer, CustomerModel } from './customer.type';
import { CustomerConnection } from './customer-connection.type';
import { FinancialAccount, FinancialAccountConnection } from './financial-account.type';
import { FinancialAccountStatus, toStripeValue } from './financial-connections.enums';
import { registerNodeLoader } from './node';
import { CustomersArgs, FinancialAccountsArgs } from './page.args';
import {
  argumentsOf,
  childFields,
  connectionItems,
  selectsOwnershipDetail,
  type SelectionScope,
} from './selection';
import { Cost, lookupById, type StripeCost } from './field-cost';

/** What the selected accounts need embedded in their list (`expand[]=data.ownership` for owners/created). */
const listExpand = (info: SelectionScope, connectionNodes: GraphQLResolveInfo['fieldNodes']) => ({
  ownership: selectsOwnershipDetail(info, connectionItems(info, connectionNodes)),
});

/**
 * One account list (with a status filter, up to MAX_FILTER_SCAN_PAGES pages of 100); its accounts carry their
 * ownership when {@link listExpand} embeds it, as the list below does.
 */
const accountListCost: StripeCost = ({ scope, nodes, args }) => ({
  calls: args.status ? MAX_FILTER_SCAN_PAGES : 1,
  facts: { ownershipEmbedded: listExpand(scope, nodes).ownership },
});

/** By id, tenancy-checked: the type's own query and node(id:). */
const customerById = registerNodeLoader(['cus', 'acct'], async (ctx, id) =>
  Customer.fromOwned(await ctx.services.ownership.customer(id, 'id')),
);

@Resolver(() => Customer)
export class CustomerResolver {
  // The customer's GET (a v1 customer's selected account list embeds it instead: planForCustomer).
  @Cost({ stripeCalls: lookupById(1), pure: true })
  @Query(() => Customer, { nullable: true })
  async customer(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Customer> {
    // Selected accounts are listed first: the list embeds the customer, whose copy is the tenancy proof.
    const [accounts] = childFields(info, info.fieldNodes, 'financialAccounts');
    const args = accounts ? argumentsOf(info, 'Customer', accounts) : null;
    if (accounts && args) {
      const status = args.status as FinancialAccountStatus | undefined;
      let page: ReturnType<typeof pageParams> | null = null;
      try {
        page = pageParams(args.first as number | undefined, args.after as string | undefined);
      } catch {
        // Invalid paging is the connection's own error to report.
      }
      if (page && status !== FinancialAccountStatus.UNKNOWN) {
        await ctx.services.financialAccounts.planForCustomer(
          id,
          page,
          status ? toStripeValue(status) : undefined,
          listExpand(info, [accounts]),
        );
      }
    }
    return customerById(ctx, id);
  }

  // One customer search page.
  @Cost({ stripeCalls: 1, pure: true })
  @Query(() => CustomerConnection, {
    description:
      "Partner callers only: the partner's own customers, newest first. v1 Customers (CUSTOMER model) only: " +
      "it uses Stripe's customer search on metadata gateway_partner_id, which is eventually consistent, so a " +
      'customer created moments ago may be missing for up to a minute (query customer(id) to read one just ' +
      'created). Cursors are opaque: pass endCursor back as after.',
  })
  async customers(
    @Args(() => CustomersArgs) args: CustomersArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<Customer>> {
    requirePartner(ctx.caller, 'list customers');
    const { limit } = pageParams(args.first, undefined);
    const page = await ctx.services.customers.search(limit, args.after ?? undefined, args.email);
    // Stripe search pages by an opaque next_page token rather than by object id: the last edge carries it.
    const endCursor = page.has_more ? page.next_page : null;
    const last = page.data.length - 1;
    return pageConnection(
      { data: page.data, has_more: page.has_more && !!page.next_page, endCursor },
      Customer.fromOwned,
      { after: args.after, cursorOf: (c, i) => (i === last && endCursor ? endCursor : c.id) },
    );
  }

  @Cost({ stripeCalls: accountListCost, pure: true })
  @FieldResolver(() => FinancialAccountConnection)
  async financialAccounts(
    @Root() customer: Customer,
    @Args(() => FinancialAccountsArgs) args: FinancialAccountsArgs,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<FinancialAccount>> {
    const page = pageParams(args.first, args.after);
    if (args.status === FinancialAccountStatus.UNKNOWN)
      throw badInput('status UNKNOWN cannot be filtered on.', 'status');
    const result = await ctx.services.financialAccounts.listForCustomer(
      customer.owned,
      page,
      args.status ? toStripeValue(args.status) : undefined,
      listExpand(info, info.fieldNodes),
    );
    return pageConnection(result, FinancialAccount.fromStripe, { after: args.after });
  }

  // The create.
  @Cost({ stripeCalls: 1 })
  @Mutation(() => CreateCustomerPayload, {
    description: 'Partner callers. Tags the Stripe object with the partner so only that partner can see it.',
  })
  async createCustomer(
    @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreateCustomerPayload> {
    const owned = await ctx.services.customers.create({
      email: input.email,
      name: input.name,
      model: input.model === CustomerModel.ACCOUNT ? 'account' : 'customer',
      idempotencyKey: input.idempotencyKey,
    });
    return { customer: Customer.fromOwned(owned) };
  }

  // The customer's GET (its check).
  @Cost({ stripeCalls: 1 })
  @Mutation(() => CreateCustomerTokenPayload, {
    description: 'Partner callers: a short-lived token that lets one end user act on one customer.',
  })
  async createCustomerToken(
    @Arg('input', () => CreateCustomerTokenInput) input: CreateCustomerTokenInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreateCustomerTokenPayload> {
    const { caller } = ctx;
    requirePartner(caller, 'create customer tokens');
    const ttl = input.ttlSeconds ?? 900;
    if (!Number.isInteger(ttl) || ttl < 60 || ttl > 24 * 3600) {
      throw badInput('ttlSeconds must be between 60 and 86400.', 'ttlSeconds');
    }
    await ctx.services.ownership.customer(input.customerId);
    return ctx.services.authenticator.issueCustomerToken(caller.partnerId, input.customerId, ttl);
  }
}
