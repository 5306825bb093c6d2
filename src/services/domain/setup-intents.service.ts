// SetupIntents that save a linked account for future ACH debits: create (and confirm) one.
import { INTENT_EXPAND, setupIntentKey, type SetupIntent } from '../stripe/loaders';
import { withoutClientSecret } from '../stripe/stripe-objects';
import { replaceCached, stripeWrite } from '../stripe/stripe-write';
import { achDebitParams, debitSource, onlineMandateData, type MandateAcceptance } from './ach-debit';
import { scopedIdempotencyKey } from './idempotency';
import type { ServiceBase } from './service-base';

/** Inputs of {@link SetupIntentsService.create}, already validated by the resolver. */
export interface CreateAchSetupParams {
  customerId: string;
  financialAccountId: string;
  billingName: string;
  /** The client's idempotency key (scoped to the caller here, services/domain/idempotency.ts). */
  idempotencyKey: string;
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
   * user's acceptance may name the time (the same on every retry).
   */
  async create(params: CreateAchSetupParams, mandate: MandateAcceptance): Promise<SetupIntent> {
    const { stripe, caller, loaders, reads } = this.base;
    const idempotencyKey = scopedIdempotencyKey(caller, 'createSetupIntent', params.idempotencyKey);
    const mandateData = onlineMandateData(mandate);
    const source = await debitSource(this.base, params.customerId, params.financialAccountId);
    const si = await stripeWrite(() =>
      stripe.setupIntents.create(
        {
          ...achDebitParams(caller, source, params.billingName),
          usage: 'off_session',
          confirm: true,
          mandate_data: mandateData,
          expand: INTENT_EXPAND,
        },
        { idempotencyKey },
      ),
    );
    return replaceCached(withoutClientSecret(si), loaders.setupIntent, reads, [setupIntentKey(si.id)]);
  }
}
