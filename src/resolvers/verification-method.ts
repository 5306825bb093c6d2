// VerificationMethod: how the bank account behind a new intent is verified (Stripe's
// payment_method_options[us_bank_account][verification_method]).
import { registerEnumType } from 'type-graphql';
import type { VerificationMethod as StripeVerificationMethod } from '../services/domain/ach-debit';

export enum VerificationMethod {
  AUTOMATIC = 'AUTOMATIC',
  INSTANT = 'INSTANT',
  MICRODEPOSITS = 'MICRODEPOSITS',
}
registerEnumType(VerificationMethod, {
  name: 'VerificationMethod',
  valuesConfig: {
    AUTOMATIC: { description: "Stripe's choice: instant for a linked account, microdeposits where it must." },
    INSTANT: { description: 'Instant only: fails rather than fall back to microdeposits.' },
    MICRODEPOSITS: {
      description:
        'Microdeposits: the intent waits in REQUIRES_ACTION until verifyMicrodeposits (or the hosted page).',
    },
  },
});

/** The Stripe value, or undefined when not given (Stripe's default, automatic, is then not sent). */
export function toStripeVerificationMethod(
  method: VerificationMethod | null | undefined,
): StripeVerificationMethod | undefined {
  return method ? (method.toLowerCase() as StripeVerificationMethod) : undefined;
}
