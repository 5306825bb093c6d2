// Sandbox-only test helpers for events that otherwise have no one-step way (used by `npm run trigger`,
// src/sandbox/trigger/): an account's upcoming deactivation, new account numbers or their upcoming expiry, a change of
// its payment method types, a debit returned now with a chosen failure code, a bank's notification of change on a
// saved method, and a mandate ending.
import type { FastifyInstance } from 'fastify';
import { ACH_FAILURES, setMandateStatus } from '../ach';
import { invalidRequest, resourceMissing } from '../errors';
import type { AchOutcome } from '../institutions';
import {
  announceAccountNumberExpiry,
  announceUpcomingDeactivation,
  expiringNumbers,
  setSupportedPaymentMethodTypes,
  updateAccountNumbers,
} from '../account-notices';
import { p } from '../params';
import { clone, renderAccount } from '../render';
import { registerRoute, type RouteContext } from '../router';
import type { Obj } from '../store';
import type { FcAccount } from '../types';
import { renderIntent } from './intents';
import { returnDebitNow } from './payment-intents';

const DAY = 86_400;

/** The failure codes a debit can be returned with, and the test account behaviour each one is. */
export const FAILURE_CODES: Record<string, AchOutcome> = Object.fromEntries(
  Object.entries(ACH_FAILURES)
    .filter(([outcome]) => outcome !== 'fail_microdeposits')
    .map(([outcome, f]) => [f!.code, outcome as AchOutcome]),
);

export function registerTriggerHelperRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const activeAccount = (id: string) => {
    const rec = store.fcAccounts.get(id);
    if (!rec) throw resourceMissing('financial_connections.account', id, 'account');
    if (rec.account.status !== 'active')
      throw invalidRequest(`The account ${rec.id} is ${rec.account.status}.`, {
        code: 'financial_connections_account_inactive',
      });
    return rec;
  };

  // Reauthentication due: the account stays active with an expected deactivation date (30 days unless it has one).
  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/financial_connections/accounts/:account/upcoming_deactivation',
    params: { expand: p.expand() },
    handler: (req) => {
      const rec = activeAccount(req.pathParams.account);
      const acc = rec.account;
      if (!acc.status_details.active)
        acc.status_details = {
          active: {
            action: 'relink_required',
            cause: 'access_expired',
            expected_deactivation_date: store.clock.now() + 30 * DAY,
          },
        };
      announceUpcomingDeactivation(store, rec, req.eventRequest);
      return renderAccount(store, rec.id)!;
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/financial_connections/accounts/:account/update_account_numbers',
    params: { expand: p.expand() },
    handler: (req) => {
      const rec = activeAccount(req.pathParams.account);
      updateAccountNumbers(store, rec, req.eventRequest);
      return renderAccount(store, rec.id)!;
    },
  });

  // Only tokenized numbers expire (Stripe's `account_numbers[].expected_expiry_date`): an account without a
  // transactable one is refused, as a plain account number has nothing to announce.
  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/financial_connections/accounts/:account/upcoming_account_number_expiry',
    params: { expected_expiry_date: p.int({ min: 0 }), expand: p.expand() },
    handler: (req) => {
      const rec = activeAccount(req.pathParams.account);
      if (!expiringNumbers(rec.account).length)
        throw invalidRequest(
          `The account ${rec.id} has no transactable tokenized account number to expire.`,
          {
            code: 'financial_connections_account_unavailable_account_numbers',
          },
        );
      const at = req.params.expected_expiry_date as number | undefined;
      if (at !== undefined && at <= store.clock.now())
        throw invalidRequest('expected_expiry_date must be in the future.', {
          code: 'parameter_invalid_integer',
          param: 'expected_expiry_date',
        });
      announceAccountNumberExpiry(store, rec, req.eventRequest, at);
      return renderAccount(store, rec.id)!;
    },
  });

  // Without a list, `us_bank_account` is removed (the institution stopped allowing ACH debits) or, when already
  // removed, the account's own types are restored; a list sets exactly those (each one the account can support).
  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/financial_connections/accounts/:account/update_supported_payment_method_types',
    params: {
      supported_payment_method_types: p.arr(p.str({ enum: ['link', 'us_bank_account'] }), {
        emptyable: true,
      }),
      expand: p.expand(),
    },
    handler: (req) => {
      const rec = activeAccount(req.pathParams.account);
      type Types = FcAccount['supported_payment_method_types'];
      const supportable = rec.template.supportedPaymentMethodTypes;
      const current = rec.account.supported_payment_method_types;
      let next = req.params.supported_payment_method_types as Types | undefined;
      if (next) {
        const foreign = next.find((t) => !supportable.includes(t));
        if (foreign)
          throw invalidRequest(`The account ${rec.id} cannot support ${foreign} payment methods.`, {
            code: 'parameter_invalid_string',
            param: 'supported_payment_method_types',
          });
        next = supportable.filter((t) => next!.includes(t));
      } else if (current.includes('us_bank_account')) next = current.filter((t) => t !== 'us_bank_account');
      else next = [...supportable];
      if (next.length === current.length && next.every((t) => current.includes(t)))
        throw invalidRequest(
          `The account ${rec.id} already supports exactly [${current.join(', ')}]; nothing would change.`,
          { code: 'parameter_invalid_string', param: 'supported_payment_method_types' },
        );
      setSupportedPaymentMethodTypes(store, rec, next, req.eventRequest);
      return renderAccount(store, rec.id)!;
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/payment_intents/:intent/return_debit',
    params: {
      failure_code: p.str({ enum: Object.keys(FAILURE_CODES) }),
      expand: p.expand(),
    },
    handler: (req) => {
      const pi = store.paymentIntents.get(req.pathParams.intent);
      if (!pi) throw resourceMissing('payment_intent', req.pathParams.intent, 'intent');
      if (pi.status !== 'processing')
        throw invalidRequest(
          `Only a processing PaymentIntent's debit can be returned; ${pi.id} is ${String(pi.status)}.`,
          { code: 'payment_intent_unexpected_state' },
        );
      const code = (req.params.failure_code as string | undefined) ?? 'insufficient_funds';
      returnDebitNow(store, pi, FAILURE_CODES[code], req.eventRequest);
      return renderIntent(pi);
    },
  });

  // An ACH notification of change (NACHA C05, wrong account type): the bank corrects the saved method's details
  // and Stripe updates it without the customer (`payment_method.automatically_updated`).
  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/payment_methods/:payment_method/notification_of_change',
    params: { expand: p.expand() },
    handler: (req) => {
      const pm = store.paymentMethods.get(req.pathParams.payment_method);
      if (!pm) throw resourceMissing('payment_method', req.pathParams.payment_method, 'payment_method');
      const bank = pm.us_bank_account as Obj;
      const previous = { us_bank_account: { account_type: bank.account_type } };
      bank.account_type = bank.account_type === 'savings' ? 'checking' : 'savings';
      store.emit('payment_method.automatically_updated', clone(pm), req.eventRequest, previous);
      return clone(pm);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/test_helpers/mandates/:mandate/deactivate',
    params: { expand: p.expand() },
    handler: (req) => {
      const m = store.mandates.get(req.pathParams.mandate);
      if (!m) throw resourceMissing('mandate', req.pathParams.mandate, 'mandate');
      setMandateStatus(store, m.id, 'inactive', req.eventRequest);
      return clone(m);
    },
  });
}
