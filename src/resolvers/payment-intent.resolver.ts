// PaymentIntents: paymentIntent(id), node(pi_…), the customer and financialAccount fields, and the ACH mutations.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { ErrorCode, GatewayError } from '../platform/errors';
import { scopedIdempotencyKey } from '../services/domain/idempotency';
import { Customer } from './customer.type';
import { FinancialAccount } from './financial-account.type';
import { registerNodeLoader } from './node';
import {
  CancelPaymentIntentInput,
  ConfirmPaymentIntentInput,
  CreatePaymentIntentInput,
  PaymentIntentPayload,
} from './payment-intent.input';
import { PaymentIntent } from './payment-intent.type';
import {
  checkAchCurrency,
  checkAmount,
  checkBillingName,
  checkDescription,
  mandateAcceptedAt,
} from './payment-intent.validation';

registerNodeLoader(['pi'], async (ctx, id) =>
  PaymentIntent.fromStripe(await ctx.services.paymentIntents.owned(id, 'id')),
);

/** The intent's customer; it was traced to the caller when the intent was loaded, so this hits the loader. */
export async function intentCustomer(
  ctx: GatewayContext,
  customerId: string | null,
): Promise<Customer | null> {
  return customerId ? Customer.fromOwned(await ctx.services.ownership.customer(customerId)) : null;
}

/**
 * The linked account an intent debits. Why null rather than an error when it is not visible (e.g. the
 * account was disconnected and Stripe no longer returns it): the payment itself is still the caller's,
 * and one unreadable nested field must not hide it.
 */
export async function intentFinancialAccount(
  ctx: GatewayContext,
  accountId: string | null,
): Promise<FinancialAccount | null> {
  if (!accountId) return null;
  try {
    return FinancialAccount.fromStripe(await ctx.services.ownership.account(accountId, 'financialAccountId'));
  } catch (e) {
    if (e instanceof GatewayError && e.extensions.code === ErrorCode.NOT_FOUND) return null;
    throw e;
  }
}

@Resolver(() => PaymentIntent)
export class PaymentIntentResolver {
  @Query(() => PaymentIntent, { nullable: true })
  async paymentIntent(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<PaymentIntent> {
    return PaymentIntent.fromStripe(await ctx.services.paymentIntents.owned(id, 'id'));
  }

  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() pi: PaymentIntent, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return intentCustomer(ctx, pi.customerId);
  }

  @FieldResolver(() => FinancialAccount, {
    nullable: true,
    description: 'The linked account paid from, when the payment method came from Financial Connections.',
  })
  financialAccount(@Root() pi: PaymentIntent, @Ctx() ctx: GatewayContext): Promise<FinancialAccount | null> {
    return intentFinancialAccount(ctx, pi.financialAccountId);
  }

  @Mutation(() => PaymentIntentPayload, {
    description: 'ACH Direct Debit from a linked account (needs the payment_method permission).',
  })
  async createPaymentIntent(
    @Arg('input', () => CreatePaymentIntentInput) input: CreatePaymentIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentIntentPayload> {
    // Every argument is checked before the tenancy lookups, and those before the one POST.
    const amount = checkAmount(input.amount);
    const currency = checkAchCurrency(input.currency);
    const billingName = checkBillingName(input.billingName);
    const description = checkDescription(input.description);
    const idempotencyKey = scopedIdempotencyKey(ctx.caller, 'createPaymentIntent', input.idempotencyKey);
    const pi = await ctx.services.paymentIntents.create({
      customerId: input.customerId,
      financialAccountId: input.financialAccountId,
      amount,
      currency,
      billingName,
      description,
      idempotencyKey,
    });
    return { paymentIntent: PaymentIntent.fromStripe(pi) };
  }

  @Mutation(() => PaymentIntentPayload, {
    description:
      "Confirms with mandate acceptance; the caller's IP and user agent are taken from the HTTP request.",
  })
  async confirmPaymentIntent(
    @Arg('input', () => ConfirmPaymentIntentInput) input: ConfirmPaymentIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentIntentPayload> {
    const acceptedAt = mandateAcceptedAt(input.mandateAcceptedAt);
    const pi = await ctx.services.paymentIntents.confirm(input.paymentIntentId, {
      ipAddress: ctx.clientIp,
      userAgent: ctx.userAgent,
      acceptedAt,
    });
    return { paymentIntent: PaymentIntent.fromStripe(pi) };
  }

  @Mutation(() => PaymentIntentPayload)
  async cancelPaymentIntent(
    @Arg('input', () => CancelPaymentIntentInput) input: CancelPaymentIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentIntentPayload> {
    const pi = await ctx.services.paymentIntents.cancel(input.paymentIntentId);
    return { paymentIntent: PaymentIntent.fromStripe(pi) };
  }
}
