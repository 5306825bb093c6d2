// /v1/financial_connections/transactions: list (account required, transacted_at range,
// transaction_refresh[after]) and retrieve. Lists are served from the account's sorted array with binary
// search, so an account with 100,000 transactions pages quickly.
import type { FastifyInstance } from 'fastify';
import { invalidRequest, resourceMissing } from '../../errors';
import { DEFAULT_LIMIT, paginateRange } from '../../lists';
import { listParams, p } from '../../params';
import { inactiveError } from '../../refresh';
import { clone } from '../../render';
import { registerRoute, type RouteContext } from '../../router';
import type { Obj } from '../../store';
import type { FcTransaction } from '../../types';

/** First index whose transacted_at is <= t, in an array sorted by transacted_at descending. */
function firstAtOrBelow(items: FcTransaction[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].transacted_at <= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function registerFcTransactionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const url = '/v1/financial_connections/transactions';

  registerRoute(app, ctx, {
    method: 'GET',
    url,
    list: true,
    params: {
      ...listParams,
      account: p.str({ required: true, max: 5000 }),
      transacted_at: p.range(),
      transaction_refresh: p.obj({ after: p.str({ required: true, max: 5000 }) }),
    },
    handler: (req) => {
      const accountId = req.params.account as string;
      const rec = store.fcAccounts.get(accountId);
      if (!rec) throw resourceMissing('financial_connections.account', accountId, 'account', 400);
      if (rec.account.status === 'disconnected') throw inactiveError(accountId, 'disconnected');
      let items = rec.transactions;
      let lo = 0;
      let hi = items.length;
      const range = req.params.transacted_at as
        number | { gt?: number; gte?: number; lt?: number; lte?: number } | undefined;
      if (range !== undefined) {
        const r = typeof range === 'number' ? { gte: range, lte: range } : range;
        if (r.lte !== undefined) lo = Math.max(lo, firstAtOrBelow(items, r.lte));
        if (r.lt !== undefined) lo = Math.max(lo, firstAtOrBelow(items, r.lt - 1));
        if (r.gte !== undefined) hi = Math.min(hi, firstAtOrBelow(items, r.gte - 1));
        if (r.gt !== undefined) hi = Math.min(hi, firstAtOrBelow(items, r.gt));
      }
      const after = (req.params.transaction_refresh as { after?: string } | undefined)?.after;
      if (after !== undefined) {
        const ref = store.transactionRefreshes.get(after);
        if (!ref || ref.accountId !== accountId)
          throw resourceMissing(
            'financial_connections.transaction_refresh',
            after,
            'transaction_refresh[after]',
            400,
          );
        // Rare and incremental: filter, then page the (small) result.
        items = items
          .slice(lo, hi)
          .filter((t) => (store.transactionRefreshes.get(t.transaction_refresh)?.seq ?? 0) > ref.seq);
        lo = 0;
        hi = items.length;
      }
      const cursor: { after?: number; before?: number } = {};
      for (const [name, key] of [
        ['starting_after', 'after'],
        ['ending_before', 'before'],
      ] as const) {
        const id = req.params[name] as string | undefined;
        if (id === undefined) continue;
        const t = store.transactionIndex.get(id);
        const idx = t && t.account === accountId ? indexOf(items, t) : -1;
        if (idx < 0)
          throw invalidRequest(`No such financial_connections.transaction: '${id.slice(0, 80)}'`, {
            code: 'resource_missing',
            param: name,
          });
        cursor[key] = idx;
      }
      const limit = (req.params.limit as number | undefined) ?? DEFAULT_LIMIT;
      return clone(paginateRange(items, lo, hi, cursor, limit, url)) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: `${url}/:transaction`,
    params: { expand: p.expand() },
    handler: (req) => {
      const t = store.transactionIndex.get(req.pathParams.transaction);
      if (!t)
        throw resourceMissing('financial_connections.transaction', req.pathParams.transaction, 'transaction');
      return clone(t) as unknown as Obj;
    },
  });
}

/** The transaction's position: binary search to its timestamp, then a short scan among equal timestamps. */
function indexOf(items: FcTransaction[], t: FcTransaction): number {
  let i = firstAtOrBelow(items, t.transacted_at);
  while (i < items.length && items[i].transacted_at === t.transacted_at) {
    if (items[i] === t) return i;
    i++;
  }
  return items.indexOf(t);
}
