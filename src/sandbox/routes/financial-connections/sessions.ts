// /v1/financial_connections/sessions: create and retrieve (docs.stripe.com/api/financial_connections/sessions).
import type { FastifyInstance } from 'fastify';
import { invalidRequest, parameterMissing, resourceMissing } from '../../errors';
import { p } from '../../params';
import { renderSession } from '../../render';
import { registerRoute, type RouteContext } from '../../router';
import type { FcSession, Permission } from '../../types';

const PERMISSIONS = ['balances', 'ownership', 'payment_method', 'transactions'] as const;

export function registerFcSessionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/financial_connections/sessions',
    params: {
      account_holder: p.obj(
        {
          type: p.str({ required: true, enum: ['account', 'customer'] }),
          account: p.str({ max: 5000 }),
          customer: p.str({ max: 5000 }),
          customer_account: p.str({ max: 5000 }),
        },
        { required: true },
      ),
      permissions: p.arr(p.str({ enum: PERMISSIONS }), { required: true }),
      prefetch: p.arr(p.str({ enum: ['balances', 'ownership', 'transactions'] }), { emptyable: true }),
      filters: p.obj({
        account_subcategories: p.arr(
          p.str({ enum: ['checking', 'credit_card', 'line_of_credit', 'mortgage', 'savings'] }),
        ),
        countries: p.arr(p.str({ max: 5000 })),
        require_payment_method_support: p.str({ enum: ['all', 'at_least_one', 'none'] }),
      }),
      limits: p.obj({ accounts: p.int({ min: 1, max: 100, emptyable: true, required: true }) }),
      manual_entry: p.obj({ mode: p.str({ enum: ['automatic', 'disabled'] }) }),
      return_url: p.str({ max: 5000 }),
      expand: p.expand(),
    },
    handler: (req) => {
      const holder = req.params.account_holder as {
        type: 'account' | 'customer';
        account?: string;
        customer?: string;
        customer_account?: string;
      };
      let accountHolder: FcSession['account_holder'];
      if (holder.type === 'customer') {
        if (holder.customer && holder.customer_account)
          throw invalidRequest(
            'You may only specify one of these parameters: account_holder[customer], account_holder[customer_account].',
            {
              param: 'account_holder[customer]',
              validation: true,
            },
          );
        if (holder.account)
          throw invalidRequest('account_holder[account] requires account_holder[type]=account.', {
            param: 'account_holder[account]',
            validation: true,
          });
        if (holder.customer) {
          if (!store.customers.has(holder.customer))
            throw resourceMissing('customer', holder.customer, 'account_holder[customer]', 400);
          accountHolder = { type: 'customer', customer: holder.customer };
        } else if (holder.customer_account) {
          if (!store.v2Accounts.has(holder.customer_account))
            throw resourceMissing(
              'account',
              holder.customer_account,
              'account_holder[customer_account]',
              400,
            );
          accountHolder = { type: 'customer', customer_account: holder.customer_account };
        } else throw parameterMissing('account_holder[customer]');
      } else {
        if (!holder.account) throw parameterMissing('account_holder[account]');
        if (!store.v2Accounts.has(holder.account))
          throw resourceMissing('account', holder.account, 'account_holder[account]', 400);
        accountHolder = { type: 'account', account: holder.account };
      }
      const permissions = [...new Set(req.params.permissions as Permission[])];
      const prefetch = req.params.prefetch as FcSession['prefetch'] | undefined;
      for (const f of prefetch ?? [])
        if (!permissions.includes(f))
          throw invalidRequest(`prefetch contains '${f}', which is not among the requested permissions.`, {
            param: 'prefetch',
            code: 'parameter_invalid_string',
            validation: true,
          });
      const filters = (req.params.filters ?? {}) as FcSession['filters'];
      const limits = req.params.limits as { accounts: number | null } | undefined;
      const id = store.id('fcsess', 24);
      const session: FcSession = {
        id,
        object: 'financial_connections.session',
        account_holder: accountHolder,
        client_secret: store.secret(`${id}_secret_`),
        filters: {
          countries: filters.countries ?? ['US'],
          ...(filters.account_subcategories ? { account_subcategories: filters.account_subcategories } : {}),
          ...(filters.require_payment_method_support
            ? { require_payment_method_support: filters.require_payment_method_support }
            : {}),
        },
        limits: { accounts: limits?.accounts ?? 100 },
        livemode: false,
        manual_entry: {
          mode:
            (req.params.manual_entry as { mode?: 'automatic' | 'disabled' } | undefined)?.mode ?? 'automatic',
        },
        permissions,
        prefetch: prefetch && prefetch.length > 0 ? [...new Set(prefetch)] : null,
        ...(req.params.return_url ? { return_url: req.params.return_url as string } : {}),
      };
      store.sessions.insert(session);
      store.sessionState.set(id, 'open');
      store.sessionAccounts.set(id, []);
      return renderSession(store, session);
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/financial_connections/sessions/:session',
    params: { expand: p.expand() },
    handler: (req) => {
      const session = store.sessions.get(req.pathParams.session);
      if (!session) throw resourceMissing('financial_connections.session', req.pathParams.session, 'session');
      return renderSession(store, session);
    },
  });
}
