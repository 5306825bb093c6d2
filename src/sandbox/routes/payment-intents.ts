// /v1/payment_intents with ACH Direct Debit from FC accounts: create (optionally confirm), retrieve, list,
// update, confirm (mandate_data, or a saved `mandate` off-session), verify_microdeposits, cancel. After
// confirm the intent is `processing` (or `requires_action` while microdeposits verify the account); after
// achDelayMs it becomes `succeeded`, or `requires_payment_method` with `last_payment_error` for the failing
// test accounts (docs/stripe-facts.md §6). Events: payment_intent.processing|requires_action|succeeded|
// payment_failed|canceled.
import type { FastifyInstance } from 'fastify';
import { achError, achOutcome, blockAfterReturn, mandateDataSpec, type MandateUse } from '../ach';
import { invalidRequest } from '../errors';
import { abandonMicrodeposits } from '../microdeposits';
import { listParams, p, type Params, type Spec } from '../params';
import { registerRoute, type ApiRequest, type RouteContext } from '../router';
import type { Obj, Store, StoredIntent } from '../store';
import type { AchOutcome } from '../institutions';
import type { ApiErrorObject } from '../types';
import {
  automaticPaymentMethodsSpec,
  findIntent,
  paymentMethodDataSpec,
  registerIntentRoutes,
  renderIntent,
  unexpectedState,
  type Confirmation,
  type MicrodepositVerifier,
} from './intents';

const confirmable: Record<string, Spec> = {
  payment_method: p.str({ max: 5000 }),
  payment_method_data: paymentMethodDataSpec,
  payment_method_options: p.any(),
  payment_method_types: p.arr(p.str({ max: 5000 })),
  mandate_data: mandateDataSpec,
  mandate: p.str({ max: 5000 }),
  off_session: p.any(),
  return_url: p.str(),
  receipt_email: p.str({ emptyable: true }),
  setup_future_usage: p.str({ enum: ['', 'off_session', 'on_session'] }),
  shipping: p.any(),
  capture_method: p.str({ enum: ['automatic', 'automatic_async', 'manual'] }),
  error_on_requires_action: p.bool(),
  radar_options: p.any(),
  use_stripe_sdk: p.bool(),
  expand: p.expand(),
};

const updatable: Record<string, Spec> = {
  amount: p.int({ min: 50, max: 99_999_999 }),
  currency: p.str({ max: 3 }),
  customer: p.str({ max: 5000 }),
  customer_account: p.str({ max: 5000 }),
  description: p.str({ max: 1000, emptyable: true }),
  metadata: p.metadata(),
  payment_method: p.str({ max: 5000 }),
  payment_method_data: paymentMethodDataSpec,
  payment_method_options: p.any(),
  payment_method_types: p.arr(p.str({ max: 5000 })),
  receipt_email: p.str({ emptyable: true }),
  setup_future_usage: p.str({ enum: ['', 'off_session', 'on_session'] }),
  shipping: p.any(),
  statement_descriptor: p.str({ max: 22 }),
  statement_descriptor_suffix: p.str({ max: 22 }),
  transfer_data: p.any(),
  transfer_group: p.str(),
  application_fee_amount: p.any(),
  capture_method: p.str({ enum: ['automatic', 'automatic_async', 'manual'] }),
  expand: p.expand(),
};

/**
 * Stripe allows cancel from these states, and "rarely" from processing — never for an ACH Direct Debit
 * already submitted to the bank (docs/stripe-facts.md §6). The sandbox models ACH only: processing is final
 * until the debit settles or fails.
 */
const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
];

/** The fields only a PaymentIntent has; usd and at least $0.50 (the sandbox models ACH Direct Debit only). */
function paymentIntentFields(params: Params): Obj {
  const currency = (params.currency as string).toLowerCase();
  if (currency !== 'usd')
    throw invalidRequest(`The sandbox supports usd only for ACH Direct Debit (got '${currency}').`, {
      param: 'currency',
      code: 'parameter_invalid_string',
      validation: true,
    });
  if ((params.amount as number) < 50)
    throw invalidRequest('Amount must be at least $0.50 usd', {
      param: 'amount',
      code: 'amount_too_small',
      validation: true,
    });
  return {
    amount: params.amount as number,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application_fee_amount: null,
    canceled_at: null,
    capture_method: (params.capture_method as string | undefined) ?? 'automatic',
    confirmation_method: (params.confirmation_method as string | undefined) ?? 'automatic',
    currency,
    invoice: null,
    last_payment_error: null,
    latest_charge: null,
    processing: null,
    receipt_email: (params.receipt_email as string | undefined) || null,
    review: null,
    setup_future_usage: (params.setup_future_usage as string | undefined) || null,
    shipping: null,
    statement_descriptor: (params.statement_descriptor as string | undefined) ?? null,
    statement_descriptor_suffix: (params.statement_descriptor_suffix as string | undefined) ?? null,
    transfer_data: null,
    transfer_group: (params.transfer_group as string | undefined) ?? null,
  };
}

/** Confirmed, an ACH debit is `processing` until it settles after achDelayMs (docs/stripe-facts.md §6). */
function startDebit(store: Store, pi: StoredIntent, confirmation: Confirmation, req: ApiRequest): void {
  const { paymentMethod } = confirmation;
  pi.status = 'processing';
  pi.last_payment_error = null;
  store.emit('payment_intent.processing', renderIntent(pi), req.eventRequest, {
    status: confirmation.previousStatus,
  });
  const outcome = achOutcome(store, paymentMethod);
  // The "always processing" account never settles: use it to test cancel.
  if (outcome === 'processing') return;
  const timer = store.timers.schedule(store.options.achDelayMs, () => {
    store.intentTimers.delete(pi.id);
    if (pi.status !== 'processing') return;
    pi.latest_charge = store.id('py', 24);
    if (outcome === 'success' || outcome === 'dispute') {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      store.emit('payment_intent.succeeded', renderIntent(pi), undefined, {
        status: 'processing',
        amount_received: 0,
      });
    } else {
      blockAfterReturn(store, paymentMethod, outcome);
      failPayment(store, pi, achError(store, paymentMethod, outcome));
    }
  });
  if (timer) store.intentTimers.set(pi.id, timer);
}

/**
 * Ends a processing debit at once with `outcome` (the trigger helper in routes/trigger-helpers.ts): the bank's
 * return arrives now instead of after achDelayMs, with the same blocking and failure event.
 */
export function returnDebitNow(
  store: Store,
  pi: StoredIntent,
  outcome: AchOutcome,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  store.timers.cancel(store.intentTimers.get(pi.id));
  store.intentTimers.delete(pi.id);
  const pm = pi.payment_method as string;
  pi.latest_charge = store.id('py', 24);
  blockAfterReturn(store, pm, outcome, request);
  failPayment(store, pi, achError(store, pm, outcome), request);
}

/** A failed attempt: back to requires_payment_method with last_payment_error (`payment_intent.payment_failed`). */
function failPayment(
  store: Store,
  pi: StoredIntent,
  error: ApiErrorObject,
  request?: { id: string | null; idempotency_key: string | null },
): void {
  const previous = {
    status: pi.status,
    last_payment_error: null,
    payment_method: pi.payment_method,
    next_action: pi.next_action ?? null,
  };
  pi.status = 'requires_payment_method';
  pi.last_payment_error = error;
  pi.payment_method = null;
  pi.next_action = null;
  store.emit('payment_intent.payment_failed', renderIntent(pi), request, previous);
}

/** `setup_future_usage`, top level or under payment_method_options[us_bank_account], saves the account. */
function setupFutureUsage(pi: StoredIntent): string | null {
  const options = pi.payment_method_options as { us_bank_account?: { setup_future_usage?: string } } | null;
  return (pi.setup_future_usage as string | null) || options?.us_bank_account?.setup_future_usage || null;
}

export function registerPaymentIntentRoutes(app: FastifyInstance, ctx: RouteContext): MicrodepositVerifier {
  const { store } = ctx;
  const verify = registerIntentRoutes(app, ctx, {
    object: 'payment_intent',
    idPrefix: 'pi',
    intents: store.paymentIntents,
    params: {
      create: {
        ...confirmable,
        amount: p.int({ required: true, min: 1, max: 99_999_999 }),
        currency: p.str({ required: true, max: 3 }),
        customer: p.str({ max: 5000 }),
        customer_account: p.str({ max: 5000 }),
        description: p.str({ max: 1000 }),
        metadata: p.metadata(),
        confirm: p.bool(),
        confirmation_method: p.str({ enum: ['automatic', 'manual'] }),
        application_fee_amount: p.int(),
        automatic_payment_methods: automaticPaymentMethodsSpec,
        on_behalf_of: p.str(),
        statement_descriptor: p.str({ max: 22 }),
        statement_descriptor_suffix: p.str({ max: 22 }),
        transfer_data: p.any(),
        transfer_group: p.str(),
      },
      list: {
        ...listParams,
        customer: p.str({ max: 5000 }),
        customer_account: p.str({ max: 5000 }),
        created: p.range(),
      },
      update: updatable,
      confirm: { ...confirmable, client_secret: p.str({ max: 5000 }) },
    },
    ownBankAccountOptions: ['setup_future_usage', 'preferred_settlement_speed'],
    ownFields: paymentIntentFields,
    update: (pi, params) => {
      if (params.amount !== undefined) pi.amount = params.amount;
      if (params.setup_future_usage !== undefined)
        pi.setup_future_usage = (params.setup_future_usage as string) || null;
    },
    mandateUse: (pi): MandateUse =>
      setupFutureUsage(pi) && setupFutureUsage(pi) !== 'none'
        ? { type: 'multi_use' }
        : { type: 'single_use', amount: pi.amount as number, currency: pi.currency as string },
    savesPaymentMethod: (pi) => !!setupFutureUsage(pi) && setupFutureUsage(pi) !== 'none',
    confirmed: (pi, confirmation, req) => startDebit(store, pi, confirmation, req),
    failed: (pi, error, request) => failPayment(store, pi, error, request),
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_intents/:intent/cancel',
    params: {
      cancellation_reason: p.str({ enum: ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] }),
      expand: p.expand(),
    },
    handler: (req) => {
      const pi = findIntent(store.paymentIntents, 'payment_intent', req.pathParams.intent);
      if (!CANCELABLE.includes(pi.status))
        throw unexpectedState(
          pi,
          'cancel',
          ` Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        );
      store.timers.cancel(store.intentTimers.get(pi.id));
      store.intentTimers.delete(pi.id);
      const previous = { status: pi.status, canceled_at: null, cancellation_reason: null };
      abandonMicrodeposits(store, pi.id, req.eventRequest);
      pi.status = 'canceled';
      pi.canceled_at = store.clock.now();
      pi.cancellation_reason = (req.params.cancellation_reason as string | undefined) ?? null;
      store.emit('payment_intent.canceled', renderIntent(pi), req.eventRequest, previous);
      return renderIntent(pi);
    },
  });
  return verify;
}
