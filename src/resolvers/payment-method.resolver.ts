// Saved bank accounts: paymentMethod(id), node(pm_…), mandate(id), node(mandate_…), their nested fields,
// detachPaymentMethod and verifyMicrodeposits.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { requireId, STRIPE_ID_PREFIXES } from '../services/domain/stripe-readers';
import { Customer } from './customer.type';
import { FinancialAccount } from './financial-account.type';
import { intentCustomer, intentFinancialAccount, intentPaymentMethod } from './intent-fields';
import { Mandate } from './mandate.type';
import { registerNodeLoader } from './node';
import {
  DetachPaymentMethodInput,
  DetachPaymentMethodPayload,
  VerifyMicrodepositsInput,
  VerifyMicrodepositsPayload,
} from './payment-method.input';
import { PaymentMethod } from './payment-method.type';
import { PaymentIntent } from './payment-intent.type';
import { SetupIntent } from './setup-intent.type';
import { Cost, lookupById } from './field-cost';

/** By id, tenancy-checked: the types' own queries and node(id:). */
const paymentMethodById = registerNodeLoader(['pm'], async (ctx, id) =>
  PaymentMethod.fromStripe(await ctx.services.ownership.paymentMethod(id, 'id')),
);
const mandateById = registerNodeLoader(['mandate'], async (ctx, id) =>
  Mandate.fromStripe(await ctx.services.ownership.mandate(id, 'id')),
);

@Resolver(() => PaymentMethod)
export class PaymentMethodResolver {
  @Cost({ stripeCalls: lookupById(2) })
  @Query(() => PaymentMethod, { nullable: true })
  paymentMethod(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<PaymentMethod> {
    return paymentMethodById(ctx, id);
  }

  // The account's GET; its holder customer is the method's, loaded by the method's check.
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => FinancialAccount, {
    nullable: true,
    description: 'The linked account this bank account was saved from (Financial Connections).',
  })
  financialAccount(@Root() pm: PaymentMethod, @Ctx() ctx: GatewayContext): Promise<FinancialAccount | null> {
    return intentFinancialAccount(ctx, pm.financialAccountId);
  }

  // Loaded by the method's tenancy check.
  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => Customer, { nullable: true })
  customer(@Root() pm: PaymentMethod, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return intentCustomer(ctx, pm.customerId);
  }

  // The SetupIntents that saved it, their mandates embedded (loaders.ts savedMandate).
  @Cost({ stripeCalls: 1 })
  @FieldResolver(() => Mandate, {
    nullable: true,
    description:
      'The mandate this account was saved with (its newest SetupIntent): with the id, the pair createPaymentIntent ' +
      'takes for an off-session debit. Null when it was never saved with a SetupIntent.',
  })
  async mandate(@Root() pm: PaymentMethod, @Ctx() ctx: GatewayContext): Promise<Mandate | null> {
    const mandate = await ctx.services.paymentMethods.savedMandate(pm);
    return mandate ? Mandate.fromStripe(mandate) : null;
  }

  // The method and its customer (its check), then the detach.
  @Cost({ stripeCalls: 3 })
  @Mutation(() => DetachPaymentMethodPayload, {
    description:
      'Removes a saved bank account from its customer: it can no longer be debited, and its mandates end.',
  })
  async detachPaymentMethod(
    @Arg('input', () => DetachPaymentMethodInput) input: DetachPaymentMethodInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<DetachPaymentMethodPayload> {
    const pm = await ctx.services.paymentMethods.detach(input.paymentMethodId);
    return { paymentMethod: PaymentMethod.fromStripe(pm) };
  }

  // The intent's GET (its check), then the verification.
  @Cost({ stripeCalls: 2 })
  @Mutation(() => VerifyMicrodepositsPayload, {
    description:
      'Verifies the bank account of an intent in REQUIRES_ACTION (nextAction VERIFY_WITH_MICRODEPOSITS) with the ' +
      'microdeposit amounts or descriptor code. Wrong values: BAD_USER_INPUT, reason MICRODEPOSITS_MISMATCH; ' +
      'too many attempts: reason MICRODEPOSIT_ATTEMPTS_EXCEEDED.',
  })
  async verifyMicrodeposits(
    @Arg('input', () => VerifyMicrodepositsInput) input: VerifyMicrodepositsInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<VerifyMicrodepositsPayload> {
    const values = { amounts: input.amounts, descriptorCode: input.descriptorCode };
    requireId(
      input.intentId,
      [...STRIPE_ID_PREFIXES.paymentIntent, ...STRIPE_ID_PREFIXES.setupIntent],
      'intentId',
    );
    if (input.intentId.startsWith('seti_')) {
      const si = await ctx.services.setupIntents.verifyMicrodeposits(input.intentId, values);
      return { setupIntent: SetupIntent.fromStripe(si) };
    }
    const pi = await ctx.services.paymentIntents.verifyMicrodeposits(input.intentId, values);
    return { paymentIntent: PaymentIntent.fromStripe(pi) };
  }
}

@Resolver(() => Mandate)
export class MandateResolver {
  @Cost({ stripeCalls: lookupById(2) })
  @Query(() => Mandate, { nullable: true })
  mandate(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Mandate> {
    return mandateById(ctx, id);
  }

  @Cost({ stripeCalls: 0 })
  @FieldResolver(() => PaymentMethod, { nullable: true })
  paymentMethod(@Root() m: Mandate, @Ctx() ctx: GatewayContext): Promise<PaymentMethod | null> {
    return intentPaymentMethod(ctx, m.paymentMethodId, null);
  }
}
