// Transactions of one linked account: Stripe's list with transacted_at ranges, and a status filter applied here.
import { scanPage, type CursorPage, type PageParams } from '../stripe/paging';
import type { FcTransaction } from '../stripe/loaders';
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
   * One page of an (already tenancy-checked) account's transactions. Unfiltered by status, this is
   * exactly one Stripe request, keyed by its parameters. Stripe's list has no `status` parameter
   * (stripe-node TransactionListParams), so a status filter is applied here (stripe/paging.ts scanPage).
   */
  async list(
    accountId: string,
    page: PageParams,
    filters: TransactionFilters = {},
  ): Promise<CursorPage<FcTransaction>> {
    const transacted_at =
      filters.transactedAfter !== undefined || filters.transactedBefore !== undefined
        ? {
            ...(filters.transactedAfter !== undefined ? { gt: filters.transactedAfter } : {}),
            ...(filters.transactedBefore !== undefined ? { lt: filters.transactedBefore } : {}),
          }
        : undefined;
    return scanPage(
      page,
      (limit, starting_after) =>
        this.base.loaders.transactionList.load({
          account: accountId,
          limit,
          ...(starting_after ? { starting_after } : {}),
          ...(transacted_at ? { transacted_at } : {}),
        }),
      filters.status ? (t) => t.status === filters.status : undefined,
    );
  }
}
