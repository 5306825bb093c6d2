// Stripe's error object and HTTP statuses, as the sandbox throws and renders them.
// https://docs.stripe.com/api/errors — body `{ error: { type, code?, message, param?, doc_url?, ... } }`.

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
  [extra: string]: unknown;
}

/**
 * An error the sandbox answers with. `validation: true` marks errors raised before the endpoint starts
 * executing (bad parameters): Stripe does not save those under an idempotency key, so a retry may succeed.
 */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly options: { validation?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(body.message);
  }

  toJSON(requestId?: string): { error: StripeErrorBody } {
    const error: StripeErrorBody = { ...this.body };
    if (error.code && !error.doc_url)
      error.doc_url = `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}`;
    if (requestId) error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

/** Sandbox-chosen codes (Stripe documents no code for these cases); the gateway maps them. */
export const SANDBOX_ERROR_CODES = {
  /** Stripe's own code: refresh/subscribe/pay on an inactive or disconnected account. */
  accountInactive: 'financial_connections_account_inactive',
  /** Refresh, subscribe or pay with a feature whose permission the session did not grant. */
  permissionNotGranted: 'financial_connections_permission_not_granted',
} as const;

export function invalidRequest(
  message: string,
  extra: { code?: string; param?: string; status?: number; validation?: boolean } = {},
): SandboxError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (extra.code) body.code = extra.code;
  if (extra.param) body.param = extra.param;
  return new SandboxError(extra.status ?? 400, body, { validation: extra.validation });
}

export function parameterUnknown(param: string): SandboxError {
  return invalidRequest(`Received unknown parameter: ${param}`, {
    code: 'parameter_unknown',
    param,
    validation: true,
  });
}

export function parameterMissing(param: string): SandboxError {
  return invalidRequest(`Missing required param: ${param}.`, {
    code: 'parameter_missing',
    param,
    validation: true,
  });
}

export function parameterInvalid(
  param: string,
  message: string,
  code = 'parameter_invalid_string',
): SandboxError {
  return invalidRequest(message, { code, param, validation: true });
}

/** 404 `resource_missing`, with Stripe's wording: "No such customer: 'cus_123'". */
export function resourceMissing(kind: string, id: string, param = 'id', status = 404): SandboxError {
  return invalidRequest(`No such ${kind}: '${String(id).slice(0, 80)}'`, {
    code: 'resource_missing',
    param,
    status,
  });
}

export function apiError(message = 'An unknown error occurred', status = 500): SandboxError {
  return new SandboxError(status, { type: 'api_error', message });
}
