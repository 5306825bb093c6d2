// SetupIntents that save a linked account for future ACH debits: tenancy-checked reads, and create (+ confirm).
import { notFound, toGraphQLError } from '../../platform/errors';
import { requireId, STRIPE_ID_PREFIXES } from '../stripe/ids';
import { PARTNER_METADATA_KEY } from './ownership.service';
import {
  ACH_PAYMENT_METHOD,
  customerIdOf,
  customerParam,
  debitSource,
  onlineMandateData,
  uniformNotFound,
  type MandateAcceptance,
} from './payment-intents.service';
import { withoutClientSecret } from '../stripe/payment-intents.loader';
import type { ServiceBase } from './service-base';
import {
  createSetupIntentLoader,
  SETUP_INTENT_EXPAND,
  setupIntentKey,
  type SetupIntentLoader,
} from '../stripe/setup-intents.loader';
import type { Stripe } from '../stripe/stripe-client';

/** Inputs of {@link SetupIntentsService.create}, already validated by the resolver. */
export interface CreateAchSetupParams {
  customerId: string;
  financialAccountId: string;
  billingName: string;
  /** The Stripe Idempotency-Key, already scoped to the caller (services/idempotency.ts). */
  idempotencyKey: string;
}

export class SetupIntentsService {
  readonly loader: SetupIntentLoader;

  constructor(private readonly base: ServiceBase) {
    // An expanded v1 customer fills the customer loader: the tenancy check then costs no request.
    this.loader = createSetupIntentLoader(base.stripe, base.reads, (c) =>
      base.loaders.customer.prime(c.id, c),
    );
  }

  /**
   * The caller's SetupIntent `id`, traced seti → customer → partner.
   * @throws BAD_USER_INPUT for a malformed id; NOT_FOUND (one shape for nonexistent and foreign) otherwise.
   */
  async owned(id: string, field = 'id'): Promise<Stripe.SetupIntent> {
    requireId(id, STRIPE_ID_PREFIXES.setupIntent, field);
    try {
      const si = await this.loader.load(id);
      const customerId = customerIdOf(si);
      if (!customerId) throw notFound('SetupIntent', id);
      await this.base.ownership.customer(customerId);
      return si;
    } catch (e) {
      throw uniformNotFound(e, 'SetupIntent', id);
    }
  }

  /**
   * Creates and confirms, in one request, a SetupIntent that saves the linked account for off-session
   * ACH debits.
   *
   * Why confirm at creation: the contract has no confirmSetupIntent, and a SetupIntent that is never
   * confirmed saves nothing. ACH needs a mandate, so the end user's acceptance (this HTTP request's IP
   * and user agent) is sent with it, exactly as confirmPaymentIntent does.
   * Why no `accepted_at`: the request carries a client idempotency key, and Stripe compares parameters
   * on a retry; a timestamp taken now would differ on every honest retry and turn it into
   * IDEMPOTENCY_CONFLICT. Without it Stripe records the time it accepted the request.
   */
  async create(
    params: CreateAchSetupParams,
    mandate: Omit<MandateAcceptance, 'acceptedAt'>,
  ): Promise<Stripe.SetupIntent> {
    const mandateData = onlineMandateData(mandate);
    const { customer, account } = await debitSource(this.base, params.customerId, params.financialAccountId);
    const body: Stripe.SetupIntentCreateParams = {
      ...customerParam(customer.id),
      payment_method_types: [ACH_PAYMENT_METHOD],
      payment_method_data: {
        type: ACH_PAYMENT_METHOD,
        us_bank_account: { financial_connections_account: account.id },
        billing_details: { name: params.billingName },
      },
      usage: 'off_session',
      confirm: true,
      mandate_data: mandateData,
      metadata: { [PARTNER_METADATA_KEY]: this.base.caller.partnerId },
      expand: SETUP_INTENT_EXPAND,
    };
    let si: Stripe.SetupIntent;
    try {
      si = withoutClientSecret(
        await this.base.stripe.setupIntents.create(body, { idempotencyKey: params.idempotencyKey }),
      );
    } catch (e) {
      throw toGraphQLError(e);
    }
    this.loader.clear(si.id).prime(si.id, si);
    await this.base.reads.invalidate(setupIntentKey(si.id));
    return si;
  }
}
