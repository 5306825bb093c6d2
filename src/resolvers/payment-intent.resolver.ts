// PaymentIntents: paymentIntent(id), node(pi_…), the customer and financialAccount fields, and the ACH mutations.
import { badInput } from '../platform/errors';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { Customer } from './customer.type';
import { FinancialAccount } from './financial-account.type';
import { intentCustomer, intentFinancialAccount, intentMandate, intentPaymentMethod } from './intent-fields';
import { Mandate } from './mandate.type';
import { PaymentMethod } from './payment-method.type';
import { registerNodeLoader } from './node';
import {
  CancelPaymentIntentInput,
  ConfirmPaymentIntentInput,
  CreatePaymentIntentInput,
  PaymentIntentPayload,
} from './payment-intent.input';
import { PaymentIntent } from './payment-intent.type';
import { chooseMandateEvidence } from './mandate-evidence';
import {
  checkAchCurrency,
  checkAmount,
  checkBillingName,
  checkDebitSource,
  checkDescription,
} from './payment-intent.validation';
import { toStripeVerificationMethod } from './verification-method';
import { Cost, lookupById } from './field-cost';

/** By id, tenancy-checked: the type's own query and node(id:). */
const paymentIntentById = registerNodeLoader(['pi'], async (ctx, id) =>
  PaymentIntent.fromStripe(await ctx.services.ownership.paymentIntent(id, 'id')),
);

@Resolver(() => PaymentIntent)
export class PaymentIntentResolver {
  @Cost({ stripeCalls: lookupById(2) })
  @Query(() => PaymentIntent, { nullable: true })
  paymentIntent(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<PaymentIntent> {
    return paymentIntentById(ctx, id);
  }

  // Loaded by the intent's tenancy check.
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() pi: PaymentIntent, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return intentCustomer(ctx, pi.customerId);
  }

  // The account's GET; its holder customer is the intent's, loaded by the intent's check.
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => FinancialAccount, {
    nullable: true,
    description: 'The linked account paid from, when the payment method came from Financial Connections.',
  })
  financialAccount(@Root() pi: PaymentIntent, @Ctx() ctx: GatewayContext): Promise<FinancialAccount | null> {
    return intentFinancialAccount(ctx, pi.financialAccountId);
  }

  // Embedded: every intent is fetched with `expand[]=payment_method` (loaders.ts INTENT_EXPAND).
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => PaymentMethod, {
    nullable: true,
    description: 'The bank account debited (on a failed debit, the one that failed).',
  })
  paymentMethod(@Root() pi: PaymentIntent, @Ctx() ctx: GatewayContext): Promise<PaymentMethod | null> {
    return intentPaymentMethod(ctx, pi.paymentMethodId, pi.paymentMethodObject);
  }

  // The mandate's GET (its method embedded, whose customer the intent's check loaded).
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => Mandate, {
    nullable: true,
    description:
      'The saved mandate an off-session debit was confirmed under (createPaymentIntent with mandateId); null for an on-session payment.',
  })
  mandate(@Root() pi: PaymentIntent, @Ctx() ctx: GatewayContext): Promise<Mandate | null> {
    return intentMandate(ctx, pi.mandateId);
  }

  // Customer and account (or saved method and mandate) checks, then the create.
  @Cost({ stripeCalls: 4 })
  @Mutation(() => PaymentIntentPayload, {
    description: 'ACH Direct Debit from a linked account (needs the payment_method permission).',
  })
  async createPaymentIntent(
    @Arg('input', () => CreatePaymentIntentInput) input: CreatePaymentIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentIntentPayload> {
    // Every argument is checked before the tenancy lookups (the idempotency key too, by the service),
    // and those before the one POST.
    const amount = checkAmount(input.amount);
    const currency = checkAchCurrency(input.currency);
    const description = checkDescription(input.description);
    const source = checkDebitSource(input);
    const pi =
      source.kind === 'saved'
        ? await ctx.services.paymentIntents.createOffSession({
            customerId: input.customerId,
            paymentMethodId: source.paymentMethodId,
            mandateId: source.mandateId,
            amount,
            currency,
            description,
            idempotencyKey: input.idempotencyKey,
          })
        : await ctx.services.paymentIntents.create({
            customerId: input.customerId,
            financialAccountId: source.financialAccountId,
            amount,
            currency,
            billingName: checkBillingName(input.billingName ?? ''),
            description,
            idempotencyKey: input.idempotencyKey,
            verificationMethod: toStripeVerificationMethod(input.verificationMethod),
          });
    return { paymentIntent: PaymentIntent.fromStripe(pi) };
  }

  // The intent's GET (its check), then the confirm.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => PaymentIntentPayload, {
    description:
      "Confirms with mandate acceptance: the caller's IP (TRUST_PROXY applied) and user agent from the HTTP request, " +
      "or a partner's `mandate` input carrying the end user's.",
  })
  async confirmPaymentIntent(
    @Arg('input', () => ConfirmPaymentIntentInput) input: ConfirmPaymentIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentIntentPayload> {
    if (input.mandate?.acceptedAt != null && input.mandateAcceptedAt != null) {
      throw badInput(
        'Give the acceptance time once: mandate.acceptedAt or mandateAcceptedAt.',
        'mandateAcceptedAt',
      );
    }
    const { acceptance, evidence } = chooseMandateEvidence(ctx, input.mandate, {
      acceptedAt: input.mandateAcceptedAt
        ? { at: input.mandateAcceptedAt, field: 'mandateAcceptedAt' }
        : undefined,
      defaultToNow: true,
    });
    const pi = await ctx.services.paymentIntents.confirm(input.paymentIntentId, acceptance);
    return { paymentIntent: PaymentIntent.fromStripe(pi), mandateEvidence: evidence };
  }

  // The intent's GET (its check), then the cancel.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => PaymentIntentPayload)
  async cancelPaymentIntent(
    @Arg('input', () => CancelPaymentIntentInput) input: CancelPaymentIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<PaymentIntentPayload> {
    const pi = await ctx.services.paymentIntents.cancel(input.paymentIntentId);
    return { paymentIntent: PaymentIntent.fromStripe(pi) };
  }
}
