// Linked accounts: financialAccount(id), the permission-checked data fields, and the account mutations.
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { badInput, permissionNotGranted } from '../platform/errors';
import type { RefreshFeature } from '../services/domain/financial-accounts.service';
import type { FcAccount } from '../services/domain/stripe-types';
import { Balance } from './balance.type';
import { pageConnection, type Connection } from './connection';
import { pageParams } from '../services/domain/stripe-readers';
import {
  FinancialAccountInput,
  FinancialAccountPayload,
  RefreshFinancialAccountInput,
  RefreshFinancialAccountPayload,
  SubscribeFinancialAccountInput,
} from './financial-account.input';
import { FinancialAccount } from './financial-account.type';
import {
  FEATURE_TO_REFRESH_PARAM,
  FinancialConnectionsFeature,
  TransactionStatus,
  toStripeValue,
} from './financial-connections.enums';
import { registerNodeLoader } from './node';
import { Ownership } from './ownership.type';
import { TransactionsArgs } from './page.args';
import { toUnix } from './scalars';
import { selectsNextCursor, selectsOwnershipDetail } from './selection';
import { Transaction, TransactionConnection } from './transaction.type';
import { TransactionUpdates } from './transaction-updates.type';
import { Cost, lookupById, type StripeCost } from './field-cost';

/**
 * The account's GET (its holder customer embedded; a v2 holder's customer_account costs its own GET), with its
 * ownership embedded when the selection reads it, as {@link FinancialAccountResolver.financialAccount} plans.
 */
const accountByIdCost: StripeCost = lookupById(2, ({ scope, nodes }) => ({
  ownershipEmbedded: selectsOwnershipDetail(scope, nodes),
}));

/** By id, tenancy-checked: the type's own query and node(id:). */
const accountById = registerNodeLoader(['fca'], async (ctx, id) =>
  FinancialAccount.fromStripe(await ctx.services.ownership.account(id, 'id')),
);

/**
 * Why an error and not null: a null balance means "no refresh has succeeded yet"; a missing data
 * permission is a different fact the client must be able to tell apart (contract: PERMISSION_NOT_GRANTED).
 */
function requirePermission(account: FinancialAccount, stripePermission: string): void {
  if (!account.raw.permissions?.includes(stripePermission as never))
    throw permissionNotGranted(stripePermission);
}

const refreshFeatures = (features: FinancialConnectionsFeature[]): RefreshFeature[] =>
  features.map((f) => FEATURE_TO_REFRESH_PARAM[f]);

/** What every account mutation returns: the account as the write left it. */
async function payload(written: Promise<FcAccount>): Promise<FinancialAccountPayload> {
  return { financialAccount: FinancialAccount.fromStripe(await written) };
}

const setSubscription = (ctx: GatewayContext, input: SubscribeFinancialAccountInput, on: boolean) =>
  payload(ctx.services.financialAccounts.subscribe(input.accountId, refreshFeatures(input.features), on));

@Resolver(() => FinancialAccount)
export class FinancialAccountResolver {
  @Cost({ stripeCalls: accountByIdCost, pure: true })
  @Query(() => FinancialAccount, { nullable: true })
  financialAccount(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<FinancialAccount> {
    // Owners or ownership.created selected: the account's retrieve embeds its ownership (`expand[]=ownership`).
    if (selectsOwnershipDetail(info, info.fieldNodes)) ctx.services.financialAccounts.planOwnership(id);
    return accountById(ctx, id);
  }

  @FieldResolver(() => Balance, {
    nullable: true,
    description:
      'Null until a balance refresh has succeeded. PERMISSION_NOT_GRANTED without the balances permission.',
  })
  balance(@Root() account: FinancialAccount): Balance | null {
    requirePermission(account, 'balances');
    return Balance.fromStripe(account.raw.balance);
  }

  /** Null until an ownership refresh has succeeded. PERMISSION_NOT_GRANTED without the ownership permission. */
  @FieldResolver(() => Ownership, {
    nullable: true,
    description:
      'Null until an ownership refresh has succeeded. PERMISSION_NOT_GRANTED without the ownership permission.',
  })
  ownership(@Root() account: FinancialAccount): Ownership | null {
    requirePermission(account, 'ownership');
    return Ownership.fromAccount(account.raw);
  }

  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => TransactionConnection, {
    description:
      'PERMISSION_NOT_GRANTED without the transactions permission. Newest first, as Stripe lists them.',
  })
  async transactions(
    @Root() account: FinancialAccount,
    @Args(() => TransactionsArgs) args: TransactionsArgs,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<Transaction>> {
    requirePermission(account, 'transactions');
    const page = pageParams(args.first, args.after);
    if (args.status === TransactionStatus.UNKNOWN)
      throw badInput('status UNKNOWN cannot be filtered on.', 'status');
    const result = await ctx.services.transactions.list(
      account.id,
      page,
      {
        status: args.status ? toStripeValue(args.status) : undefined,
        transactedAfter: args.transactedAfter ? toUnix(args.transactedAfter) : undefined,
        transactedBefore: args.transactedBefore ? toUnix(args.transactedBefore) : undefined,
      },
      { readAhead: selectsNextCursor(info, info.fieldNodes) },
    );
    return pageConnection(result, Transaction.fromStripe, { after: args.after });
  }

  // The transaction list page of the sync pass (never cached: its cursor state is the caller's).
  @Cost({ stripeCalls: 1, pure: false })
  @FieldResolver(() => TransactionUpdates, {
    description:
      'Incremental sync: without a cursor the whole history as `added`; with the last `nextCursor`, only what changed since (new transactions `added`, changed ones `modified`, voided ones `removed`). New data arrives with each succeeded transaction refresh (subscribe to transactionUpdatesAvailable). PERMISSION_NOT_GRANTED without the transactions permission; BAD_USER_INPUT for a cursor not issued for this account.',
  })
  async transactionUpdates(
    @Root() account: FinancialAccount,
    @Ctx() ctx: GatewayContext,
    @Arg('cursor', () => String, { nullable: true }) cursor?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first?: number | null,
  ): Promise<TransactionUpdates> {
    requirePermission(account, 'transactions');
    const r = await ctx.services.transactionSync.updates(account.raw, cursor, first ?? 100);
    const out = new TransactionUpdates();
    out.added = r.added.map(Transaction.fromStripe);
    out.modified = r.modified.map(Transaction.fromStripe);
    out.removed = r.removed;
    out.nextCursor = r.nextCursor;
    out.hasMore = r.hasMore;
    return out;
  }

  // The account's GET (its check and permissions), then the refresh.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => RefreshFinancialAccountPayload, {
    description:
      'Starts refreshes of the given features (BALANCE is sent to Stripe as `balance`). Refreshes complete asynchronously: poll the *Refresh fields or subscribe to financialAccountRefreshed.',
  })
  refreshFinancialAccount(
    @Arg('input', () => RefreshFinancialAccountInput) input: RefreshFinancialAccountInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<RefreshFinancialAccountPayload> {
    return payload(ctx.services.financialAccounts.refresh(input.accountId, refreshFeatures(input.features)));
  }

  // The account's GET (its check), then the disconnect.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => FinancialAccountPayload)
  disconnectFinancialAccount(
    @Arg('input', () => FinancialAccountInput) input: FinancialAccountInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<FinancialAccountPayload> {
    return payload(ctx.services.financialAccounts.disconnect(input.accountId));
  }

  // The account's GET (its check), then the subscribe.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => FinancialAccountPayload)
  subscribeFinancialAccount(
    @Arg('input', () => SubscribeFinancialAccountInput) input: SubscribeFinancialAccountInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<FinancialAccountPayload> {
    return setSubscription(ctx, input, true);
  }

  // The account's GET (its check), then the unsubscribe.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => FinancialAccountPayload)
  unsubscribeFinancialAccount(
    @Arg('input', () => SubscribeFinancialAccountInput) input: SubscribeFinancialAccountInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<FinancialAccountPayload> {
    return setSubscription(ctx, input, false);
  }
}
