// SetupIntents that save a linked account for future ACH debits: create (and confirm) one.
import {
  mandateKey,
  paymentMethodKey,
  paymentMethodListPattern,
  savedMandateKey,
  setupIntentKey,
} from '../stripe/cache-keys';
import type { SetupIntent } from '../stripe/loader-types';
import { INTENT_EXPAND } from '../stripe/loaders';
import { intentCustomerId, intentPaymentMethodId, withoutClientSecret } from '../stripe/stripe-objects';
import { replaceCached, stripeWrite } from '../stripe/stripe-write';
import { achDebitParams, debitSource, type VerificationMethod } from './ach-debit';
import { onlineMandateData, type MandateAcceptance } from './mandate-evidence';
import { scopedIdempotencyKey } from './idempotency';
import { microdepositParams, submitMicrodeposits, type MicrodepositValues } from './microdeposits';
import type { ServiceBase } from './service-base';

/** Inputs of {@link SetupIntentsService.create}, already validated by the resolver. */
export interface CreateAchSetupParams {
  customerId: string;
  financialAccountId: string;
  billingName: string;
  /** The client's idempotency key (scoped to the caller here, services/domain/idempotency.ts). */
  idempotencyKey: string;
  verificationMethod?: VerificationMethod;
}

/** Reading one SetupIntent by id is a tenancy check: OwnershipService.setupIntent. */
export class SetupIntentsService {
  constructor(private readonly base: ServiceBase) {}

  /**
   * Creates and confirms, in one request, a SetupIntent that saves the linked account for off-session
   * ACH debits.
   *
   * Why confirm at creation: the contract has no confirmSetupIntent, and a SetupIntent that is never
   * confirmed saves nothing. ACH needs a mandate, so the end user's acceptance (this HTTP request's IP
   * and user agent) is sent with it, exactly as confirmPaymentIntent does.
   * Why no `accepted_at`: the request carries a client idempotency key, and Stripe compares parameters
   * on a retry; a timestamp taken now would differ on every honest retry and turn it into
   * IDEMPOTENCY_CONFLICT. Without it Stripe records the time it accepted the request; a partner passing the end
   * user's acceptance may name the time (the same on every retry), within the window every mutation applies
   * (mandate-evidence.ts: not in the future, not over 24 hours ago).
   */
  async create(params: CreateAchSetupParams, mandate: MandateAcceptance): Promise<SetupIntent> {
    const { stripe, caller } = this.base;
    const idempotencyKey = scopedIdempotencyKey(caller, 'createSetupIntent', params.idempotencyKey);
    const mandateData = onlineMandateData(mandate);
    const source = await debitSource(this.base, params.customerId, params.financialAccountId);
    return this.write(() =>
      stripe.setupIntents.create(
        {
          ...achDebitParams(caller, source, params.billingName, params.verificationMethod),
          usage: 'off_session',
          confirm: true,
          mandate_data: mandateData,
          expand: INTENT_EXPAND,
        },
        { idempotencyKey },
      ),
    );
  }

  /** As PaymentIntentsService.verifyMicrodeposits: a succeeded SetupIntent saves the account and its mandate. */
  async verifyMicrodeposits(id: string, values: MicrodepositValues): Promise<SetupIntent> {
    const params = microdepositParams(values);
    const si = await this.base.ownership.setupIntent(id, 'intentId');
    return submitMicrodeposits(
      si,
      () =>
        this.write(() =>
          this.base.stripe.setupIntents.verifyMicrodeposits(si.id, { ...params, expand: INTENT_EXPAND }),
        ),
      () => this.base.reads.invalidate(setupIntentKey(si.id)),
    );
  }

  /** Sends one write; the result replaces the cached SetupIntent, and the customer's saved methods are re-read. */
  private async write(send: () => Promise<SetupIntent>): Promise<SetupIntent> {
    const si = withoutClientSecret(await stripeWrite(send));
    const customerId = intentCustomerId(si);
    const pm = intentPaymentMethodId(si.payment_method);
    const mandate = typeof si.mandate === 'string' ? si.mandate : (si.mandate?.id ?? null);
    // What the write changed besides the intent: its saved method and mandate (a verification activates both).
    return replaceCached(si, this.base.loaders.setupIntent, this.base.reads, [
      setupIntentKey(si.id),
      ...(customerId ? [paymentMethodListPattern(customerId)] : []),
      ...(pm ? [paymentMethodKey(pm), savedMandateKey(pm)] : []),
      ...(mandate ? [mandateKey(mandate)] : []),
    ]);
  }
}
