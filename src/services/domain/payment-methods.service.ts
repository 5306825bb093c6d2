// Saved bank accounts: a customer's us_bank_account PaymentMethods, their mandates, detaching one, and the checks
// an off-session debit under a saved mandate passes before anything is sent upstream.
import { ErrorCode, GatewayError, notFound } from '../../platform/errors';
import type { PageParams } from '../stripe/paging';
import { requireId, STRIPE_ID_PREFIXES } from '../stripe/ids';
import {
  mandateKey,
  paymentMethodKey,
  paymentMethodListPattern,
  savedMandateKey,
} from '../stripe/cache-keys';
import type { ListPage, Mandate, PaymentMethod } from '../stripe/loader-types';
import { ACH_PAYMENT_METHOD_TYPE } from '../stripe/loaders';
import { intentCustomerId } from '../stripe/stripe-objects';
import { replaceCached, stripeWrite } from '../stripe/stripe-write';
import { paymentMethodCustomerId, type OwnedCustomer } from './ownership.service';
import type { ServiceBase } from './service-base';

/** What an off-session debit uses: the customer, one of its saved PaymentMethods, and that method's active mandate. */
export interface SavedDebitSource {
  customer: OwnedCustomer;
  paymentMethod: PaymentMethod;
  mandate: Mandate;
}

/** Whether `pm` is still attached to a customer (Stripe empties `customer` on detach). */
export function isAttached(pm: PaymentMethod): boolean {
  return (
    intentCustomerId({
      customer: pm.customer,
      customer_account: (pm as { customer_account?: string | null }).customer_account,
    }) !== null
  );
}

/** Stripe's block on a bank account (`us_bank_account.status_details.blocked`), or null when usable. */
export function blockOf(pm: PaymentMethod): { reason: string | null; networkCode: string | null } | null {
  const blocked = pm.us_bank_account?.status_details?.blocked;
  if (!blocked) return null;
  return { reason: blocked.reason ?? null, networkCode: blocked.network_code ?? null };
}

const refusal = (message: string, field: string, reason: string) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, message, { field, reason });

export class PaymentMethodsService {
  constructor(private readonly base: ServiceBase) {}

  /** One page of the customer's saved bank accounts (tenancy-checked by the caller). Primes the per-id loader. */
  async listForCustomer(customer: OwnedCustomer, page: PageParams): Promise<ListPage<PaymentMethod>> {
    return this.base.loaders.paymentMethodList.load({ customer: customer.id, ...page });
  }

  /** The mandate `pm` (already traced to the caller) was saved with, or null: see loaders.ts `savedMandate`. */
  async savedMandate(pm: { id: string }): Promise<Mandate | null> {
    return this.base.loaders.savedMandate.load(pm.id);
  }

  /**
   * Detaches a saved bank account: it can no longer be debited, and Stripe makes its mandates inactive.
   * Tenancy first; an already detached one is refused here (Stripe would answer an error anyway).
   * Why a customer token may detach its own (unlike an off-session debit, PaymentIntentsService.createOffSession):
   * detaching only withdraws the authorization the customer gave, which is the account holder's to revoke at any
   * time (Stripe: "Mandates", https://docs.stripe.com/payments/ach-direct-debit#mandates); it moves no money.
   */
  async detach(id: string): Promise<PaymentMethod> {
    const pm = await this.base.ownership.paymentMethod(id, 'paymentMethodId');
    if (!isAttached(pm)) {
      throw refusal('This payment method is already detached.', 'paymentMethodId', 'PAYMENT_METHOD_DETACHED');
    }
    const customerId = paymentMethodCustomerId(pm);
    const detached = await stripeWrite(() => this.base.stripe.paymentMethods.detach(pm.id));
    return replaceCached(detached, this.base.loaders.paymentMethod, this.base.reads, [
      paymentMethodKey(pm.id),
      savedMandateKey(pm.id),
      ...(customerId ? [paymentMethodListPattern(customerId)] : []),
    ]);
  }

  /**
   * Checks that `customerId` may be debited off-session from `paymentMethodId` under `mandateId`, reading
   * only. Why these codes:
   * - a payment method or mandate the caller may not see, one saved for another of its customers, or a
   *   mandate of another payment method: NOT_FOUND, shaped like a nonexistent id (ids cannot be probed);
   * - the caller's own method, detached or blocked by the bank, or a mandate that is not active:
   *   BAD_USER_INPUT with `extensions.reason` (PAYMENT_METHOD_DETACHED, PAYMENT_METHOD_BLOCKED,
   *   MANDATE_INACTIVE): the fix is a new SetupIntent (a new acceptance), not another id.
   */
  async savedDebitSource(
    customerId: string,
    paymentMethodId: string,
    mandateId: string,
  ): Promise<SavedDebitSource> {
    const { ownership, reads } = this.base;
    const customer = await ownership.customer(customerId, 'customerId');
    // Why fresh reads: a debit must not pass on a cached "attached" or "active" that Stripe has since
    // changed (a lost webhook); two reads are cheap next to a refused or disputed debit.
    requireId(paymentMethodId, STRIPE_ID_PREFIXES.paymentMethod, 'paymentMethodId');
    requireId(mandateId, STRIPE_ID_PREFIXES.mandate, 'mandateId');
    await Promise.all([
      reads.invalidate(paymentMethodKey(paymentMethodId)),
      reads.invalidate(mandateKey(mandateId)),
    ]);
    const paymentMethod = await ownership.paymentMethod(paymentMethodId, 'paymentMethodId');
    if (paymentMethodCustomerId(paymentMethod) !== customer.id)
      throw notFound('PaymentMethod', paymentMethodId);
    const mandate = await ownership.mandate(mandateId, 'mandateId');
    const mandatePm =
      typeof mandate.payment_method === 'string' ? mandate.payment_method : mandate.payment_method.id;
    if (mandatePm !== paymentMethod.id) throw notFound('Mandate', mandateId);
    if (paymentMethod.type !== ACH_PAYMENT_METHOD_TYPE) throw notFound('PaymentMethod', paymentMethodId);
    if (!isAttached(paymentMethod)) {
      throw refusal(
        'This payment method is not saved to the customer (detached, or only ever used once); save the account with createSetupIntent first.',
        'paymentMethodId',
        'PAYMENT_METHOD_DETACHED',
      );
    }
    const block = blockOf(paymentMethod);
    if (block) {
      throw new GatewayError(
        ErrorCode.BAD_USER_INPUT,
        `This bank account is blocked (${block.reason ?? 'by the bank'}); it cannot be debited.`,
        { field: 'paymentMethodId', reason: 'PAYMENT_METHOD_BLOCKED', blockReason: block.reason },
      );
    }
    if (mandate.status !== 'active') {
      throw refusal(
        `This mandate is ${mandate.status}; only an active mandate authorizes a debit. Save the account again to get a new one.`,
        'mandateId',
        'MANDATE_INACTIVE',
      );
    }
    return { customer, paymentMethod, mandate };
  }
}
