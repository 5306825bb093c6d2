// /v1/setup_intents for us_bank_account from FC accounts: create (optionally confirm), retrieve, list, update,
// confirm, verify_microdeposits, cancel. FC accounts are instantly verified, so a confirmed SetupIntent
// succeeds at once (setup_intent.succeeded) with a multi_use mandate, and its PaymentMethod is attached to the
// customer (payment_method.attached); a manually entered account waits for microdeposits
// (setup_intent.requires_action) first. A failed verification: setup_intent.setup_failed.
import type { FastifyInstance } from 'fastify';
import { mandateDataSpec } from '../ach';
import { abandonMicrodeposits } from '../microdeposits';
import { listParams, p, type Params } from '../params';
import { registerRoute, type RouteContext } from '../router';
import type { Obj } from '../store';
import {
  automaticPaymentMethodsSpec,
  findIntent,
  paymentMethodDataSpec,
  registerIntentRoutes,
  renderIntent,
  unexpectedState,
  type MicrodepositVerifier,
} from './intents';

/** Stripe cancels a SetupIntent only from these states (docs.stripe.com/api/setup_intents/cancel). */
const CANCELABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** The fields only a SetupIntent has. */
function setupIntentFields(params: Params): Obj {
  return {
    flow_directions: (params.flow_directions as string[] | undefined) ?? null,
    last_setup_error: null,
    latest_attempt: null,
    mandate: null,
    single_use_mandate: null,
    usage: (params.usage as string | undefined) ?? 'off_session',
  };
}

export function registerSetupIntentRoutes(app: FastifyInstance, ctx: RouteContext): MicrodepositVerifier {
  const { store } = ctx;
  const verify = registerIntentRoutes(app, ctx, {
    object: 'setup_intent',
    idPrefix: 'seti',
    intents: store.setupIntents,
    params: {
      create: {
        attach_to_self: p.bool(),
        automatic_payment_methods: automaticPaymentMethodsSpec,
        confirm: p.bool(),
        customer: p.str({ max: 5000 }),
        customer_account: p.str({ max: 5000 }),
        description: p.str({ max: 1000 }),
        expand: p.expand(),
        flow_directions: p.arr(p.str({ enum: ['inbound', 'outbound'] })),
        mandate_data: mandateDataSpec,
        metadata: p.metadata(),
        on_behalf_of: p.str(),
        payment_method: p.str({ max: 5000 }),
        payment_method_data: paymentMethodDataSpec,
        payment_method_options: p.any(),
        payment_method_types: p.arr(p.str({ max: 5000 })),
        return_url: p.str(),
        single_use: p.any(),
        usage: p.str({ enum: ['off_session', 'on_session'] }),
        use_stripe_sdk: p.bool(),
      },
      list: {
        ...listParams,
        customer: p.str(),
        created: p.range(),
        payment_method: p.str(),
        attach_to_self: p.bool(),
      },
      update: {
        attach_to_self: p.bool(),
        customer: p.str(),
        customer_account: p.str(),
        description: p.str({ emptyable: true }),
        expand: p.expand(),
        flow_directions: p.arr(p.str({ enum: ['inbound', 'outbound'] })),
        metadata: p.metadata(),
        payment_method: p.str(),
        payment_method_data: paymentMethodDataSpec,
        payment_method_options: p.any(),
        payment_method_types: p.arr(p.str()),
      },
      confirm: {
        client_secret: p.str(),
        expand: p.expand(),
        mandate_data: mandateDataSpec,
        payment_method: p.str(),
        payment_method_data: paymentMethodDataSpec,
        payment_method_options: p.any(),
        return_url: p.str(),
        use_stripe_sdk: p.bool(),
      },
    },
    ownBankAccountOptions: [],
    ownFields: setupIntentFields,
    mandateUse: () => ({ type: 'multi_use' }),
    savesPaymentMethod: () => true,
    confirmed: (si, { mandate, previousStatus }, req) => {
      si.mandate = mandate;
      si.status = 'succeeded';
      si.next_action = null;
      store.emit('setup_intent.succeeded', renderIntent(si), req.eventRequest, { status: previousStatus });
    },
    failed: (si, error, request) => {
      const previous = {
        status: si.status,
        last_setup_error: null,
        payment_method: si.payment_method,
        next_action: si.next_action ?? null,
      };
      si.status = 'requires_payment_method';
      si.last_setup_error = error;
      si.payment_method = null;
      si.next_action = null;
      store.emit('setup_intent.setup_failed', renderIntent(si), request, previous);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/setup_intents/:intent/cancel',
    params: {
      cancellation_reason: p.str({ enum: ['abandoned', 'duplicate', 'requested_by_customer'] }),
      expand: p.expand(),
    },
    handler: (req) => {
      const si = findIntent(store.setupIntents, 'setup_intent', req.pathParams.intent);
      if (!CANCELABLE.includes(si.status))
        throw unexpectedState(
          si,
          'cancel',
          ` Only a SetupIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        );
      const previous = { status: si.status, cancellation_reason: null };
      abandonMicrodeposits(store, si.id, req.eventRequest);
      si.status = 'canceled';
      si.cancellation_reason = (req.params.cancellation_reason as string | undefined) ?? null;
      store.emit('setup_intent.canceled', renderIntent(si), req.eventRequest, previous);
      return renderIntent(si);
    },
  });
  return verify;
}
