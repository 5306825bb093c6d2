// What PaymentIntents and SetupIntents share: an ACH Direct Debit from a linked account and its checks (the mandate's
// evidence: mandate-evidence.ts).
import { ErrorCode, GatewayError, notFound, permissionNotGranted } from '../../platform/errors';
import type { FcAccount } from '../stripe/loader-types';
import { customerParam } from '../stripe/loaders';
import { holderCustomerId } from '../stripe/stripe-objects';
import type { Caller } from '../auth/auth';
import { CUSTOMER_METADATA_KEY, PARTNER_METADATA_KEY, type OwnedCustomer } from './ownership.service';
import type { ServiceBase } from './service-base';

/** The only payment method this gateway creates: ACH Direct Debit (docs/stripe-facts.md §6). */
const ACH_PAYMENT_METHOD = 'us_bank_account';
/** The FC data permission a linked account needs to be debited. */
const PAYMENT_PERMISSION = 'payment_method';

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

/** How the bank account is verified: Stripe's choice (instant for a linked account), or microdeposits. */
export type VerificationMethod = 'automatic' | 'instant' | 'microdeposits';

/**
 * The parameters both intents send for a debit of `source`: the customer, the ACH payment method built
 * from the linked account (`payment_method_data[us_bank_account][financial_connections_account]`,
 * docs/stripe-facts.md §6), and the partner tag. The PaymentMethod carries the partner and customer too,
 * so a detached one stays traceable to its owner (ownership.service.ts CUSTOMER_METADATA_KEY).
 * `verificationMethod` becomes `payment_method_options[us_bank_account][verification_method]`.
 */
export function achDebitParams(
  caller: Caller,
  source: DebitSource,
  billingName: string,
  verificationMethod?: VerificationMethod,
) {
  return {
    ...customerParam(source.customer.id),
    payment_method_types: [ACH_PAYMENT_METHOD],
    payment_method_data: {
      type: ACH_PAYMENT_METHOD,
      us_bank_account: { financial_connections_account: source.account.id },
      billing_details: { name: billingName },
      metadata: { [PARTNER_METADATA_KEY]: caller.partnerId, [CUSTOMER_METADATA_KEY]: source.customer.id },
    },
    ...(verificationMethod
      ? { payment_method_options: { us_bank_account: { verification_method: verificationMethod } } }
      : {}),
    metadata: { [PARTNER_METADATA_KEY]: caller.partnerId },
  };
}
