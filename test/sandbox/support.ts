// Shared pieces of the sandbox conformance suite: a recording sandbox, schema checks of every recorded
// response, raw HTTP calls (curl-style), and a one-call "link accounts" for tests that need linked accounts.
import type Stripe from 'stripe';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { openapiValidator } from '../helpers/openapi';
import type { StripeEvent } from '../../src/sandbox/types';
import type { SandboxOptions } from '../../src/sandbox/server';

/** A sandbox that keeps every response body, with fast refresh and ACH timers. */
export function startRecordingSandbox(options: Omit<SandboxOptions, 'port'> = {}): Promise<StartedSandbox> {
  return startSandbox({
    refreshDelayMs: 30,
    achDelayMs: 30,
    deactivationDelayMs: 30,
    webhookRetryDelaysMs: [20, 40, 80],
    ...options,
    recordResponses: true,
  });
}

const SANDBOX_ONLY = [/^\/v1\/test_helpers\/sandbox\//];
/** The sandbox-only account helpers: each answers the account. */
const ACCOUNT_HELPER =
  /^\/v1\/test_helpers\/financial_connections\/accounts\/[^/]+\/(deactivate|reactivate|upcoming_deactivation|update_account_numbers|upcoming_account_number_expiry|update_supported_payment_method_types)$/;

/**
 * Validates every response the sandbox has recorded against the OpenAPI subset: 2xx bodies against the
 * operation's schema, errors against Stripe's `error` schema. Sandbox-only routes map to the Stripe object
 * they return. Returns the problems (empty when everything conforms) and how many bodies were checked.
 */
export function checkRecordedResponses(s: StartedSandbox): { problems: string[]; checked: number } {
  const v = openapiValidator();
  const problems: string[] = [];
  let checked = 0;
  for (const e of s.sandbox.requestLog) {
    if (e.status <= 0 || e.responseBody === undefined) continue;
    const where = `${e.method} ${e.path} → ${e.status}`;
    let errors: string[];
    if (e.status >= 300) errors = v.schemaErrors('error', e.responseBody);
    else if (SANDBOX_ONLY.some((r) => r.test(e.path))) continue;
    else if (e.path.startsWith('/v2/'))
      continue; // Accounts v2 are not in the OpenAPI subset (v1 only).
    else if (/^\/v1\/test_helpers\/financial_connections\/sessions\/[^/]+\/complete$/.test(e.path))
      errors = v.schemaErrors('financial_connections.session', e.responseBody);
    else if (ACCOUNT_HELPER.test(e.path))
      errors = v.schemaErrors('financial_connections.account', e.responseBody);
    else errors = v.responseErrors(e.method, e.path, e.status, e.responseBody);
    checked += 1;
    for (const err of errors) problems.push(`${where}: ${err}`);
  }
  return { problems, checked };
}

/** Operations (method + template) that answered 2xx at least once. */
export function exercisedOperations(s: StartedSandbox): Set<string> {
  const v = openapiValidator();
  const out = new Set<string>();
  for (const e of s.sandbox.requestLog) {
    if (e.status < 200 || e.status >= 300) continue;
    const op = v.findOperation(e.method, e.path);
    if (op) out.add(`${op.method} ${op.template}`);
  }
  return out;
}

/** A raw API call, as curl would make it: form body (arrays as `x[]=`), Basic or Bearer auth. */
export async function call(
  s: { url: string },
  method: string,
  path: string,
  options: { form?: string; key?: string | null; basic?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const key = options.key === undefined ? 'sk_test_sandbox' : options.key;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (key !== null)
    headers.authorization = options.basic
      ? `Basic ${Buffer.from(`${key}:`).toString('base64')}`
      : `Bearer ${key}`;
  if (options.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(`${s.url}${path}`, { method, headers, body: options.form });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: res.headers,
  };
}

export interface Linked {
  customer: Stripe.Customer;
  session: Stripe.FinancialConnections.Session;
  accounts: Stripe.FinancialConnections.Account[];
}

/** Creates a customer and a session, and completes it with the helper route. */
export async function linkAccounts(
  s: StartedSandbox,
  options: {
    permissions?: Stripe.FinancialConnections.SessionCreateParams.Permission[];
    prefetch?: Stripe.FinancialConnections.SessionCreateParams.Prefetch[];
    institution?: string;
    accounts?: string[];
    metadata?: Record<string, string>;
  } = {},
): Promise<Linked> {
  const customer = await s.stripe.customers.create({
    email: 'jenny@example.com',
    metadata: options.metadata ?? {},
  });
  const session = await s.stripe.financialConnections.sessions.create({
    account_holder: { type: 'customer', customer: customer.id },
    permissions: options.permissions ?? ['balances', 'ownership', 'payment_method', 'transactions'],
    ...(options.prefetch ? { prefetch: options.prefetch } : {}),
  });
  // The sandbox-only helper, called through the SDK's rawRequest (no stripe-node method exists for it).
  const completed = (await s.stripe.rawRequest(
    'POST',
    `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
    {
      ...(options.institution ? { institution: options.institution } : {}),
      ...(options.accounts ? { accounts: options.accounts } : {}),
    },
  )) as Stripe.FinancialConnections.Session;
  return { customer, session: completed, accounts: completed.accounts.data };
}

/** Awaits a rejected SDK call and returns the StripeError (fails the test when it resolves). */
export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (err) {
    return err as Stripe.errors.StripeError;
  }
  throw new Error('expected the Stripe call to fail');
}

export const ONLINE_MANDATE = {
  customer_acceptance: {
    type: 'online' as const,
    online: { ip_address: '203.0.113.7', user_agent: 'conformance-suite' },
  },
};

/** Matches the event of that type about the object with that id (for `waitForEvent`). */
export const eventAbout = (type: string, id: string) => (e: StripeEvent) =>
  e.type === type && (e.data.object as { id: string }).id === id;

/** `payment_method_data` for an ACH debit from a linked account (PaymentIntents and SetupIntents alike). */
export function achData(
  fca: string,
): Stripe.PaymentIntentCreateParams.PaymentMethodData & Stripe.SetupIntentCreateParams.PaymentMethodData {
  return {
    type: 'us_bank_account',
    us_bank_account: { financial_connections_account: fca },
  } as Stripe.PaymentIntentCreateParams.PaymentMethodData & Stripe.SetupIntentCreateParams.PaymentMethodData;
}
