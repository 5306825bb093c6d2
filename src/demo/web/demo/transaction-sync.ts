// The demo's copy of one account's transactions, kept with transactionUpdates and refreshed on each push.
import { useEffect, useRef, useState } from 'react';
import type { GatewayClient } from './graphql';
import {
  TransactionUpdatesAvailableDocument,
  TransactionUpdatesDocument,
  type TransactionFieldsFragment,
} from './generated/graphql';

/** How the last sync changed a row, so the page can show it without reloading. */
export type RowChange = 'new' | 'posted' | 'updated' | 'voided';
export interface SyncedRow {
  txn: TransactionFieldsFragment;
  change?: RowChange;
}
export interface SyncedTransactions {
  rows: SyncedRow[];
  /** A sentence about the last sync after a push ("2 new, 1 posted, 1 voided"), or null. */
  lastChange: string | null;
  /** Syncs completed after a push. */
  pushedSyncs: number;
}

/**
 * Syncs on mount (the whole history, as `added`) and again after every transactionUpdatesAvailable push;
 * the cursor lives only in memory here (an app would store it with its copy). Voided rows stay one sync
 * longer, marked, so the user sees them go.
 */
export function useTransactionSync(
  client: GatewayClient | undefined,
  accountId: string,
  onLog: (text: string) => void,
): SyncedTransactions {
  const copy = useRef(new Map<string, SyncedRow>());
  const cursor = useRef<string | null>(null);
  const [state, setState] = useState<SyncedTransactions>({ rows: [], lastChange: null, pushedSyncs: 0 });
  const log = useRef(onLog);
  log.current = onLog;

  useEffect(() => {
    if (!client) return;
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const sync = (announce: boolean) =>
      (running = running.then(async () => {
        const counts = { new: 0, posted: 0, updated: 0, voided: 0 };
        for (const [id, row] of copy.current) {
          if (row.change === 'voided') copy.current.delete(id);
          else row.change = undefined;
        }
        for (;;) {
          const { data } = await client.request(TransactionUpdatesDocument, {
            accountId,
            cursor: cursor.current,
            first: 100,
          });
          if (stopped || !data.financialAccount) return;
          const u = data.financialAccount.transactionUpdates;
          for (const t of u.added) {
            copy.current.set(t.id, { txn: t, change: announce ? 'new' : undefined });
            counts.new += 1;
          }
          for (const t of u.modified) {
            const change: RowChange = t.status === 'POSTED' ? 'posted' : 'updated';
            copy.current.set(t.id, { txn: t, change });
            counts[change] += 1;
          }
          for (const id of u.removed) {
            const row = copy.current.get(id);
            if (row) {
              row.change = 'voided';
              counts.voided += 1;
            }
          }
          cursor.current = u.nextCursor;
          if (!u.hasMore) break;
        }
        const rows = [...copy.current.values()].sort((a, b) =>
          b.txn.transactedAt.localeCompare(a.txn.transactedAt),
        );
        const parts = (['new', 'posted', 'updated', 'voided'] as const)
          .filter((k) => counts[k] > 0)
          .map((k) => `${counts[k]} ${k}`);
        const lastChange = announce ? (parts.length ? parts.join(', ') : 'nothing changed') : null;
        if (announce) log.current(`Transactions synced: ${lastChange}`);
        setState((s) => ({ rows, lastChange, pushedSyncs: s.pushedSyncs + (announce ? 1 : 0) }));
      })).catch((e: Error) => log.current(`Transaction sync failed: ${e.message}`));

    void sync(false);
    const off = client.subscribe(
      TransactionUpdatesAvailableDocument,
      { accountId },
      {
        next: () => void sync(true),
        error: (e) => log.current(`Subscription error: ${(e as Error).message ?? e}`),
      },
    );
    return () => {
      stopped = true;
      off();
    };
  }, [client, accountId]);

  return state;
}
