// ACH Direct Debit PaymentIntents from linked accounts: a customer's list, and create / confirm / cancel.
import { forbidden } from '../../platform/errors';
import type { PageParams } from '../stripe/paging';
import { paymentIntentKey, paymentIntentListPattern } from '../stripe/cache-keys';
import type { ListPage, PaymentIntent } from '../stripe/loader-types';
import { customerParam, INTENT_EXPAND } from '../stripe/loaders';
import { intentCustomerId, intentPaymentMethodId, withoutClientSecret } from '../stripe/stripe-objects';
import { replaceCached, stripeWrite } from '../stripe/stripe-write';
import { achDebitParams, debitSource, type VerificationMethod } from './ach-debit';
import { onlineMandateData, type MandateAcceptance } from './mandate-evidence';
import { scopedIdempotencyKey } from './idempotency';
import { microdepositParams, submitMicrodeposits, type MicrodepositValues } from './microdeposits';
import { PARTNER_METADATA_KEY, type OwnedCustomer } from './ownership.service';
import { paymentMethodKey, paymentMethodListPattern } from '../stripe/cache-keys';
import type { PaymentMethodsService } from './payment-methods.service';
import type { ServiceBase } from './service-base';

/**
 * The metadata key naming the saved mandate an off-session PaymentIntent was confirmed under. Why: Stripe's
 * PaymentIntent has no `mandate` field (only the create parameter), and `PaymentIntent.mandate` must say
 * which authorization a recurring debit used.
 */
export const MANDATE_METADATA_KEY = 'gateway_mandate_id';

/** Inputs of {@link PaymentIntentsService.create}, already validated by the resolver. */
export interface CreateAchPaymentParams {
  customerId: string;
  financialAccountId: string;
  amount: number;
  currency: string;
  billingName: string;
  description?: string | null;
  /** The client's idempotency key (scoped to the caller here, services/domain/idempotency.ts). */
  idempotencyKey: string;
  verificationMethod?: VerificationMethod;
}

/** Inputs of {@link PaymentIntentsService.createOffSession}, already validated by the resolver. */
export interface CreateSavedDebitParams {
  customerId: string;
  paymentMethodId: string;
  mandateId: string;
  amount: number;
  currency: string;
  description?: string | null;
  idempotencyKey: string;
}

/** Reading one PaymentIntent by id is a tenancy check: OwnershipService.paymentIntent. */
export class PaymentIntentsService {
  constructor(
    private readonly base: ServiceBase,
    private readonly paymentMethods: PaymentMethodsService,
    private readonly followPayment: (paymentIntentId: string) => void = () => undefined,
  ) {}

  /**
   * One page of a customer's PaymentIntents, newest first (Stripe's order). The customer was
   * tenancy-checked by the caller, so its intents are the caller's. Primes the per-id loader.
   */
  async listForCustomer(customer: OwnedCustomer, page: PageParams): Promise<ListPage<PaymentIntent>> {
    return this.base.loaders.paymentIntentList.load({ customer: customer.id, ...page });
  }

  /**
   * Creates an ACH PaymentIntent debiting a linked account. The idempotency key, tenancy and the account's
   * payment ability are checked first: nothing is POSTed for a foreign or unusable account.
   * Stripe replays the first response for a repeated Idempotency-Key, so a retried mutation returns the
   * same PaymentIntent; the same key with other parameters is IDEMPOTENCY_CONFLICT.
   */
  async create(params: CreateAchPaymentParams): Promise<PaymentIntent> {
    const { stripe, caller } = this.base;
    const idempotencyKey = scopedIdempotencyKey(caller, 'createPaymentIntent', params.idempotencyKey);
    const source = await debitSource(this.base, params.customerId, params.financialAccountId);
    return this.write(() =>
      stripe.paymentIntents.create(
        {
          amount: params.amount,
          currency: params.currency,
          ...achDebitParams(caller, source, params.billingName, params.verificationMethod),
          ...(params.description ? { description: params.description } : {}),
          expand: INTENT_EXPAND,
        },
        { idempotencyKey },
      ),
    );
  }

  /**
   * The recurring debit: created and confirmed in one request from a saved PaymentMethod under its saved
   * mandate (`mandate`, `off_session=true`), with no new acceptance. Every check is a read
   * (PaymentMethodsService.savedDebitSource): a foreign, detached or blocked method or an inactive
   * mandate never reaches Stripe's POST.
   */
  async createOffSession(params: CreateSavedDebitParams): Promise<PaymentIntent> {
    const { stripe, caller } = this.base;
    // Why partner keys only: off-session means the customer is not there (Stripe's `off_session`, "Save and reuse"
    // in https://docs.stripe.com/payments/ach-direct-debit/set-up-payment); a request with the customer's own token
    // is the customer present, and a recurring debit under a saved mandate is the partner's server's to start.
    // Refused before any read, so it answers alike whatever the ids (docs/security-catalogue.md PA4).
    if (caller.kind !== 'partner') {
      throw forbidden('Only a partner key may start an off-session debit from a saved account.');
    }
    const idempotencyKey = scopedIdempotencyKey(caller, 'createPaymentIntent', params.idempotencyKey);
    const source = await this.paymentMethods.savedDebitSource(
      params.customerId,
      params.paymentMethodId,
      params.mandateId,
    );
    const created = await this.write(() =>
      stripe.paymentIntents.create(
        {
          amount: params.amount,
          currency: params.currency,
          ...customerParam(source.customer.id),
          payment_method_types: ['us_bank_account'],
          payment_method: source.paymentMethod.id,
          mandate: source.mandate.id,
          off_session: true,
          confirm: true,
          metadata: { [PARTNER_METADATA_KEY]: caller.partnerId, [MANDATE_METADATA_KEY]: source.mandate.id },
          ...(params.description ? { description: params.description } : {}),
          expand: INTENT_EXPAND,
        },
        { idempotencyKey },
      ),
    );
    // Confirmed in the same request, so the follow-up cannot see its id in the path: it is told. ACH debits settle
    // from `processing` (docs/stripe-facts.md §6).
    if (created.status === 'processing') this.followPayment(created.id);
    return created;
  }

  /**
   * Verifies the bank account with the microdeposits' amounts or descriptor code. The intent must be the
   * caller's and waiting for exactly this (checked on a read); Stripe's wrong-value and attempt-limit
   * refusals become BAD_USER_INPUT with a reason (microdeposits.ts).
   */
  async verifyMicrodeposits(id: string, values: MicrodepositValues): Promise<PaymentIntent> {
    const params = microdepositParams(values);
    const pi = await this.base.ownership.paymentIntent(id, 'intentId');
    return submitMicrodeposits(
      pi,
      () =>
        this.write(() =>
          this.base.stripe.paymentIntents.verifyMicrodeposits(pi.id, { ...params, expand: INTENT_EXPAND }),
        ),
      () => this.base.reads.invalidate(paymentIntentKey(pi.id)),
    );
  }

  /**
   * Confirms with `mandate_data[customer_acceptance]` (online, the end user's IP and user agent). ACH then
   * moves to `processing`, and later to `succeeded` or back to `requires_payment_method`.
   */
  async confirm(id: string, mandate: MandateAcceptance): Promise<PaymentIntent> {
    const pi = await this.base.ownership.paymentIntent(id, 'paymentIntentId');
    // Not before the payment existed (mandate-evidence.ts): the end user accepts on the page that confirms it.
    const mandateData = onlineMandateData(mandate, pi.created);
    return this.write(() =>
      this.base.stripe.paymentIntents.confirm(pi.id, { mandate_data: mandateData, expand: INTENT_EXPAND }),
    );
  }

  /** Cancels (Stripe allows it before processing, docs/stripe-facts.md §6; otherwise its error is BAD_USER_INPUT). */
  async cancel(id: string): Promise<PaymentIntent> {
    const pi = await this.base.ownership.paymentIntent(id, 'paymentIntentId');
    return this.write(() => this.base.stripe.paymentIntents.cancel(pi.id, { expand: INTENT_EXPAND }));
  }

  /** Sends one write; the result replaces what this request and the read cache knew (its customer's lists too). */
  private async write(send: () => Promise<PaymentIntent>): Promise<PaymentIntent> {
    const pi = withoutClientSecret(await stripeWrite(send));
    const customerId = intentCustomerId(pi);
    const pm = intentPaymentMethodId(pi.payment_method ?? pi.last_payment_error?.payment_method);
    return replaceCached(pi, this.base.loaders.paymentIntent, this.base.reads, [
      paymentIntentKey(pi.id),
      ...(pm ? [paymentMethodKey(pm)] : []),
      ...(customerId ? [paymentIntentListPattern(customerId), paymentMethodListPattern(customerId)] : []),
    ]);
  }
}
