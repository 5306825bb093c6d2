// The contract's subscriptions: authorized at subscribe time like queries, each event resolved with fresh loaders.
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GatewayContext } from '../context';
import { badInput, notFound } from '../platform/errors';
import type { FcAccount } from '../services/domain/stripe-types';
import type { LiveEventOf, LiveSubscriptions } from '../services/domain/shared-services';
import { holderCustomerId, intentCustomerId } from '../services/domain/stripe-readers';
import { FinancialAccountRefreshEvent } from './financial-account-refresh-event.type';
import {
  FinancialAccountUpdateEvent,
  FinancialAccountUpdateType,
} from './financial-account-update-event.type';
import { FinancialAccount } from './financial-account.type';
import { FinancialConnectionsFeature, RefreshStatus } from './financial-connections.enums';
import { PaymentIntent, PaymentIntentStatus } from './payment-intent.type';
import { fromStripeEnum } from './enum-map';
import { fromUnix } from './scalars';
import { TransactionUpdatesAvailableEvent } from './transaction-updates-available-event.type';
import { Cost } from './field-cost';

type RefreshedArgs = { accountId?: string | null; customerId?: string | null };
type PaymentArgs = { paymentIntentId?: string | null; customerId?: string | null };

function liveOf(ctx: GatewayContext): LiveSubscriptions {
  if (!ctx.services.live) throw new Error('live events are not configured on this gateway');
  return ctx.services.live;
}

/**
 * Subscribe-time authorization, the same checks (and the same NOT_FOUND for foreign or unknown ids)
 * as the matching queries: the stream is opened only for a customer the caller may see.
 * @returns the customer whose topic carries the events.
 */
async function authorizedCustomer(
  ctx: GatewayContext,
  objectCustomer: string | null,
  customerId: string | null | undefined,
): Promise<string> {
  if (objectCustomer) {
    // An object and a customer that do not belong together: the object is not the customer's.
    if (customerId && customerId !== objectCustomer) throw notFound('Customer', customerId);
    return objectCustomer;
  }
  await ctx.services.ownership.customer(customerId!, 'customerId');
  return customerId!;
}

/**
 * The account an event is about, in this event's fresh context. The event's own snapshot is used when
 * it is the newest known state (no Stripe request: 1,000 subscribers cost nothing upstream); primed into
 * the fresh loader so nested fields reuse it. Without a snapshot (a newer event was seen first), it is
 * loaded fresh and tenancy-checked like a query.
 */
async function eventAccount(
  ctx: GatewayContext,
  accountId: string,
  snapshot?: FcAccount,
): Promise<FinancialAccount> {
  if (snapshot) return FinancialAccount.fromStripe(ctx.services.financialAccounts.adoptSnapshot(snapshot));
  return FinancialAccount.fromStripe(await ctx.services.ownership.account(accountId, 'accountId'));
}

@Resolver()
export class SubscriptionsResolver {
  // At subscribe: the account (with a v2 holder's GET) and the customer, checked; each event carries its account.
  @Cost({ stripeCalls: 3 })
  @Subscription(() => FinancialAccountRefreshEvent, {
    description:
      'Fires when a balance, ownership or transactions refresh completes (succeeded or failed). Give accountId or customerId.',
    subscribe: async ({ args, context }: { args: RefreshedArgs; context: GatewayContext }) => {
      const { accountId, customerId } = args;
      if (!accountId && !customerId) throw badInput('Give accountId or customerId.', 'accountId');
      const account = accountId ? await context.services.ownership.account(accountId, 'accountId') : null;
      const customer = await authorizedCustomer(
        context,
        account ? holderCustomerId(account) : null,
        customerId,
      );
      return liveOf(context).stream(
        'account.refreshed',
        customer,
        context.caller,
        (e) => !accountId || e.accountId === accountId,
        context.resumeKey,
      );
    },
  })
  async financialAccountRefreshed(
    @Root() event: LiveEventOf<'account.refreshed'>,
    @Ctx() ctx: GatewayContext,
    @Arg('accountId', () => ID, { nullable: true }) _accountId?: string,
    @Arg('customerId', () => ID, { nullable: true }) _customerId?: string,
  ): Promise<FinancialAccountRefreshEvent> {
    const out = new FinancialAccountRefreshEvent();
    out.financialAccount = await eventAccount(ctx, event.accountId, event.account);
    out.feature = FEATURES[event.feature];
    out.status = event.status === 'succeeded' ? RefreshStatus.SUCCEEDED : RefreshStatus.FAILED;
    out.occurredAt = fromUnix(event.occurredAt);
    return out;
  }

  // At subscribe: the customer, checked; each event carries its account.
  @Cost({ stripeCalls: 1 })
  @Subscription(() => FinancialAccountUpdateEvent, {
    description:
      "Fires when an account is linked, deactivated, reactivated or disconnected, and on Stripe's notices about it (see FinancialAccountUpdateType).",
    subscribe: async ({ args, context }: { args: { customerId: string }; context: GatewayContext }) => {
      await context.services.ownership.customer(args.customerId, 'customerId');
      return liveOf(context).stream(
        'account.updated',
        args.customerId,
        context.caller,
        undefined,
        context.resumeKey,
      );
    },
  })
  async financialAccountUpdated(
    @Root() event: LiveEventOf<'account.updated'>,
    @Ctx() ctx: GatewayContext,
    @Arg('customerId', () => ID) _customerId: string,
  ): Promise<FinancialAccountUpdateEvent> {
    const out = new FinancialAccountUpdateEvent();
    out.financialAccount = await eventAccount(ctx, event.accountId, event.account);
    out.type = UPDATE_TYPES[event.type];
    out.occurredAt = fromUnix(event.occurredAt);
    return out;
  }

  // At subscribe: the account (with a v2 holder's GET), checked.
  @Cost({ stripeCalls: 2 })
  @Subscription(() => TransactionUpdatesAvailableEvent, {
    description:
      'Fires once for each transaction refresh of the account that succeeds (a manual refresh or the daily refresh of a subscribed account), on every instance. Then sync with FinancialAccount.transactionUpdates.',
    subscribe: async ({ args, context }: { args: { accountId: string }; context: GatewayContext }) => {
      const account = await context.services.ownership.account(args.accountId, 'accountId');
      const customer = holderCustomerId(account);
      if (!customer) throw notFound('FinancialAccount', args.accountId);
      return liveOf(context).stream(
        'transactions.updated',
        customer,
        context.caller,
        (e) => e.accountId === args.accountId,
        context.resumeKey,
      );
    },
  })
  transactionUpdatesAvailable(
    @Root() event: LiveEventOf<'transactions.updated'>,
    @Arg('accountId', () => ID) _accountId: string,
  ): TransactionUpdatesAvailableEvent {
    const out = new TransactionUpdatesAvailableEvent();
    out.accountId = event.accountId;
    out.transactionRefreshId = event.transactionRefreshId;
    out.completedAt = fromUnix(event.completedAt);
    return out;
  }

  // At subscribe: the intent (with its customer) or the customer, checked; per event the intent's GET.
  @Cost({ stripeCalls: 3 })
  @Subscription(() => PaymentIntent, {
    description: 'Fires on every PaymentIntent status change (processing, succeeded, failed).',
    subscribe: async ({ args, context }: { args: PaymentArgs; context: GatewayContext }) => {
      const { paymentIntentId, customerId } = args;
      if (!paymentIntentId && !customerId)
        throw badInput('Give paymentIntentId or customerId.', 'paymentIntentId');
      const pi = paymentIntentId
        ? await context.services.ownership.paymentIntent(paymentIntentId, 'paymentIntentId')
        : null;
      const customer = await authorizedCustomer(context, pi ? intentCustomerId(pi) : null, customerId);
      return liveOf(context).stream(
        'payment_intent.updated',
        customer,
        context.caller,
        (e) => !paymentIntentId || e.paymentIntentId === paymentIntentId,
        context.resumeKey,
      );
    },
  })
  async paymentIntentUpdated(
    @Root() event: LiveEventOf<'payment_intent.updated'>,
    @Ctx() ctx: GatewayContext,
    @Arg('paymentIntentId', () => ID, { nullable: true }) _paymentIntentId?: string,
    @Arg('customerId', () => ID, { nullable: true }) _customerId?: string,
  ): Promise<PaymentIntent> {
    // Loaded fresh (the cache was invalidated before the event was published) and tenancy-checked.
    const out = PaymentIntent.fromStripe(
      await ctx.services.ownership.paymentIntent(event.paymentIntentId, 'id'),
    );
    // Why the event's status: each push reports its own transition (processing, then succeeded), even
    // when the intent has already moved on by the time this event is resolved.
    out.status = fromStripeEnum(PaymentIntentStatus, event.status, out.status);
    return out;
  }
}

const FEATURES = {
  balance: FinancialConnectionsFeature.BALANCE,
  ownership: FinancialConnectionsFeature.OWNERSHIP,
  transactions: FinancialConnectionsFeature.TRANSACTIONS,
} as const;

const UPDATE_TYPES = {
  created: FinancialAccountUpdateType.CREATED,
  deactivated: FinancialAccountUpdateType.DEACTIVATED,
  reactivated: FinancialAccountUpdateType.REACTIVATED,
  disconnected: FinancialAccountUpdateType.DISCONNECTED,
  upcoming_deactivation: FinancialAccountUpdateType.UPCOMING_DEACTIVATION,
  account_numbers_updated: FinancialAccountUpdateType.ACCOUNT_NUMBERS_UPDATED,
  upcoming_account_number_expiry: FinancialAccountUpdateType.UPCOMING_ACCOUNT_NUMBER_EXPIRY,
  supported_payment_method_types_updated: FinancialAccountUpdateType.SUPPORTED_PAYMENT_METHOD_TYPES_UPDATED,
} as const;
