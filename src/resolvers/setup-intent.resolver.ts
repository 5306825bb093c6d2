// SetupIntents: setupIntent(id), node(seti_…), its customer and financialAccount fields, and createSetupIntent.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { Customer } from './customer.type';
import { FinancialAccount } from './financial-account.type';
import { registerNodeLoader } from './node';
import { intentCustomer, intentFinancialAccount, intentMandate, intentPaymentMethod } from './intent-fields';
import { Mandate } from './mandate.type';
import { PaymentMethod } from './payment-method.type';
import { checkBillingName } from './payment-intent.validation';
import { CreateSetupIntentInput, SetupIntentPayload } from './setup-intent.input';
import { SetupIntent } from './setup-intent.type';
import { chooseMandateEvidence } from './mandate-evidence';
import { toStripeVerificationMethod } from './verification-method';
import { Cost, lookupById } from './field-cost';

/** By id, tenancy-checked: the type's own query and node(id:). */
const setupIntentById = registerNodeLoader(['seti'], async (ctx, id) =>
  SetupIntent.fromStripe(await ctx.services.ownership.setupIntent(id, 'id')),
);

@Resolver(() => SetupIntent)
export class SetupIntentResolver {
  @Cost({ stripeCalls: lookupById(2) })
  @Query(() => SetupIntent, { nullable: true })
  setupIntent(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<SetupIntent> {
    return setupIntentById(ctx, id);
  }

  // Loaded by the intent's tenancy check.
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() si: SetupIntent, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return intentCustomer(ctx, si.customerId);
  }

  // The account's GET; its holder customer is the intent's, loaded by the intent's check.
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => FinancialAccount, { nullable: true })
  financialAccount(@Root() si: SetupIntent, @Ctx() ctx: GatewayContext): Promise<FinancialAccount | null> {
    return intentFinancialAccount(ctx, si.financialAccountId);
  }

  // Embedded: every intent is fetched with `expand[]=payment_method` (loaders.ts INTENT_EXPAND).
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => PaymentMethod, {
    nullable: true,
    description: 'The bank account saved (once succeeded, one of the customer’s paymentMethods).',
  })
  paymentMethod(@Root() si: SetupIntent, @Ctx() ctx: GatewayContext): Promise<PaymentMethod | null> {
    return intentPaymentMethod(ctx, si.paymentMethodId, si.paymentMethodObject);
  }

  // The mandate's GET (its method embedded, whose customer the intent's check loaded).
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => Mandate, {
    nullable: true,
    description:
      'The multi-use mandate this SetupIntent saved: pass it with paymentMethod to createPaymentIntent for off-session debits.',
  })
  mandate(@Root() si: SetupIntent, @Ctx() ctx: GatewayContext): Promise<Mandate | null> {
    return intentMandate(ctx, si.mandateId);
  }

  // Customer and account checks, then the create.
  @Cost({ stripeCalls: 3 })
  @Mutation(() => SetupIntentPayload, { description: 'Saves a linked account for future ACH debits.' })
  async createSetupIntent(
    @Arg('input', () => CreateSetupIntentInput) input: CreateSetupIntentInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<SetupIntentPayload> {
    const billingName = checkBillingName(input.billingName);
    // No default time: see SetupIntentsService.create (a time taken now would break idempotent retries).
    const { acceptance, evidence } = chooseMandateEvidence(ctx, input.mandate);
    const si = await ctx.services.setupIntents.create(
      {
        customerId: input.customerId,
        financialAccountId: input.financialAccountId,
        billingName,
        idempotencyKey: input.idempotencyKey,
        verificationMethod: toStripeVerificationMethod(input.verificationMethod),
      },
      acceptance,
    );
    return { setupIntent: SetupIntent.fromStripe(si), mandateEvidence: evidence };
  }
}
