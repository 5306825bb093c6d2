// Tenancy: traces every object to its customer and the customer to its partner, with the request's loaders.
import { ErrorCode, GatewayError, notFound } from '../../platform/errors';
import { idPrefix, requireId, STRIPE_ID_PREFIXES } from '../stripe/ids';
import type { Caller } from '../auth/auth';
import { holderCustomerId, intentCustomerId } from '../stripe/stripe-objects';
import type {
  FcAccount,
  FcSession,
  FcTransaction,
  Mandate,
  PaymentIntent,
  PaymentMethod,
  SetupIntent,
  StripeLoaders,
  V1Customer,
  V2Account,
} from '../stripe/loader-types';

/** The metadata key that ties a Stripe customer to the partner that created it through the gateway. */
export const PARTNER_METADATA_KEY = 'gateway_partner_id';
/**
 * The metadata key that names the customer a PaymentMethod was saved for. Why: Stripe empties a
 * PaymentMethod's `customer` when it is detached, and its owner must still be able to read it (a past
 * payment's method) and be told "detached" rather than "not found" when it tries to debit it.
 */
export const CUSTOMER_METADATA_KEY = 'gateway_customer_id';

/** Customer id prefixes: v1 Customer (`cus_`) and v2 customer-configured Account (`acct_`). */
const CUSTOMER_ID_PREFIXES = [...STRIPE_ID_PREFIXES.customer, ...STRIPE_ID_PREFIXES.customerAccount] as const;

/** `id` when it is a well-formed customer id of either model, else null (e.g. a Connect-account holder). */
function wellFormedCustomerId(id: string | null): string | null {
  const prefix = id ? idPrefix(id) : null;
  return prefix && (CUSTOMER_ID_PREFIXES as readonly string[]).includes(prefix) ? id : null;
}

/** Whether `id` is a well-formed customer id of either model (checked before it is sent to Stripe). */
export const isCustomerId = (id: string): boolean => wellFormedCustomerId(id) !== null;

/** A customer the caller may see, in either of Stripe's two models. */
export type OwnedCustomer =
  | { model: 'customer'; id: string; object: Exclude<V1Customer, { deleted: true }> }
  | { model: 'account'; id: string; object: V2Account };

/**
 * Why one class and NOT_FOUND everywhere: the partner id lives only in the Stripe customer's metadata
 * (the gateway is stateless), so every object is traced object → account → account holder → customer →
 * metadata.gateway_partner_id. A foreign object, an object not created through the gateway and a
 * nonexistent id all get the identical error (`<Type> <id> was not found.`), so ids cannot be probed.
 * Every lookup uses the request's loaders: an object already loaded costs no further Stripe request.
 */
export class OwnershipService {
  constructor(
    private readonly caller: Caller,
    private readonly loaders: StripeLoaders,
  ) {}

  /**
   * The caller's customer `id` (v1 or v2 model).
   * @throws BAD_USER_INPUT for a malformed id; NOT_FOUND when it does not exist or is not the caller's.
   */
  async customer(id: string, field = 'customerId'): Promise<OwnedCustomer> {
    requireId(id, CUSTOMER_ID_PREFIXES, field);
    // An end user's token names exactly one customer: anything else is invisible without asking Stripe.
    if (this.caller.kind === 'customer' && this.caller.customerId !== id) throw notFound('Customer', id);
    const found = await this.uniformNotFound('Customer', id, async (): Promise<OwnedCustomer | null> => {
      if (id.startsWith('cus_')) {
        const c = await this.loaders.customer.load(id);
        if ('deleted' in c && c.deleted) return null;
        return { model: 'customer', id, object: c as Exclude<V1Customer, { deleted: true }> };
      }
      const a = await this.loaders.customerAccount.load(id);
      // Only customer-configured Accounts are customers; a merchant/recipient account is not.
      if (!a.applied_configurations?.includes('customer') || a.closed) return null;
      return { model: 'account', id, object: a };
    });
    if (!found || found.object.metadata?.[PARTNER_METADATA_KEY] !== this.caller.partnerId) {
      throw notFound('Customer', id);
    }
    return found;
  }

  /** The caller's FC account `id`. @throws NOT_FOUND when not the caller's (or BAD_USER_INPUT if malformed). */
  async account(id: string, field = 'accountId'): Promise<FcAccount> {
    requireId(id, STRIPE_ID_PREFIXES.financialAccount, field);
    return this.traced('FinancialAccount', id, () => this.loaders.account.load(id), holderCustomerId);
  }

  /** Checks an account that arrived inside a list or another object (no request when its customer is loaded). */
  async checkAccount(account: FcAccount): Promise<FcAccount> {
    return this.traced('FinancialAccount', account.id, async () => account, holderCustomerId);
  }

  /** The caller's FC session `id` (without its client_secret). */
  async session(id: string, field = 'id'): Promise<FcSession> {
    requireId(id, STRIPE_ID_PREFIXES.session, field);
    return this.traced(
      'FinancialConnectionsSession',
      id,
      () => this.loaders.session.load(id),
      holderCustomerId,
    );
  }

  /** The caller's FC transaction `id`, traced through its account. */
  async transaction(id: string, field = 'id'): Promise<FcTransaction> {
    requireId(id, STRIPE_ID_PREFIXES.transaction, field);
    const txn = await this.uniformNotFound('Transaction', id, () => this.loaders.transaction.load(id));
    await this.uniformNotFound('Transaction', id, () => this.account(txn.account));
    return txn;
  }

  /**
   * The caller's PaymentIntent `id`: traced pi → customer (`customer` or `customer_account`) → partner.
   * NOT_FOUND is identical for nonexistent, foreign and not-made-by-the-gateway intents.
   */
  async paymentIntent(id: string, field = 'id'): Promise<PaymentIntent> {
    requireId(id, STRIPE_ID_PREFIXES.paymentIntent, field);
    return this.traced('PaymentIntent', id, () => this.loaders.paymentIntent.load(id), intentCustomerId);
  }

  /** The caller's SetupIntent `id`, traced seti → customer → partner. */
  async setupIntent(id: string, field = 'id'): Promise<SetupIntent> {
    requireId(id, STRIPE_ID_PREFIXES.setupIntent, field);
    return this.traced('SetupIntent', id, () => this.loaders.setupIntent.load(id), intentCustomerId);
  }

  /**
   * The caller's PaymentMethod `id`: traced pm → customer (its `customer`, or once detached the customer the
   * gateway saved it for, {@link CUSTOMER_METADATA_KEY}) → partner.
   */
  async paymentMethod(id: string, field = 'id'): Promise<PaymentMethod> {
    requireId(id, STRIPE_ID_PREFIXES.paymentMethod, field);
    return this.traced(
      'PaymentMethod',
      id,
      () => this.loaders.paymentMethod.load(id),
      paymentMethodCustomerId,
    );
  }

  /** The caller's Mandate `id`, traced mandate → its PaymentMethod → customer → partner. */
  async mandate(id: string, field = 'id'): Promise<Mandate> {
    requireId(id, STRIPE_ID_PREFIXES.mandate, field);
    return this.uniformNotFound('Mandate', id, async () => {
      const mandate = await this.loaders.mandate.load(id);
      const pm = mandate.payment_method;
      await this.paymentMethod(typeof pm === 'string' ? pm : pm.id, field);
      return mandate;
    });
  }

  /**
   * Loads `what` `id` and checks that `customerOf` it is one of the caller's customers. Anything but a
   * well-formed customer id (a Connect-account holder, none at all) was not made by this gateway.
   */
  private async traced<T>(
    what: string,
    id: string,
    load: () => Promise<T>,
    customerOf: (object: T) => string | null,
  ): Promise<T> {
    return this.uniformNotFound(what, id, async () => {
      const object = await load();
      const customerId = wellFormedCustomerId(customerOf(object));
      if (!customerId) throw notFound(what, id);
      await this.customer(customerId);
      return object;
    });
  }

  /**
   * The one place a NOT_FOUND (Stripe's 404, mapped by the loaders, or a tenancy miss) becomes the
   * uniform `<what> <id> was not found.`
   */
  private async uniformNotFound<T>(what: string, id: string, load: () => Promise<T>): Promise<T> {
    try {
      return await load();
    } catch (e) {
      if (e instanceof GatewayError && e.extensions.code === ErrorCode.NOT_FOUND) {
        throw notFound(what, id);
      }
      throw e;
    }
  }
}

/** The customer a PaymentMethod is (or, detached, was) saved for; see {@link CUSTOMER_METADATA_KEY}. */
export function paymentMethodCustomerId(pm: PaymentMethod): string | null {
  const attached = intentCustomerId({
    customer: pm.customer,
    customer_account: (pm as { customer_account?: string | null }).customer_account,
  });
  return attached ?? pm.metadata?.[CUSTOMER_METADATA_KEY] ?? null;
}
