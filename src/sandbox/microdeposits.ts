// Microdeposit verification of a bank account that could not be verified instantly (a manually entered
// account, or `payment_method_options[us_bank_account][verification_method]=microdeposits`), as Stripe does it
// (docs/stripe-facts.md §6, docs.stripe.com/payments/ach-direct-debit/accept-a-payment): the confirmed intent
// is `requires_action` with `next_action.verify_with_microdeposits`; the customer submits the two amounts or
// the descriptor code (API, or the hosted verification page); three wrong amounts or ten wrong codes block
// the account, and verification times out ten days after the deposits arrive.
import { ACH_FAILURES, achOutcome, setMandateStatus } from './ach';
import { invalidRequest } from './errors';
import type { MicrodepositVerification, Obj, Store, StoredIntent } from './store';
import type { ApiErrorObject } from './types';

const DAY = 86_400;

/** Stripe's test values (docs/stripe-facts.md §4): each pair of amounts, or descriptor code, simulates one end. */
export const MICRODEPOSIT_TEST_VALUES = {
  verified: { amounts: [32, 45], descriptorCode: 'SM11AA' },
  attemptsExceeded: { amounts: [10, 11], descriptorCode: 'SM33CC' },
  timeout: { amounts: [40, 41], descriptorCode: 'SM44DD' },
} as const;

/** Failed attempts allowed: 3 for amounts, 10 for descriptor codes (support.stripe.com, microdeposits). */
export const MICRODEPOSIT_ATTEMPTS = { amounts: 3, descriptor_code: 10 } as const;

/** Deposits land in 1–2 business days; the customer then has 10 days to verify. */
const ARRIVAL_DAYS = 2;
const TIMEOUT_DAYS = 10;

/** Stripe's error codes and messages for verification (docs.stripe.com/error-codes). */
const ERRORS = {
  amountsInvalid: {
    code: 'payment_method_microdeposit_verification_amounts_invalid',
    message: 'You must provide exactly two microdeposit amounts.',
  },
  amountsMismatch: {
    code: 'payment_method_microdeposit_verification_amounts_mismatch',
    message: 'The amounts provided do not match the amounts that were sent to the bank account.',
  },
  descriptorCodeMismatch: {
    code: 'payment_method_microdeposit_verification_descriptor_code_mismatch',
    message: 'The verification code provided does not match the one sent to the bank account.',
  },
  attemptsExceeded: {
    code: 'payment_method_microdeposit_verification_attempts_exceeded',
    message: 'You have exceeded the number of allowed verification attempts.',
  },
  timeout: {
    code: 'payment_method_microdeposit_verification_timeout',
    message: 'Payment method should be verified with microdeposits within the required period.',
  },
} as const;

const NAMES = { payment_intent: 'PaymentIntent', setup_intent: 'SetupIntent' } as const;

/**
 * Sends the microdeposits: the intent waits in `requires_action` (with `<object>.requires_action`). Descriptor
 * codes for PaymentIntents, amounts for SetupIntents (Stripe sends descriptor codes on the PaymentIntents API
 * only). The "fail microdeposits" test account never receives them: after achDelayMs `failed` runs with
 * `payment_method_microdeposit_failed`.
 */
export function startMicrodeposits(
  store: Store,
  intent: StoredIntent,
  confirmation: { paymentMethod: string; mandate: string; previousStatus: string },
  request: { eventRequest: { id: string; idempotency_key: string | null }; headers: Record<string, unknown> },
  failed: (error: ApiErrorObject) => void,
): void {
  const type = intent.object === 'payment_intent' ? 'descriptor_code' : 'amounts';
  const token = store.secret('mdv_', 24);
  const host = typeof request.headers.host === 'string' ? request.headers.host : '127.0.0.1';
  const arrival = store.clock.now() + ARRIVAL_DAYS * DAY;
  intent.status = 'requires_action';
  intent.next_action = {
    type: 'verify_with_microdeposits',
    verify_with_microdeposits: {
      arrival_date: arrival,
      hosted_verification_url: `http://${host}/microdeposit/${token}`,
      microdeposit_type: type,
    },
  };
  if (intent.object === 'setup_intent') intent.mandate = confirmation.mandate;
  const record: MicrodepositVerification = {
    intentId: intent.id,
    object: intent.object,
    type,
    failures: 0,
    token,
    paymentMethod: confirmation.paymentMethod,
    mandate: confirmation.mandate,
    expiresAt: arrival + TIMEOUT_DAYS * DAY,
  };
  store.microdeposits.set(intent.id, record);
  store.microdepositTokens.set(token, intent.id);
  store.emit(`${intent.object}.requires_action`, structuredClone(intent), request.eventRequest, {
    status: confirmation.previousStatus,
    next_action: null,
  });
  if (achOutcome(store, confirmation.paymentMethod) === 'fail_microdeposits')
    store.timers.schedule(store.options.achDelayMs, () => {
      if (store.microdeposits.get(intent.id) !== record) return;
      endVerification(store, record, 'inactive');
      const f = ACH_FAILURES.fail_microdeposits!;
      failed(verificationError(store, record, f));
    });
}

/** The verification under way for an intent, or 400 `<object>_unexpected_state`. */
export function verificationOf(store: Store, intent: StoredIntent): MicrodepositVerification {
  const record = store.microdeposits.get(intent.id);
  if (!record || intent.status !== 'requires_action')
    throw invalidRequest(
      `You cannot verify microdeposits on this ${NAMES[intent.object]} because it has a status of ${intent.status}. Only a ${NAMES[intent.object]} with a status of requires_action and next_action[type]=verify_with_microdeposits can be verified.`,
      { code: `${intent.object}_unexpected_state` },
    );
  return record;
}

export type VerificationResult = { verified: true } | { verified: false; error: ApiErrorObject };

/**
 * Checks submitted values. Returns `verified`, or a final failure (attempt limit, timeout: the caller fails the
 * intent); a wrong value below the limit throws the mismatch error and counts the attempt.
 */
export function checkMicrodeposits(
  store: Store,
  record: MicrodepositVerification,
  values: { amounts?: number[]; descriptor_code?: string },
  request?: { id: string | null; idempotency_key: string | null },
): VerificationResult {
  const { amounts, descriptor_code: code } = values;
  if (amounts !== undefined && code !== undefined)
    throw invalidRequest('You may only specify one of these parameters: amounts, descriptor_code.', {
      param: 'descriptor_code',
      validation: true,
    });
  if (amounts === undefined && code === undefined)
    throw invalidRequest('Missing required param: amounts or descriptor_code.', {
      code: 'parameter_missing',
      param: 'amounts',
      validation: true,
    });
  if (amounts !== undefined && (amounts.length !== 2 || amounts.some((a) => !Number.isInteger(a) || a <= 0)))
    throw invalidRequest(ERRORS.amountsInvalid.message, {
      code: ERRORS.amountsInvalid.code,
      param: 'amounts',
    });
  const is = (v: { amounts: readonly number[]; descriptorCode: string }) =>
    amounts !== undefined
      ? [...amounts].sort((a, b) => a - b).join() === v.amounts.join()
      : code!.trim().toUpperCase() === v.descriptorCode;
  const fail = (e: { code: string; message: string }, block: boolean): VerificationResult => {
    endVerification(store, record, 'inactive', request);
    if (block) blockBankAccount(store, record.paymentMethod);
    return { verified: false, error: verificationError(store, record, e) };
  };
  if (store.clock.now() > record.expiresAt || is(MICRODEPOSIT_TEST_VALUES.timeout))
    return fail(ERRORS.timeout, false);
  if (is(MICRODEPOSIT_TEST_VALUES.attemptsExceeded)) return fail(ERRORS.attemptsExceeded, true);
  if (is(MICRODEPOSIT_TEST_VALUES.verified)) {
    endVerification(store, record, 'active', request);
    const state = store.bankAccounts.get(record.paymentMethod);
    if (state) state.verification = 'microdeposits';
    return { verified: true };
  }
  record.failures += 1;
  const left = MICRODEPOSIT_ATTEMPTS[record.type] - record.failures;
  if (left <= 0) return fail(ERRORS.attemptsExceeded, true);
  const mismatch = amounts !== undefined ? ERRORS.amountsMismatch : ERRORS.descriptorCodeMismatch;
  throw invalidRequest(
    `${mismatch.message} You have ${left} verification attempt${left === 1 ? '' : 's'} remaining.`,
    { code: mismatch.code, param: amounts !== undefined ? 'amounts' : 'descriptor_code' },
  );
}

/** The verification is over: the intent leaves requires_action and its mandate becomes active or inactive. */
function endVerification(
  store: Store,
  record: MicrodepositVerification,
  mandateStatus: 'active' | 'inactive',
  request?: { id: string | null; idempotency_key: string | null },
): void {
  store.microdeposits.delete(record.intentId);
  store.microdepositTokens.delete(record.token);
  const intent = (record.object === 'payment_intent' ? store.paymentIntents : store.setupIntents).get(
    record.intentId,
  );
  if (intent) intent.next_action = null;
  setMandateStatus(store, record.mandate, mandateStatus, request);
}

/** A bank account that failed verification can no longer be verified or reused (Stripe blocks it). */
function blockBankAccount(store: Store, pmId: string): void {
  const state = store.bankAccounts.get(pmId);
  if (state) state.blocked = true;
}

function verificationError(
  store: Store,
  record: MicrodepositVerification,
  e: { code: string; message: string },
): ApiErrorObject {
  const pm = store.paymentMethods.get(record.paymentMethod);
  return {
    type: 'invalid_request_error',
    code: e.code,
    message: e.message,
    doc_url: `https://stripe.com/docs/error-codes/${e.code.replace(/_/g, '-')}`,
    payment_method: pm ? (structuredClone(pm) as Obj) : undefined,
    payment_method_type: 'us_bank_account',
  };
}

/** A canceled intent stops waiting: its hosted verification page no longer works, its mandate is inactive. */
export function abandonMicrodeposits(
  store: Store,
  intentId: string,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  const record = store.microdeposits.get(intentId);
  if (record) endVerification(store, record, 'inactive', request);
}
