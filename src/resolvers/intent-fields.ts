// What the PaymentIntent and SetupIntent types share: the fields mapped alike, and their customer / financialAccount.
import type { GatewayContext } from '../context';
import { ErrorCode, GatewayError } from '../platform/errors';
import type {
  PaymentIntent,
  PaymentMethod as StripePaymentMethod,
  SetupIntent,
} from '../services/domain/stripe-types';
import { financialAccountIdOf, intentCustomerId } from '../services/domain/stripe-readers';
import { Customer } from './customer.type';
import { FinancialAccount } from './financial-account.type';
import { fromUnix } from './scalars';
import { PaymentMethod } from './payment-method.type';
import { Mandate } from './mandate.type';

/**
 * The fields both intent types take from Stripe the same way; `customerId` and `financialAccountId` feed the
 * `customer` and `financialAccount` field resolvers (not GraphQL fields themselves).
 * @param intent retrieved with `expand[]=payment_method` (an unexpanded payment_method leaves
 * financialAccountId null rather than costing another request).
 */
export function commonIntentFields(intent: PaymentIntent | SetupIntent) {
  return {
    id: intent.id,
    created: fromUnix(intent.created),
    livemode: intent.livemode,
    customerId: intentCustomerId(intent),
    financialAccountId: financialAccountIdOf(intent.payment_method),
  };
}

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
  return nullWhenNotFound(async () =>
    FinancialAccount.fromStripe(await ctx.services.ownership.account(accountId, 'financialAccountId')),
  );
}

/**
 * The PaymentMethod an intent used: the copy Stripe embedded in the caller's intent (no request), else
 * loaded and tenancy-checked; null when no longer visible, as for financialAccount.
 */
export async function intentPaymentMethod(
  ctx: GatewayContext,
  id: string | null,
  embedded: StripePaymentMethod | null,
): Promise<PaymentMethod | null> {
  if (embedded) return PaymentMethod.fromStripe(embedded);
  if (!id) return null;
  return nullWhenNotFound(async () =>
    PaymentMethod.fromStripe(await ctx.services.ownership.paymentMethod(id, 'paymentMethodId')),
  );
}

/** The mandate an intent saved or used, tenancy-checked; null when there is none or it is not visible. */
export async function intentMandate(ctx: GatewayContext, id: string | null): Promise<Mandate | null> {
  if (!id) return null;
  return nullWhenNotFound(async () =>
    Mandate.fromStripe(await ctx.services.ownership.mandate(id, 'mandateId')),
  );
}

async function nullWhenNotFound<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (e) {
    if (e instanceof GatewayError && e.extensions.code === ErrorCode.NOT_FOUND) return null;
    throw e;
  }
}
