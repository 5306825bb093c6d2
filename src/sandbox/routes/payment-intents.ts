// /v1/payment_intents with ACH Direct Debit from FC accounts: create (optionally confirm), retrieve, list,
// update, confirm (mandate_data), cancel. After confirm the intent is `processing`; after achDelayMs it
// becomes `succeeded`, or `requires_payment_method` with `last_payment_error` for the failing test accounts
// (docs/stripe-facts.md §6). Events: payment_intent.processing|succeeded|payment_failed|canceled.
import type { FastifyInstance } from 'fastify';
import {
  achError,
  achOutcome,
  assertPayable,
  createMandate,
  fcAccountOf,
  mandateDataSpec,
  paymentMethodFromFcAccount,
  type MandateInput,
} from '../ach';
import { invalidRequest, resourceMissing } from '../errors';
import { paginate } from '../lists';
import { listParams, p, type Params, type Spec } from '../params';
import { clone } from '../render';
import { registerRoute, type ApiRequest, type RouteContext } from '../router';
import type { Obj, Store, StoredIntent } from '../store';
import { filterCreated } from './customers';

export const paymentMethodDataSpec: Spec = p.obj({
  type: p.str({ required: true, max: 5000 }),
  us_bank_account: p.obj({
    financial_connections_account: p.str({ max: 5000 }),
    account_holder_type: p.str({ enum: ['company', 'individual'] }),
    account_number: p.str({ max: 5000 }),
    account_type: p.str({ enum: ['checking', 'savings'] }),
    routing_number: p.str({ max: 5000 }),
  }),
  billing_details: p.any(),
  metadata: p.metadata(),
  allow_redisplay: p.str(),
  radar_options: p.any(),
});

const mandateData = { t: 'object', props: mandateDataSpec } as unknown as Spec;

const confirmable: Record<string, Spec> = {
  payment_method: p.str({ max: 5000 }),
  payment_method_data: paymentMethodDataSpec,
  payment_method_options: p.any(),
  payment_method_types: p.arr(p.str({ max: 5000 })),
  mandate_data: mandateData,
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

const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/**
 * The intent's owner: a v1 Customer (`customer`) or an Accounts v2 customer (`customer_account`, newer API
 * versions; stripe-node 22 sends it). Unknown ids → 400 resource_missing naming the parameter.
 */
export function ownerFrom(
  store: Store,
  params: Params,
): { customer: string | null; customer_account: string | null } {
  const customer = (params.customer as string | undefined) ?? null;
  const account = (params.customer_account as string | undefined) ?? null;
  if (customer && account)
    throw invalidRequest('You may only specify one of these parameters: customer, customer_account.', {
      param: 'customer_account',
      validation: true,
    });
  if (customer && !store.customers.has(customer))
    throw resourceMissing('customer', customer, 'customer', 400);
  if (account && !store.v2Accounts.has(account))
    throw resourceMissing('account', account, 'customer_account', 400);
  return { customer, customer_account: account };
}

function render(pi: StoredIntent): Obj {
  return clone(pi);
}

/** Attaches the PaymentMethod named by `payment_method` or built from `payment_method_data`. */
export function attachPaymentMethod(store: Store, intent: StoredIntent, params: Params): void {
  const data = params.payment_method_data as
    | {
        type: string;
        us_bank_account?: { financial_connections_account?: string };
        billing_details?: Record<string, unknown>;
        metadata?: Record<string, string>;
      }
    | undefined;
  if (params.payment_method !== undefined && data)
    throw invalidRequest(
      'You may only specify one of these parameters: payment_method, payment_method_data.',
      { param: 'payment_method_data', validation: true },
    );
  if (data) {
    if (data.type !== 'us_bank_account')
      throw invalidRequest(
        `The sandbox supports payment_method_data[type]=us_bank_account only (got '${String(data.type).slice(0, 40)}').`,
        {
          param: 'payment_method_data[type]',
          code: 'payment_method_invalid_parameter',
        },
      );
    const pm = paymentMethodFromFcAccount(
      store,
      data.us_bank_account?.financial_connections_account,
      'payment_method_data[us_bank_account][financial_connections_account]',
      {
        customer: (intent.customer as string | null) ?? null,
        billingDetails: data.billing_details,
        metadata: data.metadata,
      },
    );
    intent.payment_method = pm.id;
  } else if (params.payment_method !== undefined) {
    const id = params.payment_method as string;
    if (!store.paymentMethods.has(id)) throw resourceMissing('payment_method', id, 'payment_method', 400);
    intent.payment_method = id;
  } else return;
  const types = intent.payment_method_types as string[];
  if (!types.includes('us_bank_account'))
    throw invalidRequest(
      `The PaymentMethod provided (us_bank_account) is not allowed for this ${intent.object === 'payment_intent' ? 'PaymentIntent' : 'SetupIntent'}. Allowed: ${types.join(', ')}.`,
      {
        param: 'payment_method',
        code: 'payment_intent_invalid_parameter',
      },
    );
}

function pmOptions(params: Params, types: string[]): Obj | null {
  const given = (params.payment_method_options ?? {}) as Record<string, Record<string, unknown>>;
  if (!types.includes('us_bank_account')) return Object.keys(given).length ? (clone(given) as Obj) : {};
  const usba = given.us_bank_account ?? {};
  const fc = (usba.financial_connections ?? {}) as Record<string, unknown>;
  const permissions = (fc.permissions as string[] | undefined) ?? ['payment_method'];
  if (!permissions.includes('payment_method'))
    throw invalidRequest(
      'payment_method_options[us_bank_account][financial_connections][permissions] must include payment_method.',
      {
        param: 'payment_method_options[us_bank_account][financial_connections][permissions]',
        validation: true,
      },
    );
  return {
    us_bank_account: {
      financial_connections: {
        permissions,
        prefetch: (fc.prefetch as string[] | undefined) ?? [],
        ...(fc.return_url ? { return_url: fc.return_url } : {}),
      },
      verification_method: (usba.verification_method as string | undefined) ?? 'automatic',
      ...(usba.setup_future_usage ? { setup_future_usage: usba.setup_future_usage } : {}),
      ...(usba.preferred_settlement_speed
        ? { preferred_settlement_speed: usba.preferred_settlement_speed }
        : {}),
    },
  };
}

export function registerPaymentIntentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const get = (id: string): StoredIntent => {
    const pi = store.paymentIntents.get(id);
    if (!pi) throw resourceMissing('payment_intent', id, 'intent');
    return pi;
  };

  const confirm = (pi: StoredIntent, params: Params, req: ApiRequest): void => {
    if (!CONFIRMABLE.includes(pi.status))
      throw invalidRequest(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`, {
        code: 'payment_intent_unexpected_state',
      });
    attachPaymentMethod(store, pi, params);
    const pmId = pi.payment_method as string | null;
    if (!pmId)
      throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", {
        code: 'payment_intent_unexpected_state',
        param: 'payment_method',
      });
    const fca = fcAccountOf(store, pmId);
    if (fca) assertPayable(store, fca, 'payment_method');
    createMandate(store, pmId, params.mandate_data as MandateInput | undefined);
    const before = pi.status;
    pi.status = 'processing';
    pi.last_payment_error = null;
    store.emit('payment_intent.processing', render(pi), req.eventRequest, { status: before });
    const outcome = achOutcome(store, pmId);
    // The "always processing" account never settles: use it to test cancel.
    if (outcome === 'processing') return;
    const timer = store.timers.schedule(store.options.achDelayMs, () => {
      store.intentTimers.delete(pi.id);
      if (pi.status !== 'processing') return;
      if (outcome === 'success' || outcome === 'dispute') {
        pi.status = 'succeeded';
        pi.amount_received = pi.amount;
        pi.latest_charge = store.id('py', 24);
        store.emit('payment_intent.succeeded', render(pi), undefined, {
          status: 'processing',
          amount_received: 0,
        });
      } else {
        pi.status = 'requires_payment_method';
        pi.last_payment_error = achError(store, pmId, outcome);
        pi.payment_method = null;
        pi.latest_charge = store.id('py', 24);
        store.emit('payment_intent.payment_failed', render(pi), undefined, {
          status: 'processing',
          last_payment_error: null,
          payment_method: pmId,
        });
      }
    });
    if (timer) store.intentTimers.set(pi.id, timer);
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_intents',
    params: {
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
      automatic_payment_methods: p.any(),
      on_behalf_of: p.str(),
      statement_descriptor: p.str({ max: 22 }),
      statement_descriptor_suffix: p.str({ max: 22 }),
      transfer_data: p.any(),
      transfer_group: p.str(),
    },
    handler: (req) => {
      const ps = req.params;
      const currency = (ps.currency as string).toLowerCase();
      if (currency !== 'usd')
        throw invalidRequest(`The sandbox supports usd only for ACH Direct Debit (got '${currency}').`, {
          param: 'currency',
          code: 'parameter_invalid_string',
          validation: true,
        });
      if ((ps.amount as number) < 50)
        throw invalidRequest('Amount must be at least $0.50 usd', {
          param: 'amount',
          code: 'amount_too_small',
          validation: true,
        });
      const { customer, customer_account } = ownerFrom(store, ps);
      if (ps.confirm !== true && ps.mandate_data)
        throw invalidRequest('mandate_data can only be used with confirm=true.', {
          param: 'mandate_data',
          validation: true,
        });
      const pmData = ps.payment_method_data as { type?: string } | undefined;
      const types =
        (ps.payment_method_types as string[] | undefined) ??
        (pmData?.type ? [pmData.type] : ['us_bank_account']);
      const id = store.id('pi', 24);
      const pi: StoredIntent = {
        id,
        object: 'payment_intent',
        amount: ps.amount as number,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: 0,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: null,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: (ps.capture_method as string | undefined) ?? 'automatic',
        client_secret: store.secret(`${id}_secret_`),
        confirmation_method: (ps.confirmation_method as string | undefined) ?? 'automatic',
        created: store.clock.now(),
        currency,
        customer,
        customer_account,
        description: (ps.description as string | undefined) ?? null,
        invoice: null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: (ps.metadata as Record<string, string> | null) ?? {},
        next_action: null,
        on_behalf_of: null,
        payment_method: null,
        payment_method_options: pmOptions(ps, types),
        payment_method_types: types,
        processing: null,
        receipt_email: (ps.receipt_email as string | undefined) || null,
        review: null,
        setup_future_usage: (ps.setup_future_usage as string | undefined) || null,
        shipping: null,
        statement_descriptor: (ps.statement_descriptor as string | undefined) ?? null,
        statement_descriptor_suffix: (ps.statement_descriptor_suffix as string | undefined) ?? null,
        status: 'requires_payment_method',
        transfer_data: null,
        transfer_group: (ps.transfer_group as string | undefined) ?? null,
      };
      attachPaymentMethod(store, pi, ps);
      if (pi.payment_method) pi.status = 'requires_confirmation';
      store.paymentIntents.insert(pi);
      if (ps.confirm === true) {
        try {
          confirm(pi, { mandate_data: ps.mandate_data }, req);
        } catch (err) {
          // Stripe keeps the created intent when confirmation fails; the error names it.
          (err as { body?: Record<string, unknown> }).body!.payment_intent = render(pi);
          throw err;
        }
      }
      return render(pi);
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/payment_intents',
    list: true,
    params: {
      ...listParams,
      customer: p.str({ max: 5000 }),
      customer_account: p.str({ max: 5000 }),
      created: p.range(),
    },
    handler: (req) => {
      let items = store.paymentIntents.newestFirst();
      if (req.params.customer) items = items.filter((pi) => pi.customer === req.params.customer);
      if (req.params.customer_account)
        items = items.filter((pi) => pi.customer_account === req.params.customer_account);
      items = filterCreated(items as (StoredIntent & { created: number })[], req.params.created);
      return clone(paginate(items, req.params, '/v1/payment_intents', 'payment_intent')) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/payment_intents/:intent',
    params: { client_secret: p.str({ max: 5000 }), expand: p.expand() },
    handler: (req) => render(get(req.pathParams.intent)),
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_intents/:intent',
    params: {
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
    },
    handler: (req) => {
      const pi = get(req.pathParams.intent);
      if (!CONFIRMABLE.includes(pi.status))
        throw invalidRequest(
          `You cannot update this PaymentIntent because it has a status of ${pi.status}.`,
          { code: 'payment_intent_unexpected_state' },
        );
      const ps = req.params;
      if (ps.amount !== undefined) pi.amount = ps.amount;
      if (ps.description !== undefined) pi.description = (ps.description as string) || null;
      if (ps.customer !== undefined || ps.customer_account !== undefined)
        Object.assign(pi, ownerFrom(store, ps));
      if (ps.metadata !== undefined) {
        const m = ps.metadata as Record<string, string> | null;
        const cur = pi.metadata as Record<string, string>;
        if (m === null) pi.metadata = {};
        else
          for (const [k, v] of Object.entries(m))
            if (v === '') delete cur[k];
            else cur[k] = v;
      }
      if (ps.payment_method_types !== undefined) pi.payment_method_types = ps.payment_method_types;
      attachPaymentMethod(store, pi, ps);
      if (pi.payment_method && pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
      return render(pi);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_intents/:intent/confirm',
    params: { ...confirmable, client_secret: p.str({ max: 5000 }) },
    handler: (req) => {
      const pi = get(req.pathParams.intent);
      confirm(pi, req.params, req);
      return render(pi);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_intents/:intent/cancel',
    params: {
      cancellation_reason: p.str({ enum: ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] }),
      expand: p.expand(),
    },
    handler: (req) => {
      const pi = get(req.pathParams.intent);
      if (!CANCELABLE.includes(pi.status))
        throw invalidRequest(
          `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
          { code: 'payment_intent_unexpected_state' },
        );
      store.timers.cancel(store.intentTimers.get(pi.id));
      store.intentTimers.delete(pi.id);
      const previous = { status: pi.status, canceled_at: null, cancellation_reason: null };
      pi.status = 'canceled';
      pi.canceled_at = store.clock.now();
      pi.cancellation_reason = (req.params.cancellation_reason as string | undefined) ?? null;
      store.emit('payment_intent.canceled', render(pi), req.eventRequest, previous);
      return render(pi);
    },
  });
}
