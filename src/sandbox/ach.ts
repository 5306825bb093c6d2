// ACH Direct Debit from Financial Connections accounts: the us_bank_account PaymentMethod made from an FC
// account, the mandate, and how a debit ends (Stripe's test account numbers, docs.stripe.com/testing#ach).
import { fullAddress, type Address } from './address';
import { invalidRequest, resourceMissing, SANDBOX_ERROR_CODES } from './errors';
import type { AchOutcome } from './institutions';
import { p, type Spec } from './params';
import { inactiveError } from './refresh';
import type { Obj, Store } from './store';
import type { ApiErrorObject } from './types';

/** How each failing test account fails (ACH return reasons). */
export const ACH_FAILURES: Partial<Record<AchOutcome, { code: string; message: string }>> = {
  insufficient_funds: {
    code: 'insufficient_funds',
    message: "The customer's bank account has insufficient funds to cover this payment.",
  },
  account_closed: { code: 'account_closed', message: "The customer's bank account has been closed." },
  no_account: { code: 'no_account', message: "The customer's bank account could not be located." },
  debit_not_authorized: {
    code: 'debit_not_authorized',
    message: 'The customer notified their bank that this payment was unauthorized.',
  },
  invalid_currency: {
    code: 'invalid_currency',
    message: "The bank account does not support the payment's currency.",
  },
  weekly_limit_exceeded: {
    code: 'weekly_limit_exceeded',
    message: 'This payment exceeds the weekly ACH volume limit for this account.',
  },
  risk_level_highest: {
    code: 'payment_method_blocked',
    message: 'This payment was blocked because it was considered high risk.',
  },
};

/**
 * A us_bank_account PaymentMethod backed by an FC account. The account must be active, carry the
 * `payment_method` permission and support `us_bank_account` with a transactable account number.
 * @throws 400 invalid_request_error with a stable code and `param` naming the field.
 */
export function paymentMethodFromFcAccount(
  store: Store,
  fcaId: string | undefined,
  param: string,
  extra: {
    customer?: string | null;
    customerAccount?: string | null;
    billingDetails?: Record<string, unknown>;
    metadata?: Record<string, string>;
  } = {},
): Obj & { id: string } {
  if (!fcaId)
    throw invalidRequest(`Missing required param: ${param}.`, {
      code: 'parameter_missing',
      param,
      validation: true,
    });
  const rec = store.fcAccounts.get(fcaId);
  if (!rec) throw resourceMissing('financial_connections.account', fcaId, param, 400);
  assertPayable(store, fcaId, param);
  const acc = rec.account;
  const bd = extra.billingDetails ?? {};
  const pm = {
    id: store.id('pm', 24),
    object: 'payment_method',
    billing_details: {
      address: fullAddress(bd.address as Partial<Address> | undefined),
      email: (bd.email as string | undefined) ?? null,
      name: (bd.name as string | undefined) ?? rec.owners[0]?.name ?? null,
      phone: (bd.phone as string | undefined) ?? null,
    },
    created: store.clock.now(),
    customer: extra.customer ?? null,
    customer_account: extra.customerAccount ?? null,
    livemode: false,
    metadata: extra.metadata ?? {},
    type: 'us_bank_account',
    us_bank_account: {
      account_holder_type: rec.template.businessOwner ? 'company' : 'individual',
      account_type: acc.subcategory === 'savings' ? 'savings' : 'checking',
      bank_name: acc.institution_name,
      financial_connections_account: acc.id,
      fingerprint: store.id('fp', 16).slice(3),
      last4: acc.last4,
      networks: { preferred: 'ach', supported: ['ach'] },
      routing_number: '110000000',
      status_details: null,
    },
  };
  return store.paymentMethods.insert(pm);
}

/** Checks, at payment time too, that the FC account behind a payment can still be debited. */
export function assertPayable(store: Store, fcaId: string, param: string): void {
  const rec = store.fcAccounts.get(fcaId);
  if (!rec) throw resourceMissing('financial_connections.account', fcaId, param, 400);
  const acc = rec.account;
  if (acc.status !== 'active') throw inactiveError(acc.id, acc.status);
  if (!acc.permissions.includes('payment_method'))
    throw invalidRequest(
      `The Financial Connections account ${acc.id} cannot be used for payments: the 'payment_method' permission was not granted.`,
      { code: SANDBOX_ERROR_CODES.permissionNotGranted, param },
    );
  if (!acc.supported_payment_method_types.includes('us_bank_account'))
    throw invalidRequest(
      `The Financial Connections account ${acc.id} does not support us_bank_account payments.`,
      {
        code: 'payment_method_invalid_parameter',
        param,
      },
    );
  if (!acc.account_numbers?.some((n) => n.status === 'transactable'))
    throw invalidRequest(`The Financial Connections account ${acc.id} has no transactable account number.`, {
      code: 'financial_connections_account_unavailable_account_numbers',
      param,
    });
}

export function fcAccountOf(store: Store, pmId: string): string | undefined {
  const pm = store.paymentMethods.get(pmId);
  return (pm?.us_bank_account as { financial_connections_account?: string } | undefined)
    ?.financial_connections_account;
}

export function achOutcome(store: Store, pmId: string): AchOutcome {
  const fca = fcAccountOf(store, pmId);
  return (fca && store.fcAccounts.get(fca)?.template.achOutcome) || 'success';
}

export function achError(store: Store, pmId: string, outcome: AchOutcome): ApiErrorObject {
  const f = ACH_FAILURES[outcome] ?? {
    code: 'payment_method_provider_decline',
    message: 'The payment was declined.',
  };
  const pm = store.paymentMethods.get(pmId);
  return {
    type: 'card_error',
    code: f.code,
    message: f.message,
    doc_url: `https://stripe.com/docs/error-codes/${f.code.replace(/_/g, '-')}`,
    payment_method: pm ? structuredClone(pm) : undefined,
    payment_method_type: 'us_bank_account',
  };
}

export interface MandateInput {
  customer_acceptance: {
    type: 'online' | 'offline';
    accepted_at?: number;
    online?: { ip_address: string; user_agent: string };
  };
}

/** Validates `mandate_data` (online needs ip_address and user_agent) and records the mandate. */
export function createMandate(
  store: Store,
  pmId: string,
  data: MandateInput | undefined,
  param = 'mandate_data',
): Obj & { id: string } {
  if (!data?.customer_acceptance)
    throw invalidRequest(
      `Missing required param: ${param}. A us_bank_account payment needs the customer's mandate acceptance.`,
      {
        code: 'parameter_missing',
        param,
        validation: true,
      },
    );
  const ca = data.customer_acceptance;
  if (ca.type === 'online' && (!ca.online?.ip_address || !ca.online?.user_agent))
    throw invalidRequest(
      `Missing required param: ${param}[customer_acceptance][online][${!ca.online?.ip_address ? 'ip_address' : 'user_agent'}].`,
      {
        code: 'parameter_missing',
        param: `${param}[customer_acceptance][online]`,
        validation: true,
      },
    );
  return store.mandates.insert({
    id: store.id('mandate', 24),
    object: 'mandate',
    customer_acceptance: {
      type: ca.type,
      accepted_at: ca.accepted_at ?? store.clock.now(),
      ...(ca.type === 'online'
        ? { online: { ip_address: ca.online!.ip_address, user_agent: ca.online!.user_agent } }
        : { offline: {} }),
    },
    livemode: false,
    multi_use: {},
    payment_method: pmId,
    payment_method_details: { type: 'us_bank_account', us_bank_account: {} },
    status: 'active',
    type: 'multi_use',
  });
}

/** The `mandate_data` parameter of create and confirm (PaymentIntents and SetupIntents). */
export const mandateDataSpec: Spec = p.obj({
  customer_acceptance: p.obj(
    {
      type: p.str({ required: true, enum: ['online', 'offline'] }),
      accepted_at: p.int(),
      online: p.obj({ ip_address: p.str({ required: true }), user_agent: p.str({ required: true }) }),
      offline: p.any(),
    },
    { required: true },
  ),
});
