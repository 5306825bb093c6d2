// /v1/financial_connections/accounts: list, retrieve, refresh, disconnect, subscribe, unsubscribe, owners.
import type { FastifyInstance } from 'fastify';
import { invalidRequest, resourceMissing, SANDBOX_ERROR_CODES } from '../../errors';
import { paginate } from '../../lists';
import { listParams, p } from '../../params';
import { assertCanRefresh, inactiveError, startRefresh, type Feature } from '../../refresh';
import { clone, renderAccount } from '../../render';
import { registerRoute, type RouteContext } from '../../router';
import type { FcAccountRecord, Obj } from '../../store';

export function registerFcAccountRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const base = '/v1/financial_connections/accounts';
  const get = (id: string): FcAccountRecord & { id: string } => {
    const rec = store.fcAccounts.get(id);
    if (!rec) throw resourceMissing('financial_connections.account', id, 'account');
    return rec;
  };

  registerRoute(app, ctx, {
    method: 'GET',
    url: base,
    list: true,
    params: {
      ...listParams,
      session: p.str({ max: 5000 }),
      account_holder: p.obj({
        account: p.str({ max: 5000 }),
        customer: p.str({ max: 5000 }),
        customer_account: p.str({ max: 5000 }),
      }),
    },
    handler: (req) => {
      const holder = req.params.account_holder as
        { account?: string; customer?: string; customer_account?: string } | undefined;
      if (holder?.customer && holder.account)
        throw invalidRequest(
          'You may only specify one of these parameters: account_holder[account], account_holder[customer].',
          {
            param: 'account_holder',
          },
        );
      let recs = store.fcAccounts.newestFirst();
      const session = req.params.session as string | undefined;
      if (session) {
        if (!store.sessions.has(session))
          throw resourceMissing('financial_connections.session', session, 'session', 400);
        const ids = store.sessionAccounts.get(session) ?? [];
        recs = recs.filter((r) => ids.includes(r.id));
      }
      if (holder?.customer) recs = recs.filter((r) => r.account.account_holder?.customer === holder.customer);
      if (holder?.customer_account)
        recs = recs.filter((r) => r.account.account_holder?.customer_account === holder.customer_account);
      if (holder?.account) recs = recs.filter((r) => r.account.account_holder?.account === holder.account);
      const accounts = recs.map((r) => clone(r.account));
      return paginate(accounts, req.params, base, 'financial_connections.account') as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:account`,
    params: { expand: p.expand() },
    handler: (req) => renderAccount(store, get(req.pathParams.account).id)!,
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:account/refresh`,
    params: {
      features: p.arr(p.str({ enum: ['balance', 'ownership', 'transactions'] }), { required: true }),
      expand: p.expand(),
    },
    handler: (req) => {
      const rec = get(req.pathParams.account);
      const features = [...new Set(req.params.features as Feature[])];
      // Check every feature before changing anything, so a refused request leaves the account as it was.
      for (const f of features) assertCanRefresh(store, rec, f);
      startRefresh(store, rec, features);
      return renderAccount(store, rec.id)!;
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: `${base}/:account/disconnect`,
    params: { expand: p.expand() },
    handler: (req) => {
      const rec = get(req.pathParams.account);
      if (rec.account.status !== 'disconnected') {
        const previous = { status: rec.account.status };
        rec.account.status = 'disconnected';
        rec.account.status_details = {};
        rec.account.subscriptions = [];
        for (const f of ['balance', 'ownership', 'transactions'] as const)
          store.timers.cancel(rec.refreshTimers[f]);
        for (const s of [
          rec.account.balance_refresh,
          rec.account.ownership_refresh,
          rec.account.transaction_refresh,
        ])
          if (s && s.status === 'pending') {
            s.status = 'failed';
            s.next_refresh_available_at = null;
          }
        store.emit(
          'financial_connections.account.disconnected',
          renderAccount(store, rec.id)!,
          req.eventRequest,
          previous,
        );
      }
      return renderAccount(store, rec.id)!;
    },
  });

  for (const action of ['subscribe', 'unsubscribe'] as const) {
    registerRoute(app, ctx, {
      method: 'POST',
      url: `${base}/:account/${action}`,
      params: { features: p.arr(p.str({ enum: ['transactions'] }), { required: true }), expand: p.expand() },
      handler: (req) => {
        const rec = get(req.pathParams.account);
        const acc = rec.account;
        if (action === 'subscribe') {
          // Subscriptions are not allowed on inactive accounts (docs.stripe.com/financial-connections/transactions).
          if (acc.status !== 'active') throw inactiveError(acc.id, acc.status);
          if (!acc.permissions.includes('transactions'))
            throw invalidRequest(
              `You cannot subscribe to transactions on ${acc.id}: the 'transactions' permission was not granted.`,
              {
                code: SANDBOX_ERROR_CODES.permissionNotGranted,
                param: 'features',
              },
            );
          if (!acc.subscriptions.includes('transactions')) {
            acc.subscriptions.push('transactions');
            // Subscribing starts a transaction refresh right away, unless one is already running.
            if (acc.transaction_refresh?.status !== 'pending') startRefresh(store, rec, ['transactions']);
          }
        } else {
          acc.subscriptions = acc.subscriptions.filter((s) => s !== 'transactions');
        }
        return renderAccount(store, rec.id)!;
      },
    });
  }

  registerRoute(app, ctx, {
    method: 'GET',
    url: `${base}/:account/owners`,
    list: true,
    params: { ...listParams, ownership: p.str({ required: true, max: 5000 }) },
    handler: (req) => {
      const rec = get(req.pathParams.account);
      if (rec.account.status === 'disconnected') throw inactiveError(rec.id, 'disconnected');
      const ownership = req.params.ownership as string;
      const own = store.ownerships.get(ownership);
      if (!own || own.accountId !== rec.id)
        throw resourceMissing('financial_connections.account_ownership', ownership, 'ownership');
      const owners = rec.account.ownership === ownership ? rec.owners : [];
      return clone(
        paginate(owners, req.params, `${base}/${rec.id}/owners`, 'financial_connections.account_owner'),
      ) as unknown as Obj;
    },
  });
}
