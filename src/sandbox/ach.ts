// ACH Direct Debit from Financial Connections accounts: the us_bank_account PaymentMethod made from an FC
// account, the mandate, and how a debit ends (Stripe's test account numbers, docs.stripe.com/testing#ach).
import { fullAddress, type Address } from './address';
import { invalidRequest, resourceMissing, SANDBOX_ERROR_CODES } from './errors';
import {
  MANUAL_ENTRY_BANK,
  TEST_ACCOUNT_NUMBERS,
  TEST_ROUTING_NUMBER,
  type AchOutcome,
} from './institutions';
import { p, type Spec } from './params';
import { inactiveError } from './refresh';
import type { BankAccountState, Obj, Store } from './store';
import type { ApiErrorObject } from './types';

export { TEST_ROUTING_NUMBER } from './institutions';

/** How each failing test account fails (ACH return reasons; codes from docs.stripe.com/error-codes). */
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
  fail_microdeposits: {
    code: 'payment_method_microdeposit_failed',
    message:
      "Microdeposits were failed to be deposited into the customer's bank account. Please check the account, institution and transit numbers as well as the currency type.",
  },
};

interface PaymentMethodExtra {
  customer?: string | null;
  customerAccount?: string | null;
  billingDetails?: Record<string, unknown>;
  metadata?: Record<string, string>;
}

/** The us_bank_account PaymentMethod object (docs.stripe.com/api/payment_methods/object). */
function insertPaymentMethod(
  store: Store,
  usBankAccount: {
    account_holder_type: string;
    account_type: string;
    bank_name: string;
    financial_connections_account: string | null;
    last4: string;
  },
  defaultName: string | null,
  state: Pick<BankAccountState, 'verification' | 'outcome'>,
  extra: PaymentMethodExtra,
): Obj & { id: string } {
  const bd = extra.billingDetails ?? {};
  const pm = {
    id: store.id('pm', 24),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: fullAddress(bd.address as Partial<Address> | undefined),
      email: (bd.email as string | undefined) ?? null,
      name: (bd.name as string | undefined) ?? defaultName,
      phone: (bd.phone as string | undefined) ?? null,
    },
    created: store.clock.now(),
    customer: extra.customer ?? null,
    customer_account: extra.customerAccount ?? null,
    livemode: false,
    metadata: extra.metadata ?? {},
    type: 'us_bank_account',
    us_bank_account: {
      ...usBankAccount,
      fingerprint: store.id('fp', 16).slice(3),
      networks: { preferred: 'ach', supported: ['ach'] },
      routing_number: TEST_ROUTING_NUMBER,
      status_details: null,
    },
  };
  store.bankAccounts.set(pm.id, { ...state, detached: false, blocked: false });
  return store.paymentMethods.insert(pm);
}

/**
 * A us_bank_account PaymentMethod backed by an FC account. The account must be active, carry the
 * `payment_method` permission and support `us_bank_account` with a transactable account number. Accounts
 * linked through Financial Connections are verified instantly; a manually entered one needs microdeposits.
 * @throws 400 invalid_request_error with a stable code and `param` naming the field.
 */
export function paymentMethodFromFcAccount(
  store: Store,
  fcaId: string | undefined,
  param: string,
  extra: PaymentMethodExtra = {},
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
  return insertPaymentMethod(
    store,
    {
      account_holder_type: rec.template.businessOwner ? 'company' : 'individual',
      account_type: acc.subcategory === 'savings' ? 'savings' : 'checking',
      bank_name: acc.institution_name,
      financial_connections_account: acc.id,
      last4: acc.last4 ?? rec.template.accountNumber.slice(-4),
    },
    rec.owners[0]?.name ?? null,
    { verification: rec.template.manualEntry ? 'pending' : 'instant', outcome: rec.template.achOutcome },
    extra,
  );
}

/** `us_bank_account` details typed in by hand (routing and account number): verified by microdeposits. */
export interface ManualBankAccount {
  account_number?: string;
  routing_number?: string;
  account_holder_type?: string;
  account_type?: string;
}

/**
 * A us_bank_account PaymentMethod from a manually entered account number. Stripe requires the holder's
 * name for these; the sandbox knows only its test routing number.
 */
export function paymentMethodFromAccountNumber(
  store: Store,
  data: ManualBankAccount,
  param: string,
  extra: PaymentMethodExtra = {},
): Obj & { id: string } {
  for (const field of ['account_number', 'routing_number'] as const)
    if (!data[field])
      throw invalidRequest(`Missing required param: ${param}[${field}].`, {
        code: 'parameter_missing',
        param: `${param}[${field}]`,
        validation: true,
      });
  if (!/^\d{9}$/.test(data.routing_number!))
    throw invalidRequest('Routing number must have 9 digits.', {
      code: 'routing_number_invalid',
      param: `${param}[routing_number]`,
      validation: true,
    });
  if (data.routing_number !== TEST_ROUTING_NUMBER)
    throw invalidRequest(`The sandbox knows only the test routing number ${TEST_ROUTING_NUMBER}.`, {
      code: 'routing_number_invalid',
      param: `${param}[routing_number]`,
      validation: true,
    });
  if (!/^\d{4,17}$/.test(data.account_number!))
    throw invalidRequest('Account number must be 4 to 17 digits.', {
      code: 'account_number_invalid',
      param: `${param}[account_number]`,
      validation: true,
    });
  const name = (extra.billingDetails?.name as string | undefined) ?? '';
  if (!name.trim())
    throw invalidRequest(
      'Missing required param: billing_details[name]. The account holder name is required for us_bank_account.',
      { code: 'parameter_missing', param: 'billing_details[name]', validation: true },
    );
  return insertPaymentMethod(
    store,
    {
      account_holder_type: data.account_holder_type ?? 'individual',
      account_type: data.account_type ?? 'checking',
      bank_name: MANUAL_ENTRY_BANK,
      financial_connections_account: null,
      last4: data.account_number!.slice(-4),
    },
    null,
    { verification: 'pending', outcome: TEST_ACCOUNT_NUMBERS[data.account_number!] ?? 'success' },
    extra,
  );
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
  return (
    (pm?.us_bank_account as { financial_connections_account?: string | null } | undefined)
      ?.financial_connections_account ?? undefined
  );
}

export function achOutcome(store: Store, pmId: string): AchOutcome {
  return store.bankAccounts.get(pmId)?.outcome ?? 'success';
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

/** What kind of mandate a confirmation records: single_use for one payment, multi_use to save the account. */
export type MandateUse = { type: 'multi_use' } | { type: 'single_use'; amount: number; currency: string };

/**
 * Validates `mandate_data` (online needs ip_address and user_agent) and records the mandate: `pending` while
 * the bank account waits for microdeposits, `active` otherwise.
 */
export function createMandate(
  store: Store,
  pmId: string,
  data: MandateInput | undefined,
  use: MandateUse,
  status: 'active' | 'pending',
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
    ...(use.type === 'multi_use'
      ? { multi_use: {} }
      : { single_use: { amount: use.amount, currency: use.currency } }),
    payment_method: pmId,
    payment_method_details: { type: 'us_bank_account', us_bank_account: {} },
    status,
    type: use.type,
  });
}

/** The active multi_use mandate a saved PaymentMethod was set up with (reused by later payments), if any. */
export function activeMultiUseMandate(store: Store, pmId: string): (Obj & { id: string }) | undefined {
  return store.mandates
    .newestFirst()
    .find((m) => m.payment_method === pmId && m.type === 'multi_use' && m.status === 'active');
}

/** Changes a mandate's status, with `mandate.updated` (as Stripe sends it when a mandate changes). */
export function setMandateStatus(
  store: Store,
  mandateId: string,
  status: 'active' | 'inactive',
  request?: { id: string | null; idempotency_key: string | null },
): void {
  const m = store.mandates.get(mandateId);
  if (!m || m.status === status) return;
  const previous = m.status;
  m.status = status;
  store.emit('mandate.updated', structuredClone(m), request, { status: previous });
}

/** Every active or pending mandate of a PaymentMethod becomes inactive (it was detached or blocked). */
export function deactivateMandates(
  store: Store,
  pmId: string,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  for (const m of store.mandates.newestFirst())
    if (m.payment_method === pmId && m.status !== 'inactive')
      setMandateStatus(store, m.id, 'inactive', request);
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

/** The payment networks' return codes that block a bank account, and Stripe's reason for the block. */
const BLOCKING_FAILURES: Partial<Record<AchOutcome, { network_code: string; reason: string }>> = {
  account_closed: { network_code: 'R02', reason: 'bank_account_closed' },
  no_account: { network_code: 'R03', reason: 'bank_account_invalid_details' },
  debit_not_authorized: { network_code: 'R10', reason: 'debit_not_authorized' },
};

/**
 * After a failed debit: a return that means the account cannot be debited again (closed, not found, debit not
 * authorized) blocks the PaymentMethod (`us_bank_account.status_details.blocked`) and ends its mandates.
 */
export function blockAfterReturn(
  store: Store,
  pmId: string,
  outcome: AchOutcome,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  const block = BLOCKING_FAILURES[outcome];
  const pm = store.paymentMethods.get(pmId);
  const state = store.bankAccounts.get(pmId);
  if (!block || !pm || !state) return;
  state.blocked = true;
  (pm.us_bank_account as Obj).status_details = { blocked: { ...block } };
  store.emit('payment_method.updated', structuredClone(pm), request, {
    us_bank_account: { status_details: null },
  });
  deactivateMandates(store, pmId, request);
}

export type PaymentMethodOwner = { customer: string | null; customer_account: string | null };

/** Attaches a PaymentMethod to a customer (`payment_method.attached`); nothing when it already is. */
export function attachToCustomer(
  store: Store,
  pmId: string,
  owner: PaymentMethodOwner,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  const pm = store.paymentMethods.get(pmId);
  if (!pm || (!owner.customer && !owner.customer_account)) return;
  if (pm.customer === owner.customer && pm.customer_account === owner.customer_account) return;
  pm.customer = owner.customer;
  pm.customer_account = owner.customer_account;
  store.emit('payment_method.attached', structuredClone(pm), request);
}

/**
 * Detaches a PaymentMethod from its customer (`payment_method.detached`, previous customer in
 * previous_attributes): it can't be used again, and its mandates become inactive (`mandate.updated`).
 */
export function detachFromCustomer(
  store: Store,
  pmId: string,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  const pm = store.paymentMethods.get(pmId);
  if (!pm) return;
  const previous = { customer: pm.customer ?? null, customer_account: pm.customer_account ?? null };
  pm.customer = null;
  pm.customer_account = null;
  const state = store.bankAccounts.get(pmId);
  if (state) state.detached = true;
  store.emit('payment_method.detached', structuredClone(pm), request, previous);
  deactivateMandates(store, pmId, request);
}
