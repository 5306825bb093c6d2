// Transactions of one linked account: Stripe's list with transacted_at ranges, and a status filter applied here.
import type { PageParams } from '../stripe/paging';
import type { FcTransaction, ListPage, TransactionListKey } from '../stripe/loaders';
import { MAX_FILTER_SCAN_PAGES } from './financial-accounts.service';
import type { ServiceBase } from './service-base';

export interface TransactionFilters {
  /** Stripe's value (`pending|posted|void`). */
  status?: string;
  /** Unix seconds, exclusive bounds → `transacted_at[gt]` / `transacted_at[lt]`. */
  transactedAfter?: number;
  transactedBefore?: number;
}

export interface TransactionPage extends ListPage<FcTransaction> {
  endCursor: string | null;
}

export class TransactionsService {
  constructor(private readonly base: ServiceBase) {}

  /**
   * One page of an (already tenancy-checked) account's transactions. Unfiltered by status, this is
   * exactly one Stripe request, keyed by its parameters. Stripe's list has no `status` parameter
   * (stripe-node TransactionListParams), so a status filter reads pages of 100 and filters them, at most
   * {@link MAX_FILTER_SCAN_PAGES} pages per GraphQL page.
   */
  async list(
    accountId: string,
    page: PageParams,
    filters: TransactionFilters = {},
  ): Promise<TransactionPage> {
    const transacted_at =
      filters.transactedAfter !== undefined || filters.transactedBefore !== undefined
        ? {
            ...(filters.transactedAfter !== undefined ? { gt: filters.transactedAfter } : {}),
            ...(filters.transactedBefore !== undefined ? { lt: filters.transactedBefore } : {}),
          }
        : undefined;
    const key = (limit: number, starting_after?: string): TransactionListKey => ({
      account: accountId,
      limit,
      ...(starting_after ? { starting_after } : {}),
      ...(transacted_at ? { transacted_at } : {}),
    });
    const { loaders } = this.base;
    if (!filters.status) {
      const result = await loaders.transactionList.load(key(page.limit, page.starting_after));
      return { ...result, endCursor: result.data.at(-1)?.id ?? null };
    }
    const matches: FcTransaction[] = [];
    let cursor = page.starting_after;
    for (let i = 0; i < MAX_FILTER_SCAN_PAGES; i++) {
      const result = await loaders.transactionList.load(key(100, cursor));
      for (const t of result.data) {
        if (t.status !== filters.status) continue;
        if (matches.length === page.limit)
          return { data: matches, has_more: true, endCursor: matches.at(-1)!.id };
        matches.push(t);
      }
      if (!result.has_more || result.data.length === 0) {
        return { data: matches, has_more: false, endCursor: matches.at(-1)?.id ?? null };
      }
      cursor = result.data.at(-1)!.id;
    }
    // Scan budget spent: the cursor is the last object read (matched or not), so the next page resumes there.
    return { data: matches, has_more: true, endCursor: cursor ?? matches.at(-1)?.id ?? null };
  }
}
