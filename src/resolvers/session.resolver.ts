// Sessions: financialConnectionsSession(id), createFinancialConnectionsSession, and Session.accounts.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/domain/stripe-readers';
import { FinancialAccount, FinancialAccountConnection } from './financial-account.type';
import { FEATURE_TO_PREFETCH_PARAM, toStripeValue } from './financial-connections.enums';
import { registerNodeLoader } from './node';
import { PageArgs } from './page.args';
import {
  CreateFinancialConnectionsSessionInput,
  CreateFinancialConnectionsSessionPayload,
} from './session.input';
import { FinancialConnectionsSession } from './session.type';
import { Cost, lookupById } from './field-cost';

/** By id, tenancy-checked: the type's own query and node(id:). */
const sessionById = registerNodeLoader(['fcsess'], async (ctx, id) =>
  FinancialConnectionsSession.fromStripe(await ctx.services.ownership.session(id, 'id')),
);

@Resolver(() => FinancialConnectionsSession)
export class SessionResolver {
  @Cost({ stripeCalls: lookupById(2), pure: true })
  @Query(() => FinancialConnectionsSession, { nullable: true })
  financialConnectionsSession(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<FinancialConnectionsSession> {
    return sessionById(ctx, id);
  }

  // Nothing when the session embeds them all (the usual case), else one list by session.
  @Cost({ stripeCalls: 1 })
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
    const result = await ctx.services.financialAccounts.listForSession(session.raw, page);
    return pageConnection(result, FinancialAccount.fromStripe, { after: args.after });
  }

  // The customer's GET (its check), then the create.
  @Cost({ stripeCalls: 2 })
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
      accountLimit: input.limits?.accounts,
      manualEntryMode: input.manualEntry
        ? input.manualEntry.mode === 'DISABLED'
          ? 'disabled'
          : 'automatic'
        : undefined,
      idempotencyKey: input.idempotencyKey,
    });
    return { session: FinancialConnectionsSession.fromStripe(session), clientSecret };
  }
}
