// Argument checks of the payment mutations, made before any Stripe request (BAD_USER_INPUT naming the field).
import { badInput } from '../platform/errors';

/** Stripe's limit on `description` (characters). */
const MAX_DESCRIPTION_LENGTH = 1000;
/** A generous cap for a person's or company's name on the mandate. */
const MAX_BILLING_NAME_LENGTH = 200;

/**
 * @returns the amount when it is a positive 53-bit integer of minor units.
 * @throws BAD_USER_INPUT on `amount` otherwise (the SafeInt scalar already refused non-integers).
 */
export function checkAmount(amount: number): number {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw badInput('amount must be a positive integer number of minor units (cents).', 'amount');
  }
  return amount;
}

/**
 * Why only usd: the sole payment method here is ACH Direct Debit (us_bank_account), which Stripe
 * supports in usd only; refusing others up front gives the client a precise error instead of Stripe's.
 * @throws BAD_USER_INPUT on `currency` unless it is a lowercase ISO-4217 code, and usd.
 */
export function checkAchCurrency(currency: string): string {
  if (!/^[a-z]{3}$/.test(currency)) {
    throw badInput('currency must be a lowercase 3-letter ISO-4217 code, e.g. usd.', 'currency');
  }
  if (currency !== 'usd') {
    throw badInput('ACH Direct Debit (us_bank_account) supports only usd.', 'currency');
  }
  return currency;
}

/** @throws BAD_USER_INPUT on `billingName` when blank or longer than {@link MAX_BILLING_NAME_LENGTH}. */
export function checkBillingName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_BILLING_NAME_LENGTH) {
    throw badInput(`billingName must be 1-${MAX_BILLING_NAME_LENGTH} characters.`, 'billingName');
  }
  return trimmed;
}

/** @throws BAD_USER_INPUT on `description` when longer than Stripe allows. */
export function checkDescription(description: string | null | undefined): string | null {
  if (description === null || description === undefined || description === '') return null;
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw badInput(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`, 'description');
  }
  return description;
}

/** Where a new PaymentIntent debits from: a linked account, or a saved account under its mandate. */
export type DebitSourceInput =
  | { kind: 'linked'; financialAccountId: string }
  | { kind: 'saved'; paymentMethodId: string; mandateId: string };

/**
 * Exactly one source: `financialAccountId`, or `paymentMethodId` + `mandateId` + `offSession: true`.
 * @throws BAD_USER_INPUT naming the field that is missing or does not belong with the others.
 */
export function checkDebitSource(input: {
  financialAccountId?: string | null;
  paymentMethodId?: string | null;
  mandateId?: string | null;
  offSession?: boolean | null;
  verificationMethod?: string | null;
}): DebitSourceInput {
  if (input.financialAccountId != null) {
    if (input.paymentMethodId != null) {
      throw badInput('Give financialAccountId or paymentMethodId, not both.', 'paymentMethodId');
    }
    if (input.mandateId != null || input.offSession != null) {
      throw badInput(
        'mandateId and offSession go with paymentMethodId (a saved account), not with financialAccountId.',
        input.mandateId != null ? 'mandateId' : 'offSession',
      );
    }
    return { kind: 'linked', financialAccountId: input.financialAccountId };
  }
  if (input.paymentMethodId == null) {
    throw badInput(
      'Give financialAccountId (a linked account) or paymentMethodId (a saved one).',
      'financialAccountId',
    );
  }
  if (input.mandateId == null) {
    throw badInput('A debit from a saved account needs the mandateId saved with it.', 'mandateId');
  }
  if (input.offSession !== true) {
    throw badInput(
      'A debit from a saved account is off-session: set offSession: true (the saved mandate authorizes it).',
      'offSession',
    );
  }
  if (input.verificationMethod != null) {
    throw badInput(
      'A saved account is verified already: verificationMethod goes with financialAccountId.',
      'verificationMethod',
    );
  }
  return { kind: 'saved', paymentMethodId: input.paymentMethodId, mandateId: input.mandateId };
}
