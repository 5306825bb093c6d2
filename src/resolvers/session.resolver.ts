// Sessions: financialConnectionsSession(id), createFinancialConnectionsSession, and Session.accounts.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/stripe/paging';
import { FinancialAccount, FinancialAccountConnection } from './financial-account.type';
import { FEATURE_TO_PREFETCH_PARAM, toStripeValue } from './financial-connections.enums';
import { registerNodeLoader } from './node';
import { PageArgs } from './page.args';
import {
  CreateFinancialConnectionsSessionInput,
  CreateFinancialConnectionsSessionPayload,
} from './session.input';
import { FinancialConnectionsSession } from './session.type';

registerNodeLoader(['fcsess'], async (ctx, id) =>
  FinancialConnectionsSession.fromStripe(await ctx.services.ownership.session(id, 'id')),
);

@Resolver(() => FinancialConnectionsSession)
export class SessionResolver {
  @Query(() => FinancialConnectionsSession, { nullable: true })
  async financialConnectionsSession(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<FinancialConnectionsSession> {
    return FinancialConnectionsSession.fromStripe(await ctx.services.ownership.session(id, 'id'));
  }

  /**
   * The session object embeds its accounts, so the common case (all of them fit in `first`) costs
   * nothing; otherwise the accounts are listed with `session=<id>`.
   */
  @FieldResolver(() => FinancialAccountConnection, {
    description:
      'Accounts the user linked in this session; empty until the flow completes, or if the user exits early.',
  })
  async accounts(
    @Root() session: FinancialConnectionsSession,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<FinancialAccount>> {
    const page = pageParams(args.first, args.after);
    const embedded = session.raw.accounts;
    // Only when the embedded list is the whole set and fits the page: its order may differ from the list
    // endpoint's, so mixing the two across pages could skip or repeat accounts.
    if (!page.starting_after && embedded && !embedded.has_more && embedded.data.length <= page.limit) {
      for (const a of embedded.data) {
        await ctx.services.ownership.checkAccount(a);
        ctx.services.loaders.account.prime(a.id, a);
      }
      return pageConnection({ data: embedded.data, has_more: false }, FinancialAccount.fromStripe);
    }
    const result = await ctx.services.financialAccounts.listForSession(session.id, page);
    return pageConnection(result, FinancialAccount.fromStripe);
  }

  @Mutation(() => CreateFinancialConnectionsSessionPayload, {
    description: "Starts the authentication flow: hand clientSecret to the end user's client only.",
  })
  async createFinancialConnectionsSession(
    @Arg('input', () => CreateFinancialConnectionsSessionInput) input: CreateFinancialConnectionsSessionInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreateFinancialConnectionsSessionPayload> {
    const { session, clientSecret } = await ctx.services.sessions.create({
      customerId: input.customerId,
      permissions: input.permissions.map(toStripeValue),
      prefetch: input.prefetch?.map((f) => FEATURE_TO_PREFETCH_PARAM[f]),
      returnUrl: input.returnUrl,
      countries: input.filters?.countries,
      accountSubcategories: input.filters?.accountSubcategories?.map(toStripeValue),
      idempotencyKey: input.idempotencyKey,
    });
    return { session: FinancialConnectionsSession.fromStripe(session), clientSecret };
  }
}
