// ACH Direct Debit PaymentIntents from linked accounts: tenancy-checked reads, and create / confirm / cancel.
import {
  badInput,
  ErrorCode,
  GatewayError,
  notFound,
  permissionNotGranted,
  toGraphQLError,
} from '../../platform/errors';
import type { PageParams } from '../stripe/paging';
import { idPrefix, requireId, STRIPE_ID_PREFIXES } from '../stripe/ids';
import { holderCustomerId, intentCustomerId } from '../stripe/stripe-objects';
import type { FcAccount, ListPage } from '../stripe/loaders';
import { CUSTOMER_ID_PREFIXES, PARTNER_METADATA_KEY, type OwnedCustomer } from './ownership.service';
import {
  createPaymentIntentLoader,
  PAYMENT_INTENT_EXPAND,
  withoutClientSecret,
  paymentIntentKey,
  type PaymentIntentLoader,
} from '../stripe/payment-intents.loader';
import type { ServiceBase } from './service-base';
import type { Stripe } from '../stripe/stripe-client';

/** The only payment method this gateway creates: ACH Direct Debit (docs/stripe-facts.md §6). */
export const ACH_PAYMENT_METHOD = 'us_bank_account';
/** The FC data permission a linked account needs to be debited. */
export const PAYMENT_PERMISSION = 'payment_method';

/** The StripeReads key prefix of one customer's PaymentIntent list pages. */
export const paymentIntentListKey = (customerId: string) => `pis:${customerId}:`;

/** `customer` for a v1 Customer (cus_), `customer_account` for a v2 customer-configured Account (acct_). */
export function customerParam(customerId: string): { customer: string } | { customer_account: string } {
  return customerId.startsWith('acct_') ? { customer_account: customerId } : { customer: customerId };
}

/** The linked account an intent debits, tenancy-checked, plus the customer that owns both. */
export interface DebitSource {
  customer: OwnedCustomer;
  account: FcAccount;
}

/**
 * Checks that `accountId` can be debited for `customerId`, before anything is sent upstream.
 *
 * Why these codes:
 * - a customer or account the caller may not see, or an account of another of the caller's customers,
 *   is NOT_FOUND with the shape of a nonexistent id (ids cannot be probed);
 * - an account linked without the `payment_method` permission is PERMISSION_NOT_GRANTED: it is exactly
 *   the contract's meaning (an FC permission missing from the session), and the fix is the same as for
 *   the data fields — link again with that permission — which BAD_USER_INPUT would hide;
 * - an account that cannot take ACH (no `us_bank_account` in supported_payment_method_types, e.g. a
 *   credit card) or is not active is BAD_USER_INPUT on `financialAccountId`: the client picked an
 *   account that cannot pay, and must pick another (or relink), with `extensions.reason` saying which.
 */
export async function debitSource(
  base: ServiceBase,
  customerId: string,
  accountId: string,
): Promise<DebitSource> {
  const customer = await base.ownership.customer(customerId, 'customerId');
  requireId(accountId, STRIPE_ID_PREFIXES.financialAccount, 'financialAccountId');
  const account = await base.ownership.account(accountId, 'financialAccountId');
  if (holderCustomerId(account) !== customer.id) throw notFound('FinancialAccount', accountId);
  if (!account.permissions?.includes(PAYMENT_PERMISSION)) throw permissionNotGranted(PAYMENT_PERMISSION);
  if (!account.supported_payment_method_types?.includes(ACH_PAYMENT_METHOD)) {
    throw new GatewayError(
      ErrorCode.BAD_USER_INPUT,
      'This account cannot be debited by ACH (it does not support us_bank_account payments).',
      { field: 'financialAccountId', reason: 'PAYMENT_METHOD_UNSUPPORTED' },
    );
  }
  if (account.status !== 'active') {
    throw new GatewayError(
      ErrorCode.BAD_USER_INPUT,
      'This account is not active; the user must link it again before it can be debited.',
      { field: 'financialAccountId', reason: 'ACCOUNT_INACTIVE' },
    );
  }
  return { customer, account };
}

/** The online mandate acceptance Stripe requires for ACH (docs/stripe-facts.md §6: ip_address and user_agent). */
export interface MandateAcceptance {
  ipAddress: string;
  userAgent: string;
  /** Unix seconds; omitted, Stripe records the time it receives the request. */
  acceptedAt?: number;
}

/**
 * `mandate_data[customer_acceptance]` of type online.
 * @throws BAD_USER_INPUT when the HTTP request had no User-Agent (Stripe requires one for online acceptance).
 */
export function onlineMandateData(m: MandateAcceptance) {
  if (!m.userAgent.trim()) {
    throw badInput('Accepting an ACH mandate online needs the User-Agent header of the end user’s request.');
  }
  if (!m.ipAddress)
    throw badInput('The client IP address of this request is unknown; cannot accept a mandate.');
  return {
    customer_acceptance: {
      type: 'online' as const,
      ...(m.acceptedAt !== undefined ? { accepted_at: m.acceptedAt } : {}),
      online: { ip_address: m.ipAddress, user_agent: m.userAgent.slice(0, 500) },
    },
  };
}

/** Inputs of {@link PaymentIntentsService.create}, already validated by the resolver. */
export interface CreateAchPaymentParams {
  customerId: string;
  financialAccountId: string;
  amount: number;
  currency: string;
  billingName: string;
  description?: string | null;
  /** The Stripe Idempotency-Key, already scoped to the caller (services/idempotency.ts). */
  idempotencyKey: string;
}

export class PaymentIntentsService {
  /** Per-request PaymentIntents by id (tenancy is checked by {@link owned}, not by the loader). */
  readonly loader: PaymentIntentLoader;

  constructor(private readonly base: ServiceBase) {
    // An expanded v1 customer fills the customer loader: the tenancy check then costs no request.
    this.loader = createPaymentIntentLoader(base.stripe, base.reads, (c) =>
      base.loaders.customer.prime(c.id, c),
    );
  }

  /**
   * The caller's PaymentIntent `id`: traced pi → customer (`customer` or `customer_account`) → partner.
   * @throws BAD_USER_INPUT for a malformed id; NOT_FOUND — identical for nonexistent, foreign and
   * not-made-by-the-gateway intents — otherwise.
   */
  async owned(id: string, field = 'id'): Promise<Stripe.PaymentIntent> {
    requireId(id, STRIPE_ID_PREFIXES.paymentIntent, field);
    try {
      const pi = await this.loader.load(id);
      const customerId = customerIdOf(pi);
      if (!customerId) throw notFound('PaymentIntent', id);
      await this.base.ownership.customer(customerId);
      return pi;
    } catch (e) {
      throw uniformNotFound(e, 'PaymentIntent', id);
    }
  }

  /**
   * One page of a customer's PaymentIntents, newest first (Stripe's order). The customer was
   * tenancy-checked by the caller, so its intents are the caller's. Primes the per-id loader.
   */
  async listForCustomer(customer: OwnedCustomer, page: PageParams): Promise<ListPage<Stripe.PaymentIntent>> {
    const { stripe, reads } = this.base;
    const params: Stripe.PaymentIntentListParams = {
      ...customerParam(customer.id),
      limit: page.limit,
      ...(page.starting_after ? { starting_after: page.starting_after } : {}),
      expand: PAYMENT_INTENT_EXPAND.map((f) => `data.${f}`),
    };
    let list: Stripe.ApiList<Stripe.PaymentIntent>;
    try {
      list = await reads.get(
        `${paymentIntentListKey(customer.id)}${JSON.stringify([page.limit, page.starting_after ?? null])}`,
        async () => {
          const page = await stripe.paymentIntents.list(params);
          return { ...page, data: page.data.map((pi) => withoutClientSecret(pi)) };
        },
      );
    } catch (e) {
      throw toGraphQLError(e);
    }
    for (const pi of list.data) this.loader.prime(pi.id, pi);
    return { data: list.data, has_more: list.has_more };
  }

  /**
   * Creates an ACH PaymentIntent debiting a linked account: `payment_method_types[]=us_bank_account` and
   * `payment_method_data[us_bank_account][financial_connections_account]` (docs/stripe-facts.md §6). Tenancy and
   * the account's payment ability are checked first: nothing is POSTed for a foreign or unusable account.
   * Stripe replays the first response for a repeated Idempotency-Key, so a retried mutation returns the
   * same PaymentIntent; the same key with other parameters is IDEMPOTENCY_CONFLICT.
   */
  async create(params: CreateAchPaymentParams): Promise<Stripe.PaymentIntent> {
    const { customer, account } = await debitSource(this.base, params.customerId, params.financialAccountId);
    const body: Stripe.PaymentIntentCreateParams = {
      amount: params.amount,
      currency: params.currency,
      ...customerParam(customer.id),
      payment_method_types: [ACH_PAYMENT_METHOD],
      payment_method_data: {
        type: ACH_PAYMENT_METHOD,
        us_bank_account: { financial_connections_account: account.id },
        billing_details: { name: params.billingName },
      },
      ...(params.description ? { description: params.description } : {}),
      metadata: { [PARTNER_METADATA_KEY]: this.base.caller.partnerId },
      expand: PAYMENT_INTENT_EXPAND,
    };
    return this.write(customer.id, () =>
      this.base.stripe.paymentIntents.create(body, { idempotencyKey: params.idempotencyKey }),
    );
  }

  /**
   * Confirms with `mandate_data[customer_acceptance]` (online, the end user's IP and user agent). ACH then
   * moves to `processing`, and later to `succeeded` or back to `requires_payment_method`.
   */
  async confirm(id: string, mandate: MandateAcceptance): Promise<Stripe.PaymentIntent> {
    const mandateData = onlineMandateData(mandate);
    const pi = await this.owned(id, 'paymentIntentId');
    return this.write(customerIdOf(pi)!, () =>
      this.base.stripe.paymentIntents.confirm(pi.id, {
        mandate_data: mandateData,
        expand: PAYMENT_INTENT_EXPAND,
      }),
    );
  }

  /** Cancels (Stripe allows it before processing, docs/stripe-facts.md §6; otherwise its error is BAD_USER_INPUT). */
  async cancel(id: string): Promise<Stripe.PaymentIntent> {
    const pi = await this.owned(id, 'paymentIntentId');
    return this.write(customerIdOf(pi)!, () =>
      this.base.stripe.paymentIntents.cancel(pi.id, { expand: PAYMENT_INTENT_EXPAND }),
    );
  }

  /** Sends one write; the result replaces what this request and the read cache knew. */
  private async write(
    customerId: string,
    send: () => Promise<Stripe.PaymentIntent>,
  ): Promise<Stripe.PaymentIntent> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = withoutClientSecret(await send());
    } catch (e) {
      throw toGraphQLError(e);
    }
    this.loader.clear(pi.id).prime(pi.id, pi);
    await Promise.all([
      this.base.reads.invalidate(paymentIntentKey(pi.id)),
      this.base.reads.invalidate(`${paymentIntentListKey(customerId)}*`),
    ]);
    return pi;
  }
}

/** The customer id of an intent when it is a well-formed customer id of either model, else null. */
export function customerIdOf(intent: Parameters<typeof intentCustomerId>[0]): string | null {
  const raw = intentCustomerId(intent);
  const prefix = raw ? idPrefix(raw) : null;
  return prefix && (CUSTOMER_ID_PREFIXES as readonly string[]).includes(prefix) ? raw : null;
}

/** Any NOT_FOUND raised while tracing `id` (Stripe 404, tenancy miss) becomes `<what> <id> was not found.` */
export function uniformNotFound(e: unknown, what: string, id: string): unknown {
  if (e instanceof GatewayError && e.extensions.code === ErrorCode.NOT_FOUND) return notFound(what, id);
  return e;
}
