// One linked account: balance (with a Refresh whose result arrives over the subscription), owners, transactions.
import { day, label, money, time } from './format';
import type { DashboardAccountFragment } from './generated/graphql';

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
}

export function AccountCard({
  account,
  refreshing,
  refreshAsked,
  lastLiveUpdate,
  canRefresh,
  onRefresh,
}: AccountCardProps) {
  const b = account.balance;
  const owners = account.ownership?.owners.nodes ?? [];
  const txns = account.transactions?.nodes ?? [];
  const fetching = refreshing || account.balanceRefresh?.status === 'PENDING';
  const refreshStatus = refreshing ? 'PENDING' : refreshAsked ? account.balanceRefresh?.status : undefined;
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
        {txns.length ? (
          <table className="txns" data-testid="transactions">
            <tbody>
              {txns.map((t) => (
                <tr key={t.id}>
                  <td className="muted small">{day(t.transactedAt)}</td>
                  <td>{t.description}</td>
                  <td className="muted small">{label(t.status)}</td>
                  <td className={`amount ${t.amount.amount < 0 ? 'debit' : 'credit'}`}>{money(t.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted small">No transactions yet.</p>
        )}
      </section>
    </article>
  );
}
