// What PaymentIntents and SetupIntents share (docs/stripe-facts.md §6), in one place: the five routes both have
// (create, list, retrieve, update, confirm), the owner (`customer` or `customer_account`), the us_bank_account
// PaymentMethod (`payment_method`, or `payment_method_data` from an FC account),
// `payment_method_options[us_bank_account]`, the state rules of update and confirm, the checks and the mandate
// every confirmation makes, metadata updates, lookup and rendering. Each kind brings its parameters, its own
// fields and what a confirmation does (routes/payment-intents.ts, routes/setup-intents.ts).
import type { FastifyInstance } from 'fastify';
import {
  activeMultiUseMandate,
  assertPayable,
  attachToCustomer,
  createMandate,
  fcAccountOf,
  paymentMethodFromAccountNumber,
  paymentMethodFromFcAccount,
  type ManualBankAccount,
  type MandateInput,
  type MandateUse,
} from '../ach';
import { checkMicrodeposits, startMicrodeposits, verificationOf } from '../microdeposits';
import { invalidRequest, resourceMissing, SandboxError } from '../errors';
import { filterCreated, paginate } from '../lists';
import { updatedMetadata } from '../metadata';
import { assertSupportedTypes, unsupportedType } from '../payment-method-types';
import { p, type Params, type Spec } from '../params';
import { clone } from '../render';
import { registerRoute, type ApiRequest, type RouteContext } from '../router';
import type { Collection, Obj, Store, StoredIntent } from '../store';
import type { ApiErrorObject, Metadata } from '../types';

type IntentObject = StoredIntent['object'];

const NAMES: Record<IntentObject, string> = { payment_intent: 'PaymentIntent', setup_intent: 'SetupIntent' };

/** Both kinds can be updated and confirmed only in these states (docs.stripe.com/payments/paymentintents/lifecycle). */
export const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** What a confirmation has checked and recorded when the kind's own outcome starts. */
export interface Confirmation {
  paymentMethod: string;
  mandate: string;
  /** The status before this confirmation (for the event's previous_attributes). */
  previousStatus: string;
  /** The bank account must be verified with microdeposits before the kind's outcome starts. */
  needsMicrodeposits: boolean;
}

/** What one kind brings to the shared routes. */
export interface IntentKind {
  object: IntentObject;
  /** `pi` or `seti`. */
  idPrefix: string;
  intents: Collection<StoredIntent>;
  /** Each endpoint's parameters, as Stripe's tables for that kind list them. */
  params: Record<'create' | 'list' | 'update' | 'confirm', Record<string, Spec>>;
  /** `payment_method_options[us_bank_account]` keys only this kind has. */
  ownBankAccountOptions: string[];
  /** Validates the kind's own create parameters and returns its own fields of a new intent. */
  ownFields(params: Params): Obj;
  /** The kind's own part of an update, after the shared part. */
  update?(intent: StoredIntent, params: Params): void;
  /** The mandate a new acceptance records: multi_use when the PaymentMethod is saved for later. */
  mandateUse(intent: StoredIntent): MandateUse;
  /** Whether a successful confirmation saves (attaches) the PaymentMethod to the intent's customer. */
  savesPaymentMethod(intent: StoredIntent): boolean;
  /**
   * What a confirmation does once it has passed the shared checks and the bank account is verified (at once,
   * or after its microdeposits).
   */
  confirmed(intent: StoredIntent, confirmation: Confirmation, req: ApiRequest): void;
  /** The attempt failed: back to requires_payment_method with the error, and the kind's failure event. */
  failed(
    intent: StoredIntent,
    error: ApiErrorObject,
    request?: { id: string | null; idempotency_key: string | null },
  ): void;
}

/** `payment_method_data` of create, update and confirm: only `us_bank_account` from an FC account is modelled. */
/** `automatic_payment_methods` of create (both kinds): kept on the intent as given (Stripe's object shape). */
export const automaticPaymentMethodsSpec: Spec = p.obj({
  enabled: p.bool({ required: true }),
  allow_redirects: p.str({ enum: ['always', 'never'] }),
});

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

/** 400 `<object>_unexpected_state`: "You cannot confirm this PaymentIntent because it has a status of …". */
export function unexpectedState(intent: StoredIntent, action: string, extra = ''): SandboxError {
  return invalidRequest(
    `You cannot ${action} this ${NAMES[intent.object]} because it has a status of ${intent.status}.${extra}`,
    { code: `${intent.object}_unexpected_state` },
  );
}

/** The intent with that id, or 404 resource_missing (param `intent`, as Stripe names it). */
export function findIntent(
  intents: Collection<StoredIntent>,
  object: IntentObject,
  id: string,
): StoredIntent {
  const intent = intents.get(id);
  if (!intent) throw resourceMissing(object, id, 'intent');
  return intent;
}

export function renderIntent(intent: StoredIntent): Obj {
  return clone(intent);
}

/** Submits microdeposit values for an intent (the verify_microdeposits route and the hosted verification page). */
export type MicrodepositVerifier = (
  intent: StoredIntent,
  values: { amounts?: number[]; descriptor_code?: string },
  req: ApiRequest,
) => void;

/**
 * Create, list, retrieve, update, confirm and verify_microdeposits of one kind, under /v1/payment_intents or
 * /v1/setup_intents. Returns the kind's microdeposit verifier (the hosted verification page uses it too).
 */
export function registerIntentRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  kind: IntentKind,
): MicrodepositVerifier {
  const { store } = ctx;
  const url = `/v1/${kind.object}s`;
  const get = (id: string): StoredIntent => findIntent(kind.intents, kind.object, id);
  const confirm = (intent: StoredIntent, params: Params, req: ApiRequest): void => {
    const confirmation = beginConfirmation(store, kind, intent, params);
    if (confirmation.needsMicrodeposits)
      startMicrodeposits(store, intent, confirmation, req, (error) => kind.failed(intent, error));
    else completeConfirmation(store, kind, intent, confirmation, req);
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url,
    params: kind.params.create,
    handler: (req) => {
      const ps = req.params;
      const own = kind.ownFields(ps);
      const intent = { ...newIntent(store, kind, ps), ...own } as StoredIntent;
      attachPaymentMethod(store, intent, ps);
      kind.intents.insert(intent);
      if (ps.confirm === true) {
        try {
          confirm(
            intent,
            { mandate_data: ps.mandate_data, mandate: ps.mandate, off_session: ps.off_session },
            req,
          );
        } catch (err) {
          // Stripe keeps the intent when this confirmation fails, and the error names it
          // (the `payment_intent` / `setup_intent` field of Stripe's error object).
          const body = (err as { body?: Record<string, unknown> }).body;
          if (body) body[kind.object] = renderIntent(intent);
          throw err;
        }
      }
      return renderIntent(intent);
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url,
    list: true,
    params: kind.params.list,
    handler: (req) => {
      let items = kind.intents.newestFirst();
      for (const field of ['customer', 'customer_account', 'payment_method'] as const)
        if (req.params[field]) items = items.filter((intent) => intent[field] === req.params[field]);
      items = filterCreated(items as (StoredIntent & { created: number })[], req.params.created);
      return clone(paginate(items, req.params, url, kind.object)) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: `${url}/:intent`,
    params: { client_secret: p.str({ max: 5000 }), expand: p.expand() },
    handler: (req) => renderIntent(get(req.pathParams.intent)),
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: `${url}/:intent`,
    params: kind.params.update,
    handler: (req) => {
      const intent = get(req.pathParams.intent);
      const ps = req.params;
      if (!CONFIRMABLE.includes(intent.status)) throw unexpectedState(intent, 'update');
      if (ps.description !== undefined) intent.description = (ps.description as string) || null;
      if (ps.customer !== undefined || ps.customer_account !== undefined)
        Object.assign(intent, ownerFrom(store, ps));
      if (ps.metadata !== undefined)
        intent.metadata = updatedMetadata(intent.metadata as Metadata, ps.metadata as Metadata | null);
      assertSupportedTypes(ps.payment_method_types, 'payment_method_types');
      if (ps.payment_method_types !== undefined) intent.payment_method_types = ps.payment_method_types;
      if (ps.payment_method_options !== undefined)
        intent.payment_method_options = paymentMethodOptions(
          kind,
          ps,
          intent.payment_method_types as string[],
        );
      attachPaymentMethod(store, intent, ps);
      kind.update?.(intent, ps);
      return renderIntent(intent);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: `${url}/:intent/confirm`,
    params: kind.params.confirm,
    handler: (req) => {
      const intent = get(req.pathParams.intent);
      confirm(intent, req.params, req);
      return renderIntent(intent);
    },
  });

  // Right values: the confirmation completes (PaymentIntent processing, SetupIntent succeeded). The attempt
  // limit or the timeout: the intent fails (back to requires_payment_method with the error and the failure
  // event) and the request answers that error; a wrong value below the limit answers the mismatch error.
  const verify: MicrodepositVerifier = (intent, values, req) => {
    const record = verificationOf(store, intent);
    const result = checkMicrodeposits(store, record, values, req.eventRequest);
    if (result.verified) {
      completeConfirmation(
        store,
        kind,
        intent,
        {
          paymentMethod: record.paymentMethod,
          mandate: record.mandate,
          previousStatus: 'requires_action',
          needsMicrodeposits: false,
        },
        req,
      );
      return;
    }
    kind.failed(intent, result.error, req.eventRequest);
    throw new SandboxError(400, {
      type: 'invalid_request_error',
      code: result.error.code,
      message: result.error.message ?? '',
      [kind.object]: renderIntent(intent),
    });
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url: `${url}/:intent/verify_microdeposits`,
    params: {
      amounts: p.arr(p.int()),
      descriptor_code: p.str({ max: 5000 }),
      client_secret: p.str({ max: 5000 }),
      expand: p.expand(),
    },
    handler: (req) => {
      const intent = get(req.pathParams.intent);
      verify(
        intent,
        {
          amounts: req.params.amounts as number[] | undefined,
          descriptor_code: req.params.descriptor_code as string | undefined,
        },
        req,
      );
      return renderIntent(intent);
    },
  });
  return verify;
}

/**
 * The fields both kinds set the same way on create. `mandate_data` is accepted only with `confirm=true`
 * (Stripe's parameter description, for both kinds).
 */
function newIntent(store: Store, kind: IntentKind, params: Params): StoredIntent {
  const owner = ownerFrom(store, params);
  for (const param of ['mandate_data', 'mandate', 'off_session'])
    if (params.confirm !== true && params[param] !== undefined)
      throw invalidRequest(`${param} can only be used with confirm=true.`, { param, validation: true });
  const pmData = params.payment_method_data as { type?: string } | undefined;
  assertSupportedTypes(params.payment_method_types, 'payment_method_types');
  const automatic = params.automatic_payment_methods as Obj | undefined;
  if (automatic !== undefined && params.payment_method_types !== undefined)
    throw invalidRequest(
      'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      { param: 'automatic_payment_methods', validation: true },
    );
  // With automatic payment methods Stripe picks the types the account has enabled: here us_bank_account.
  const types =
    (params.payment_method_types as string[] | undefined) ??
    (pmData?.type ? [pmData.type] : ['us_bank_account']);
  const id = store.id(kind.idPrefix, 24);
  return {
    id,
    object: kind.object,
    application: null,
    automatic_payment_methods: automatic ? clone(automatic) : null,
    cancellation_reason: null,
    client_secret: store.secret(`${id}_secret_`),
    created: store.clock.now(),
    ...owner,
    description: (params.description as string | undefined) ?? null,
    livemode: false,
    metadata: updatedMetadata({}, (params.metadata as Metadata | null | undefined) ?? {}),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_options: paymentMethodOptions(kind, params, types),
    payment_method_types: types,
    status: 'requires_payment_method',
  };
}

/**
 * The intent's owner: a v1 Customer (`customer`) or an Accounts v2 customer (`customer_account`, newer API
 * versions; stripe-node 22 sends it). Unknown ids → 400 resource_missing naming the parameter.
 */
function ownerFrom(
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

/**
 * `payment_method_options` as stored: for us_bank_account, the Financial Connections permissions (which must
 * include `payment_method`), prefetch and return_url, the verification method, and the kind's own options
 * when given.
 */
function paymentMethodOptions(kind: IntentKind, params: Params, types: string[]): Obj {
  const given = (params.payment_method_options ?? {}) as Record<string, Record<string, unknown>>;
  if (!types.includes('us_bank_account')) return clone(given) as Obj;
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
      ...Object.fromEntries(kind.ownBankAccountOptions.filter((k) => usba[k]).map((k) => [k, usba[k]])),
    },
  };
}

/** Attaches the PaymentMethod named by `payment_method` or built from `payment_method_data`, if either is given. */
function attachPaymentMethod(store: Store, intent: StoredIntent, params: Params): void {
  const data = params.payment_method_data as
    | {
        type?: string;
        us_bank_account?: ManualBankAccount & { financial_connections_account?: string };
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
    if (data.type !== 'us_bank_account') throw unsupportedType(data.type, 'payment_method_data[type]');
    const extra = {
      billingDetails: data.billing_details,
      metadata: data.metadata,
    };
    const usba = data.us_bank_account ?? {};
    const pm =
      usba.account_number !== undefined && usba.financial_connections_account === undefined
        ? paymentMethodFromAccountNumber(store, usba, 'payment_method_data[us_bank_account]', extra)
        : paymentMethodFromFcAccount(
            store,
            usba.financial_connections_account,
            'payment_method_data[us_bank_account][financial_connections_account]',
            extra,
          );
    // `verification_method=microdeposits`: even an instantly verifiable account is verified with microdeposits.
    if (verificationMethod(intent) === 'microdeposits')
      store.bankAccounts.get(pm.id)!.verification = 'pending';
    intent.payment_method = pm.id;
  } else if (params.payment_method !== undefined) {
    const id = params.payment_method as string;
    assertUsable(store, intent, id);
    intent.payment_method = id;
  } else return;
  const types = intent.payment_method_types as string[];
  if (!types.includes('us_bank_account'))
    throw invalidRequest(
      `The PaymentMethod provided (us_bank_account) is not allowed for this ${NAMES[intent.object]}. Allowed: ${types.join(', ')}.`,
      {
        param: 'payment_method',
        code: `${intent.object}_invalid_parameter`,
      },
    );
  if (intent.status === 'requires_payment_method') intent.status = 'requires_confirmation';
}

function verificationMethod(intent: StoredIntent): string | undefined {
  const options = intent.payment_method_options as
    { us_bank_account?: { verification_method?: string } } | null | undefined;
  return options?.us_bank_account?.verification_method;
}

/**
 * A saved PaymentMethod may pay only for the customer it is attached to, and never again once detached or
 * blocked by a failed microdeposit verification.
 */
function assertUsable(store: Store, intent: StoredIntent, pmId: string): void {
  const pm = store.paymentMethods.get(pmId);
  if (!pm) throw resourceMissing('payment_method', pmId, 'payment_method', 400);
  const state = store.bankAccounts.get(pmId);
  if (state?.detached)
    throw invalidRequest(
      'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
      { code: 'payment_method_unexpected_state', param: 'payment_method' },
    );
  if (state?.blocked)
    throw invalidRequest('This bank account has failed verification in the past and can not be used.', {
      code: 'payment_method_bank_account_blocked',
      param: 'payment_method',
    });
  const owner = (pm.customer as string | null) ?? (pm.customer_account as string | null);
  const intentOwner = (intent.customer as string | null) ?? (intent.customer_account as string | null);
  if (owner && owner !== intentOwner)
    throw invalidRequest(
      intentOwner
        ? `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`
        : `The PaymentMethod ${pmId} is attached to a customer: pass that customer to use it.`,
      {
        code: intentOwner ? 'resource_missing' : `${intent.object}_invalid_parameter`,
        param: 'payment_method',
      },
    );
}

/**
 * What every confirmation checks and records before the kind's own outcome: the state, a payment method
 * (attached now or before), an FC account that can still be debited, and the mandate: a new acceptance
 * (`mandate_data`), a saved multi_use mandate named by `mandate`, or the one the saved PaymentMethod was set
 * up with (off-session payments need no new acceptance).
 */
function beginConfirmation(
  store: Store,
  kind: IntentKind,
  intent: StoredIntent,
  params: Params,
): Confirmation {
  const previousStatus = intent.status;
  if (!CONFIRMABLE.includes(intent.status)) throw unexpectedState(intent, 'confirm');
  if (params.payment_method_options !== undefined)
    intent.payment_method_options = paymentMethodOptions(
      kind,
      params,
      intent.payment_method_types as string[],
    );
  // What confirm may change besides the method (a PaymentIntent's setup_future_usage).
  kind.update?.(intent, params);
  attachPaymentMethod(store, intent, params);
  const paymentMethod = intent.payment_method as string | null;
  if (!paymentMethod)
    throw invalidRequest(
      `You cannot confirm this ${NAMES[intent.object]} because it's missing a payment method.`,
      {
        code: `${intent.object}_unexpected_state`,
        param: 'payment_method',
      },
    );
  assertUsable(store, intent, paymentMethod);
  const fca = fcAccountOf(store, paymentMethod);
  if (fca) assertPayable(store, fca, 'payment_method');
  const needsMicrodeposits = store.bankAccounts.get(paymentMethod)?.verification === 'pending';
  const mandate = mandateOf(store, kind, intent, params, paymentMethod, needsMicrodeposits);
  return { paymentMethod, mandate, previousStatus, needsMicrodeposits };
}

function mandateOf(
  store: Store,
  kind: IntentKind,
  intent: StoredIntent,
  params: Params,
  paymentMethod: string,
  pending: boolean,
): string {
  const named = params.mandate as string | undefined;
  if (named !== undefined) {
    if (params.mandate_data !== undefined)
      throw invalidRequest('You may only specify one of these parameters: mandate, mandate_data.', {
        param: 'mandate_data',
        validation: true,
      });
    const m = store.mandates.get(named);
    if (!m) throw resourceMissing('mandate', named, 'mandate', 400);
    const why =
      m.payment_method !== paymentMethod
        ? `it belongs to another PaymentMethod than ${paymentMethod}`
        : m.status !== 'active'
          ? `its status is ${String(m.status)}`
          : m.type !== 'multi_use'
            ? 'it is a single_use mandate'
            : null;
    if (why)
      throw invalidRequest(`The mandate ${named} cannot be used for this ${NAMES[intent.object]}: ${why}.`, {
        code: `${intent.object}_mandate_invalid`,
        param: 'mandate',
      });
    return named;
  }
  if (params.mandate_data === undefined && !pending) {
    const saved = activeMultiUseMandate(store, paymentMethod);
    if (saved) return saved.id;
  }
  return createMandate(
    store,
    paymentMethod,
    params.mandate_data as MandateInput | undefined,
    kind.mandateUse(intent),
    pending ? 'pending' : 'active',
  ).id;
}

/**
 * The bank account is verified (instantly, or by its microdeposits): a saving intent attaches the
 * PaymentMethod to its customer (`payment_method.attached`), then the kind's outcome starts.
 */
export function completeConfirmation(
  store: Store,
  kind: IntentKind,
  intent: StoredIntent,
  confirmation: Confirmation,
  req: ApiRequest,
): void {
  if (kind.savesPaymentMethod(intent))
    attachToCustomer(
      store,
      confirmation.paymentMethod,
      {
        customer: (intent.customer as string | null) ?? null,
        customer_account: (intent.customer_account as string | null) ?? null,
      },
      req.eventRequest,
    );
  kind.confirmed(intent, confirmation, req);
}
