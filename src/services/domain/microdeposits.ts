// Microdeposit verification of a bank account, shared by PaymentIntents and SetupIntents: the values sent, the
// state checked first, and Stripe's refusals as contract errors.
import { badInput, ErrorCode, GatewayError } from '../../platform/errors';

/** What the end user read on their statement: the two amounts in cents, or the 6-character descriptor code. */
export interface MicrodepositValues {
  amounts?: number[] | null;
  descriptorCode?: string | null;
}

/** Stripe's `next_action.type` while an intent waits for microdeposits to be verified. */
const VERIFY_WITH_MICRODEPOSITS = 'verify_with_microdeposits';

/**
 * `amounts` or `descriptor_code` for `verify_microdeposits`, checked before any request.
 * @throws BAD_USER_INPUT unless exactly one is given, amounts are two cents values 1..99 and the code is
 * `SM` plus four letters or digits (the shape Stripe sends, docs.stripe.com/payments/ach-direct-debit).
 */
export function microdepositParams(
  v: MicrodepositValues,
): { amounts: number[] } | { descriptor_code: string } {
  const hasAmounts = v.amounts !== undefined && v.amounts !== null;
  const hasCode = v.descriptorCode !== undefined && v.descriptorCode !== null;
  if (hasAmounts === hasCode) {
    throw badInput(
      'Give either amounts (the two microdeposits, in cents) or descriptorCode, not both.',
      'amounts',
    );
  }
  if (hasAmounts) {
    const amounts = v.amounts!;
    if (amounts.length !== 2 || !amounts.every((a) => Number.isInteger(a) && a >= 1 && a <= 99)) {
      throw badInput('amounts must be the two microdeposit amounts, in cents (each 1 to 99).', 'amounts');
    }
    return { amounts: [...amounts] };
  }
  const code = v.descriptorCode!.trim().toUpperCase();
  if (!/^SM[A-Z0-9]{4}$/.test(code)) {
    throw badInput(
      'descriptorCode must be the 6-character code starting with SM from the statement.',
      'descriptorCode',
    );
  }
  return { descriptor_code: code };
}

/** What the state check reads of a PaymentIntent or SetupIntent. */
interface IntentState {
  status: string;
  next_action?: { type?: string | null } | null;
}

/**
 * Refuses, without a request, an intent that is not waiting for microdeposits (nothing to verify, or
 * verified already): BAD_USER_INPUT with reason NOT_AWAITING_MICRODEPOSITS.
 */
function requireAwaitingMicrodeposits(intent: IntentState): void {
  if (intent.status !== 'requires_action' || intent.next_action?.type !== VERIFY_WITH_MICRODEPOSITS) {
    throw new GatewayError(
      ErrorCode.BAD_USER_INPUT,
      'This intent is not waiting for microdeposit verification.',
      {
        field: 'intentId',
        reason: 'NOT_AWAITING_MICRODEPOSITS',
      },
    );
  }
}

/**
 * The verification both intent services run once the intent is the caller's: the state check, then `send` (their
 * write). On a refusal `forget` drops the cached intent (the refusal may have used up an attempt, or ended the
 * verification) and the error gets its reason (microdepositRefusal).
 */
export async function submitMicrodeposits<T>(
  intent: IntentState,
  send: () => Promise<T>,
  forget: () => Promise<void>,
): Promise<T> {
  requireAwaitingMicrodeposits(intent);
  try {
    return await send();
  } catch (e) {
    await forget();
    throw microdepositRefusal(e);
  }
}

/** Stripe's verification error codes → the reason and message a client acts on. */
const REFUSALS: Record<string, { reason: string; message: string }> = {
  payment_method_microdeposit_verification_amounts_mismatch: {
    reason: 'MICRODEPOSITS_MISMATCH',
    message:
      'The amounts do not match the microdeposits sent to this account. Check the statement and try again.',
  },
  payment_method_microdeposit_verification_descriptor_code_mismatch: {
    reason: 'MICRODEPOSITS_MISMATCH',
    message:
      'The descriptor code does not match the microdeposit sent to this account. Check the statement and try again.',
  },
  payment_method_microdeposit_verification_amounts_invalid: {
    reason: 'MICRODEPOSITS_INVALID',
    message: 'These amounts cannot be microdeposits (two amounts, in cents, below one dollar).',
  },
  payment_method_microdeposit_verification_attempts_exceeded: {
    reason: 'MICRODEPOSIT_ATTEMPTS_EXCEEDED',
    message:
      'Too many failed verification attempts: this account can no longer be verified with microdeposits. Link or enter the account again.',
  },
  payment_method_microdeposit_verification_timeout: {
    reason: 'MICRODEPOSITS_EXPIRED',
    message: 'The microdeposits were not verified in time. Link or enter the account again.',
  },
};

/**
 * Turns Stripe's refusal of a verification (already a BAD_USER_INPUT from stripeWrite, carrying Stripe's
 * code in `extensions.stripe`) into one with `extensions.reason` and a message saying what to do.
 */
function microdepositRefusal(e: unknown): unknown {
  if (!(e instanceof GatewayError)) return e;
  const code = (e.extensions.stripe as { code?: string } | undefined)?.code;
  const refusal = code ? REFUSALS[code] : undefined;
  if (!refusal) return e;
  const field = refusal.reason === 'MICRODEPOSIT_ATTEMPTS_EXCEEDED' ? 'intentId' : 'amounts';
  return new GatewayError(ErrorCode.BAD_USER_INPUT, refusal.message, {
    field,
    reason: refusal.reason,
    stripe: e.extensions.stripe,
  });
}
