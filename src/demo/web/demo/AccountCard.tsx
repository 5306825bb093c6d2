// One linked account: balance (with a Refresh whose result arrives over the subscription), owners, and
// transactions kept in step with transactionUpdates (new, posted and voided ones marked as they arrive).
import { useState } from 'react';
import { accountName, day, label, money, time } from './format';
import { RefreshTransactionsDocument, type DashboardAccountFragment } from './generated/graphql';
import type { GatewayClient } from './graphql';
import { useTransactionSync } from './transaction-sync';

/** Rows shown: the newest ones, plus any the last sync changed (a posting may be days old). */
const NEWEST_SHOWN = 10;
const CHANGE_LABEL = {
  new: 'New',
  posted: 'Just posted',
  updated: 'Updated',
  voided: 'Just voided',
} as const;

export interface AccountCardProps {
  account: DashboardAccountFragment;
  /** The refresh this page started and is waiting to hear about over the subscription. */
  refreshing: boolean;
  /** Whether this page asked for a refresh of the account: only then is a refresh status shown. */
  refreshAsked: boolean;
  /** The last live update received for this account, shown so the push is visible. */
  lastLiveUpdate?: string;
  canRefresh: boolean;
  onRefresh(): void;
  client?: GatewayClient;
  onLog(text: string): void;
}

export function AccountCard({
  account,
  refreshing,
  refreshAsked,
  lastLiveUpdate,
  canRefresh,
  onRefresh,
  client,
  onLog,
}: AccountCardProps) {
  const b = account.balance;
  const owners = account.ownership?.owners.nodes ?? [];
  const fetching = refreshing || account.balanceRefresh?.status === 'PENDING';
  const refreshStatus = refreshing ? 'PENDING' : refreshAsked ? account.balanceRefresh?.status : undefined;
  const canSync = account.permissions.includes('TRANSACTIONS');
  // Sync notices name the account: several linked accounts can share a last4 or a nickname.
  const synced = useTransactionSync(canSync ? client : undefined, account.id, (text) =>
    onLog(`${accountName(account)}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`),
  );
  const rows = synced.rows.filter((r, i) => i < NEWEST_SHOWN || r.change);
  const [txnRefreshing, setTxnRefreshing] = useState(false);
  const [txnAsked, setTxnAsked] = useState(false);
  // Refreshing from the click until the bank answered: the request, then the refresh the account reports as pending.
  const txnPending = txnRefreshing || (txnAsked && account.transactionRefresh?.status === 'PENDING');
  async function refreshTransactions() {
    if (!client) return;
    setTxnRefreshing(true);
    setTxnAsked(true);
    try {
      await client.request(RefreshTransactionsDocument, {
        input: { accountId: account.id, features: ['TRANSACTIONS'] },
      });
      onLog(`${accountName(account)}: transaction refresh requested; changes will arrive live`);
    } catch (e) {
      onLog(`${accountName(account)}: transaction refresh failed: ${(e as Error).message}`);
    } finally {
      setTxnRefreshing(false);
    }
  }
  return (
    <article className="card account" data-testid="account" data-account-id={account.id}>
      <header className="account-head">
        <div>
          <div className="institution">{account.institutionName}</div>
          <h3>
            {account.displayName ?? label(account.subcategory)}{' '}
            {account.last4 ? <span className="muted">•••• {account.last4}</span> : null}
          </h3>
          <div className="muted small">
            {label(account.category)} · {label(account.subcategory)} ·{' '}
            <span className={`status status-${account.status.toLowerCase()}`}>{label(account.status)}</span>
          </div>
        </div>
        <div className="balance-box">
          <div className="muted small">Current balance</div>
          <div className="balance" data-testid="balance">
            {b ? (
              money(b.current[0])
            ) : (
              <span className="muted">{fetching ? 'Fetching…' : 'Not fetched yet'}</span>
            )}
          </div>
          {b?.cashAvailable?.[0] ? (
            <div className="muted small" data-testid="available">
              Available {money(b.cashAvailable[0])}
            </div>
          ) : null}
          {b ? (
            <div className="muted small" data-testid="balance-as-of">
              as of {time(b.asOf)}
            </div>
          ) : null}
          <button
            className="secondary"
            data-testid="refresh"
            disabled={!canRefresh || refreshing || account.status !== 'ACTIVE'}
            onClick={onRefresh}
          >
            {refreshing ? 'Refreshing…' : 'Refresh balance'}
          </button>
          <div className="small" data-testid="refresh-status">
            {refreshStatus ? `Refresh: ${label(refreshStatus)}` : ''}
          </div>
          {lastLiveUpdate ? (
            <div className="live-note small" data-testid="live-update">
              ⚡ {lastLiveUpdate}
            </div>
          ) : null}
        </div>
      </header>

      <section>
        <h4>Owners</h4>
        {owners.length ? (
          <ul className="owners" data-testid="owners">
            {owners.map((o) => (
              <li key={o.id}>
                <strong>{o.name}</strong>
                <span className="muted small">
                  {[o.email, o.phone, o.rawAddress].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">No ownership data yet.</p>
        )}
      </section>

      <section>
        <h4>Recent transactions</h4>
        <div className="txn-tools small">
          <button
            className="secondary"
            data-testid="refresh-transactions"
            disabled={!canRefresh || txnPending || !canSync || account.status !== 'ACTIVE'}
            onClick={() => void refreshTransactions()}
          >
            {txnPending ? 'Refreshing…' : 'Refresh transactions'}
          </button>
          {synced.lastChange ? (
            <span className="live-note" data-testid="txn-sync-note" data-syncs={synced.pushedSyncs}>
              ⚡ Synced: {synced.lastChange}
            </span>
          ) : null}
        </div>
        {rows.length ? (
          <table className="txns" data-testid="transactions">
            <tbody>
              {rows.map(({ txn: t, change }) => (
                <tr
                  key={t.id}
                  className={change ? `changed change-${change}` : undefined}
                  data-change={change}
                >
                  <td className="muted small">{day(t.transactedAt)}</td>
                  <td>{t.description}</td>
                  <td className="muted small">
                    {change === 'voided' ? 'Void' : label(t.status)}
                    {change ? <span className="change-badge"> {CHANGE_LABEL[change]}</span> : null}
                  </td>
                  <td className={`amount ${t.amount.amount < 0 ? 'debit' : 'credit'}`}>{money(t.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted small">{canSync ? 'No transactions yet.' : 'Transactions were not shared.'}</p>
        )}
      </section>
    </article>
  );
}
