// Transactions of one linked account: Stripe's list with transacted_at ranges, and a status filter applied here.
// Pages are read ahead: Stripe is asked for its largest page, and the client's next pages come from that.
import { MAX_PAGE_SIZE, scanPage, type CursorPage, type PageParams } from '../stripe/paging';
import { transactionCursorKey } from '../stripe/cache-keys';
import type { FcTransaction, ListPage, TransactionListKey } from '../stripe/loader-types';
import type { ServiceBase } from './service-base';

export interface TransactionFilters {
  /** Stripe's value (`pending|posted|void`). */
  status?: string;
  /** Unix seconds, exclusive bounds → `transacted_at[gt]` / `transacted_at[lt]`. */
  transactedAfter?: number;
  transactedBefore?: number;
}

export class TransactionsService {
  constructor(private readonly base: ServiceBase) {}

  /**
   * One page of an (already tenancy-checked) account's transactions. Unfiltered by status, this is one
   * Stripe request, or none when an earlier page's read-ahead holds it ({@link pageFrom}).
   * Stripe's list has no `status` parameter (stripe-node TransactionListParams), so a status filter is
   * applied here (stripe/paging.ts scanPage).
   * @param options.readAhead ask Stripe for its largest page, for the next pages (the client selected a
   *   cursor, so it can page); without it a page is asked at its own size, and cached pages stay small.
   */
  async list(
    accountId: string,
    page: PageParams,
    filters: TransactionFilters = {},
    { readAhead = true }: { readAhead?: boolean } = {},
  ): Promise<CursorPage<FcTransaction>> {
    const transacted_at =
      filters.transactedAfter !== undefined || filters.transactedBefore !== undefined
        ? {
            ...(filters.transactedAfter !== undefined ? { gt: filters.transactedAfter } : {}),
            ...(filters.transactedBefore !== undefined ? { lt: filters.transactedBefore } : {}),
          }
        : undefined;
    const result = await scanPage(
      page,
      (limit, after) =>
        this.pageFrom(accountId, transacted_at, limit, after, readAhead ? MAX_PAGE_SIZE : limit),
      filters.status ? (t) => t.status === filters.status : undefined,
    );
    // transaction(id) for one of them later in this operation costs nothing.
    for (const t of result.data) this.base.loaders.transaction.prime(t.id, t);
    return result;
  }

  /**
   * `limit` transactions after `after` (or from the newest), Stripe asked for `fetchSize` (≥ `limit`).
   * Why read ahead: a client that pages asks again with this page's last id, and each Stripe request
   * counts against the partner's rate limit (docs/performance.md, bench/RESULTS.md §1). So Stripe is asked for up
   * to {@link MAX_PAGE_SIZE}, the list page is cached as every list page is (loaders.ts, `txns:` keys,
   * their TTL and invalidations), and a later page whose cursor lies inside a cached page is cut from
   * it, costing nothing. Tenancy is unchanged: the caller proved the account is theirs before asking,
   * and the cache is per partner.
   */
  private async pageFrom(
    account: string,
    transacted_at: TransactionListKey['transacted_at'],
    limit: number,
    after: string | undefined,
    fetchSize: number,
  ): Promise<ListPage<FcTransaction>> {
    const cached = after ? await this.cachedAfter(account, transacted_at, after) : undefined;
    // A cached rest shorter than the page (with more after it) is not used: one fresh list call answers the
    // page, so a page never costs more than one Stripe request (the `@Cost` of FinancialAccount.transactions counts one).
    const ahead =
      cached && (cached.data.length >= limit || !cached.has_more)
        ? cached
        : await this.base.loaders.transactionList.load({
            account,
            limit: fetchSize,
            ...(after ? { starting_after: after } : {}),
            ...(transacted_at ? { transacted_at } : {}),
          });
    return { data: ahead.data.slice(0, limit), has_more: ahead.data.length > limit || ahead.has_more };
  }

  /** What a cached list page holds after `after` (loaders.ts transactionCursorKey), or undefined. */
  private async cachedAfter(
    account: string,
    transacted_at: TransactionListKey['transacted_at'],
    after: string,
  ): Promise<ListPage<FcTransaction> | undefined> {
    const { reads } = this.base;
    const pageKey = await reads.peek<string>(transactionCursorKey(account, after, transacted_at));
    const page = pageKey ? await reads.peek<ListPage<FcTransaction>>(pageKey) : undefined;
    const at = page?.data.findIndex((t) => t.id === after) ?? -1;
    return page && at >= 0 ? { data: page.data.slice(at + 1), has_more: page.has_more } : undefined;
  }
}
