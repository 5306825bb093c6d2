// The one way the sandbox refuses a payment method type it does not model (it models us_bank_account only),
// used by /v1/payment_methods and by both intents: 400 `payment_method_unsupported_type`, Stripe's code for
// "The API only supports payment methods of certain types" (https://docs.stripe.com/error-codes).
import { invalidRequest, type SandboxError } from './errors';

/** The only PaymentMethod type the sandbox models. */
export const SUPPORTED_PAYMENT_METHOD_TYPES: readonly string[] = ['us_bank_account'];

export const UNSUPPORTED_TYPE_CODE = 'payment_method_unsupported_type';

export function unsupportedType(type: unknown, param: string): SandboxError {
  return invalidRequest(
    `The sandbox supports payment method type us_bank_account only (got '${String(type).slice(0, 40)}').`,
    { code: UNSUPPORTED_TYPE_CODE, param },
  );
}

/** Throws the one refusal when `types` (a value or a list, absent allowed) names a type the sandbox does not model. */
export function assertSupportedTypes(types: unknown, param: string): void {
  if (types === undefined) return;
  for (const t of Array.isArray(types) ? types : [types])
    if (!SUPPORTED_PAYMENT_METHOD_TYPES.includes(t as string)) throw unsupportedType(t, param);
}
