// /v1/payment_methods (us_bank_account only): create from a Financial Connections account or from a manually
// entered account number, list (by customer and type), retrieve, update, attach, detach; the customer's
// saved ones under /v1/customers/{customer}/payment_methods; and /v1/mandates/{mandate}.
// Events: payment_method.attached|detached|updated (docs.stripe.com/api/payment_methods).
import type { FastifyInstance } from 'fastify';
import {
  attachToCustomer,
  detachFromCustomer,
  paymentMethodFromAccountNumber,
  paymentMethodFromFcAccount,
} from '../ach';
import { fullAddress, type Address } from '../address';
import { invalidRequest, resourceMissing } from '../errors';
import { paginate } from '../lists';
import { assertSupportedTypes, unsupportedType } from '../payment-method-types';
import { updatedMetadata } from '../metadata';
import { listParams, p, type Params, type Spec } from '../params';
import { clone } from '../render';
import { registerRoute, type RouteContext } from '../router';
import type { Obj, Store } from '../store';
import type { Metadata } from '../types';

const address = p.obj(
  {
    city: p.str({ max: 5000 }),
    country: p.str({ max: 5000 }),
    line1: p.str({ max: 5000 }),
    line2: p.str({ max: 5000 }),
    postal_code: p.str({ max: 5000 }),
    state: p.str({ max: 5000 }),
  },
  { emptyable: true },
);

const billingDetails: Spec = p.obj({
  address,
  email: p.str({ emptyable: true }),
  name: p.str({ max: 5000, emptyable: true }),
  phone: p.str({ max: 5000, emptyable: true }),
});

type PaymentMethod = Obj & { id: string };

function find(store: Store, id: string, param = 'payment_method'): PaymentMethod {
  const pm = store.paymentMethods.get(id);
  if (!pm) throw resourceMissing('payment_method', id, param);
  return pm;
}

/** A customer's saved PaymentMethods, newest first (optionally of one type). */
function savedBy(store: Store, customer: string, type: unknown): PaymentMethod[] {
  return store.paymentMethods
    .newestFirst()
    .filter((pm) => pm.customer === customer && (type === undefined || pm.type === type));
}

export function registerPaymentMethodRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_methods',
    params: {
      type: p.str({ max: 5000 }),
      us_bank_account: p.obj({
        account_holder_type: p.str({ enum: ['company', 'individual'] }),
        account_number: p.str({ max: 5000 }),
        account_type: p.str({ enum: ['checking', 'savings'] }),
        financial_connections_account: p.str({ max: 5000 }),
        routing_number: p.str({ max: 5000 }),
      }),
      billing_details: billingDetails,
      metadata: p.metadata(),
      allow_redisplay: p.str({ enum: ['always', 'limited', 'unspecified'] }),
      customer: p.str({ max: 5000 }),
      payment_method: p.str({ max: 5000 }),
      radar_options: p.any(),
      // Stripe's card details: known, so refused as an unsupported type rather than an unknown parameter.
      card: p.any(),
      expand: p.expand(),
    },
    handler: (req) => {
      const ps = req.params;
      if (ps.customer !== undefined || ps.payment_method !== undefined)
        // Stripe uses these to clone a customer's PaymentMethod onto a connected account (Connect only).
        throw invalidRequest(
          'customer and payment_method are only used by Connect platforms to clone a PaymentMethod.',
          {
            param: ps.customer !== undefined ? 'customer' : 'payment_method',
          },
        );
      if (ps.type === undefined)
        throw invalidRequest('Missing required param: type.', {
          code: 'parameter_missing',
          param: 'type',
          validation: true,
        });
      assertSupportedTypes(ps.type, 'type');
      if (ps.card !== undefined) throw unsupportedType('card', 'card');
      const usba = (ps.us_bank_account ?? {}) as Record<string, string | undefined>;
      const extra = {
        billingDetails: ps.billing_details as Record<string, unknown> | undefined,
        metadata: updatedMetadata({}, (ps.metadata as Metadata | null | undefined) ?? {}),
      };
      const pm =
        usba.financial_connections_account !== undefined
          ? paymentMethodFromFcAccount(
              store,
              usba.financial_connections_account,
              'us_bank_account[financial_connections_account]',
              extra,
            )
          : paymentMethodFromAccountNumber(store, usba, 'us_bank_account', extra);
      if (ps.allow_redisplay !== undefined) pm.allow_redisplay = ps.allow_redisplay;
      return clone(pm);
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/payment_methods',
    list: true,
    params: {
      ...listParams,
      customer: p.str({ max: 5000 }),
      customer_account: p.str({ max: 5000 }),
      type: p.str({ max: 5000 }),
      allow_redisplay: p.str({ enum: ['always', 'limited', 'unspecified'] }),
    },
    handler: (req) => {
      const ps = req.params;
      // A type the sandbox does not model filters to nothing: an empty list, as Stripe answers an account with none.
      const items = store.paymentMethods
        .newestFirst()
        .filter(
          (pm) =>
            (ps.customer === undefined || pm.customer === ps.customer) &&
            (ps.customer_account === undefined || pm.customer_account === ps.customer_account) &&
            (ps.type === undefined || pm.type === ps.type) &&
            (ps.allow_redisplay === undefined || pm.allow_redisplay === ps.allow_redisplay),
        );
      return clone(paginate(items, ps, '/v1/payment_methods', 'payment_method')) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/payment_methods/:payment_method',
    params: { expand: p.expand() },
    handler: (req) => clone(find(store, req.pathParams.payment_method)),
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_methods/:payment_method',
    params: {
      billing_details: billingDetails,
      metadata: p.metadata(),
      allow_redisplay: p.str({ enum: ['always', 'limited', 'unspecified'] }),
      us_bank_account: p.obj({
        account_holder_type: p.str({ enum: ['company', 'individual'] }),
        account_type: p.str({ enum: ['checking', 'savings'] }),
      }),
      expand: p.expand(),
    },
    handler: (req) => {
      const pm = find(store, req.pathParams.payment_method);
      const ps = req.params;
      // "A PaymentMethod must be attached to a customer to be updated." (docs.stripe.com/api/payment_methods/update)
      if (!pm.customer && !pm.customer_account)
        throw invalidRequest('You must save this PaymentMethod to a customer before you can update it.', {
          code: 'payment_method_unexpected_state',
        });
      const previous: Obj = {};
      if (ps.billing_details !== undefined) {
        const bd = ps.billing_details as Record<string, unknown>;
        const cur = pm.billing_details as Record<string, unknown>;
        previous.billing_details = clone(cur);
        const next = { ...cur };
        for (const k of ['email', 'name', 'phone'] as const)
          if (bd[k] !== undefined) next[k] = (bd[k] as string) || null;
        if (bd.address !== undefined)
          next.address = fullAddress(
            cur.address as Partial<Address> | undefined,
            (bd.address as Partial<Address> | null) ?? {},
          );
        pm.billing_details = next;
      }
      if (ps.metadata !== undefined) {
        previous.metadata = clone(pm.metadata);
        pm.metadata = updatedMetadata(pm.metadata as Metadata, ps.metadata as Metadata | null);
      }
      if (ps.allow_redisplay !== undefined) {
        previous.allow_redisplay = pm.allow_redisplay;
        pm.allow_redisplay = ps.allow_redisplay;
      }
      const usba = ps.us_bank_account as Record<string, string | undefined> | undefined;
      if (usba) {
        const cur = pm.us_bank_account as Record<string, unknown>;
        previous.us_bank_account = {
          account_holder_type: cur.account_holder_type,
          account_type: cur.account_type,
        };
        if (usba.account_holder_type) cur.account_holder_type = usba.account_holder_type;
        if (usba.account_type) cur.account_type = usba.account_type;
      }
      store.emit('payment_method.updated', clone(pm), req.eventRequest, previous);
      return clone(pm);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_methods/:payment_method/attach',
    params: { customer: p.str({ required: true, max: 5000 }), expand: p.expand() },
    handler: (req) => {
      const pm = find(store, req.pathParams.payment_method);
      const customer = req.params.customer as string;
      if (!store.customers.has(customer)) throw resourceMissing('customer', customer, 'customer', 400);
      const state = store.bankAccounts.get(pm.id);
      if (pm.customer && pm.customer !== customer)
        throw invalidRequest('The payment method you provided has already been attached to a customer.', {
          code: 'payment_method_unexpected_state',
        });
      if (state?.detached)
        throw invalidRequest(
          'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
          { code: 'payment_method_unexpected_state' },
        );
      if (state?.blocked)
        throw invalidRequest('This bank account has failed verification in the past and can not be used.', {
          code: 'payment_method_bank_account_blocked',
        });
      // ACH needs a verified account and a mandate: Stripe saves us_bank_account details through a SetupIntent.
      if (state?.verification === 'pending')
        throw invalidRequest(
          'This bank account has not been verified. Verify it with a SetupIntent (microdeposits) before attaching it to a customer.',
          { code: 'payment_method_unexpected_state' },
        );
      attachToCustomer(store, pm.id, { customer, customer_account: null }, req.eventRequest);
      return clone(pm);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/payment_methods/:payment_method/detach',
    params: { expand: p.expand() },
    handler: (req) => {
      const pm = find(store, req.pathParams.payment_method);
      if (!pm.customer && !pm.customer_account)
        throw invalidRequest(
          'The payment method you provided is not attached to a customer so detachment is impossible.',
          {
            code: 'payment_method_unexpected_state',
          },
        );
      detachFromCustomer(store, pm.id, req.eventRequest);
      return clone(pm);
    },
  });

  const customerOf = (params: Record<string, string>): string => {
    const id = params.customer;
    if (!store.customers.has(id) || store.deletedCustomers.has(id))
      throw resourceMissing('customer', id, 'customer');
    return id;
  };

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/customers/:customer/payment_methods',
    list: true,
    params: {
      ...listParams,
      type: p.str({ max: 5000 }),
      allow_redisplay: p.str({ enum: ['always', 'limited', 'unspecified'] }),
    },
    handler: (req) => {
      const customer = customerOf(req.pathParams);
      const items = savedBy(store, customer, req.params.type).filter(
        (pm) => req.params.allow_redisplay === undefined || pm.allow_redisplay === req.params.allow_redisplay,
      );
      return clone(
        paginate(items, req.params as Params, `/v1/customers/${customer}/payment_methods`, 'payment_method'),
      ) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/customers/:customer/payment_methods/:payment_method',
    params: { expand: p.expand() },
    handler: (req) => {
      const customer = customerOf(req.pathParams);
      const pm = store.paymentMethods.get(req.pathParams.payment_method);
      // Another customer's PaymentMethod is as missing as an unknown one.
      if (!pm || pm.customer !== customer)
        throw resourceMissing('payment_method', req.pathParams.payment_method, 'payment_method');
      return clone(pm);
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/mandates/:mandate',
    params: { expand: p.expand() },
    handler: (req) => {
      const m = store.mandates.get(req.pathParams.mandate);
      if (!m) throw resourceMissing('mandate', req.pathParams.mandate, 'mandate');
      return clone(m);
    },
  });
}
