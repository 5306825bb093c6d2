// The demo: link a bank account, see balances, owners and transactions, refresh live, pay by ACH and watch it settle.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { AccountCard } from './AccountCard';
import { readDemoConfig } from './config';
import { holdBackWhileOpen } from './flow-history';
import { accountName, money, paymentStatusLabel, time } from './format';
import { GatewayClient, type LiveStatus } from './graphql';
import {
  CreateSessionDocument,
  CustomerDashboardDocument,
  FinancialAccountRefreshedDocument,
  PaymentIntentUpdatedDocument,
  RefreshFinancialAccountDocument,
  type DashboardAccountFragment,
  type PaymentIntentFieldsFragment,
} from './generated/graphql';
import { PaymentPanel } from './PaymentPanel';
import { SavedAccountsPanel } from './SavedAccountsPanel';
import { collectAccounts } from './stripe';
import {
  forgetSession,
  rememberActivity,
  rememberDemoAccount,
  startSession,
  storedActivity,
  storedSession,
  type DemoSession,
} from './session';

interface LogEntry {
  at: string;
  text: string;
}

export function App() {
  const config = useMemo(readDemoConfig, []);
  const [session, setSession] = useState<DemoSession | undefined>(storedSession);
  const client = useMemo(() => (session ? new GatewayClient(session.token) : undefined), [session]);
  const [accounts, setAccounts] = useState<DashboardAccountFragment[]>([]);
  // The subscriptions' callbacks name accounts as they are now, not as they were when the socket opened.
  const accountsRef = useRef(accounts);
  accountsRef.current = accounts;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Said when Back is pressed while the linking dialog is open (flow-history.ts), above the dialog.
  const [dialogHint, setDialogHint] = useState<string | null>(null);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('closed');
  const [refreshing, setRefreshing] = useState<Record<string, boolean>>({});
  // Accounts this page asked to refresh: only those show a refresh status (the link's prefetch is not one).
  const [refreshAsked, setRefreshAsked] = useState<Record<string, boolean>>({});
  const [lastLive, setLastLive] = useState<Record<string, string>>({});
  const [payments, setPayments] = useState<Record<string, PaymentIntentFieldsFragment>>({});
  // Activity survives a reload of this tab, like the customer it belongs to (session.ts).
  const [log, setLog] = useState<LogEntry[]>(storedActivity);
  useEffect(() => rememberActivity(log), [log]);

  const addLog = (text: string) => setLog((l) => [{ at: new Date().toISOString(), text }, ...l].slice(0, 12));

  const loadAccounts = useCallback(async (c: GatewayClient, customerId: string) => {
    const { data, errors } = await c.request(CustomerDashboardDocument, { id: customerId });
    setAccounts(data.customer?.financialAccounts.nodes ?? []);
    // Field-level errors (a permission not granted on one field) leave the rest of the data usable.
    if (errors.length) addLog(`Some details could not be loaded: ${errors.map((e) => e.message).join('; ')}`);
  }, []);

  // Live updates: one WebSocket for the page, subscribed to this customer's refreshes and payments.
  useEffect(() => {
    if (!client || !session) return;
    // A stored session may have died with a gateway restart: the WebSocket says so first (see onRejected), and the
    // accounts are fetched over HTTP only once it answered otherwise.
    let refused = false;
    let loaded = false;
    const expire = () => {
      forgetSession();
      setSession(undefined);
      setNotice('Your previous demo session has expired. Link an account to start a new one.');
    };
    const load = () => {
      if (loaded || refused) return;
      loaded = true;
      void loadAccounts(client, session.customerId).catch((e: Error) => {
        if (/UNAUTHENTICATED|NOT_FOUND|FORBIDDEN/.test(e.message)) expire();
        else setError(e.message);
      });
    };
    const offRejected = client.onRejected(() => {
      refused = true;
      expire();
    });
    const offStatus = client.onStatus((s) => {
      setLiveStatus(s);
      if (s !== 'connecting') load();
    });
    const offRefresh = client.subscribe(
      FinancialAccountRefreshedDocument,
      { customerId: session.customerId },
      {
        next: ({ financialAccountRefreshed: ev }) => {
          const acct = ev.financialAccount;
          setAccounts((list) => {
            const i = list.findIndex((a) => a.id === acct.id);
            return i < 0 ? [...list, acct] : list.map((a) => (a.id === acct.id ? acct : a));
          });
          // A late event of an earlier refresh (e.g. the link's prefetch) shows the new one still pending.
          if (ev.feature === 'BALANCE' && acct.balanceRefresh?.status !== 'PENDING') {
            setRefreshing((r) => ({ ...r, [acct.id]: false }));
          }
          const text = `${ev.feature.toLowerCase()} refresh ${ev.status.toLowerCase()}`;
          setLastLive((m) => ({ ...m, [acct.id]: `Live: ${text} at ${time(ev.occurredAt)}` }));
          const now =
            ev.feature === 'BALANCE' && ev.status === 'SUCCEEDED' && acct.balance
              ? `, current balance ${money(acct.balance.current[0])}`
              : '';
          addLog(`${accountName(acct)}: ${text}${now}`);
        },
        error: (e) => addLog(`Subscription error: ${(e as Error).message ?? e}`),
      },
    );
    const offPayments = client.subscribe(
      PaymentIntentUpdatedDocument,
      { customerId: session.customerId },
      {
        next: ({ paymentIntentUpdated: pi }) => {
          setPayments((p) => ({ ...p, [pi.id]: pi }));
          const acct = accountsRef.current.find((a) => a.id === pi.financialAccount?.id);
          const from = acct
            ? ` from ${accountName(acct)}`
            : pi.financialAccount?.last4
              ? ` from •••• ${pi.financialAccount.last4}`
              : '';
          addLog(`Payment of ${money(pi.amount)}${from}: ${paymentStatusLabel(pi).text.toLowerCase()}`);
        },
        error: (e) => addLog(`Subscription error: ${(e as Error).message ?? e}`),
      },
    );
    return () => {
      offRefresh();
      offPayments();
      offStatus();
      offRejected();
      client.dispose();
      // The socket's own 'closed' arrives after offStatus: say so here, or the badge keeps saying live.
      setLiveStatus('closed');
    };
  }, [client, session, loadAccounts]);

  async function link() {
    setError(null);
    setNotice(null);
    try {
      setBusy('Creating your customer…');
      const s = session ?? (await startSession());
      if (!session) setSession(s);
      const c = client ?? new GatewayClient(s.token);
      setBusy('Starting a Financial Connections session…');
      const { data } = await c.request(CreateSessionDocument, {
        input: {
          customerId: s.customerId,
          permissions: ['BALANCES', 'OWNERSHIP', 'PAYMENT_METHOD', 'TRANSACTIONS'],
          prefetch: ['BALANCE', 'OWNERSHIP', 'TRANSACTIONS'],
        },
      });
      setBusy('Finish linking in the dialog on this page…');
      const release = holdBackWhileOpen(() =>
        setDialogHint('The bank dialog is still open: finish linking there, or leave it with its × (Exit).'),
      );
      const linked = await collectAccounts(config, data.createFinancialConnectionsSession.clientSecret)
        .catch((e: Error) => {
          addLog(`Linking failed: ${e.message}`);
          throw e;
        })
        .finally(() => {
          release();
          setDialogHint(null);
        });
      if (!linked.length) {
        setNotice('No account was linked: the dialog was closed before the end.');
        addLog('Linking cancelled: no account was linked');
      } else {
        addLog(`Linked ${linked.length} account${linked.length > 1 ? 's' : ''}`);
        rememberDemoAccount(linked[linked.length - 1], s.customerId);
      }
      setBusy('Loading your accounts…');
      await loadAccounts(c, s.customerId);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  async function refresh(accountId: string) {
    if (!client) return;
    setError(null);
    setRefreshing((r) => ({ ...r, [accountId]: true }));
    setRefreshAsked((r) => ({ ...r, [accountId]: true }));
    const account = accounts.find((a) => a.id === accountId);
    try {
      await client.request(RefreshFinancialAccountDocument, { input: { accountId, features: ['BALANCE'] } });
      addLog(
        `${account ? accountName(account) : 'Account'}: asked the bank for a new balance; it will arrive live`,
      );
    } catch (e) {
      setRefreshing((r) => ({ ...r, [accountId]: false }));
      setError((e as Error).message);
    }
  }

  function startOver() {
    forgetSession();
    setSession(undefined);
    setAccounts([]);
    setPayments({});
    setLog([]);
    setLastLive({});
    setRefreshAsked({});
  }

  return (
    <div className="page">
      <header className="top">
        <div>
          <h1>{accounts.length ? 'Your linked accounts' : 'Link your bank account'}</h1>
          <p className="muted">
            A demo of the Financial Connections GraphQL gateway: every call below goes through the public
            GraphQL API with a customer token.{' '}
            {config.mode === 'sandbox' ? 'Running against the sandbox: no real bank is contacted.' : ''}
          </p>
        </div>
        <div className="top-right">
          {/* Before there is a customer nothing is connected yet, and nothing is wrong: no "Offline" then. */}
          {session ? (
            <span className={`live live-${liveStatus}`} data-testid="live-status" data-status={liveStatus}>
              {liveStatus === 'live'
                ? '● Live updates on'
                : liveStatus === 'connecting'
                  ? '○ Connecting…'
                  : '○ Offline'}
            </span>
          ) : (
            <span className="live muted small" data-testid="live-status" data-status="idle">
              Live updates start once you link an account
            </span>
          )}
          {session ? (
            <span className="muted small" data-testid="customer-id">
              Customer {session.customerId}
            </span>
          ) : null}
        </div>
      </header>

      <section className="card link">
        <button onClick={link} disabled={busy !== null} data-testid="link-button">
          {accounts.length ? 'Link another account' : 'Link your bank account'}
        </button>
        {session ? (
          <button className="link-like" onClick={startOver} disabled={busy !== null}>
            Start over with a new customer
          </button>
        ) : null}
        {busy ? (
          <span className="muted" data-testid="busy">
            {busy}
          </span>
        ) : null}
        {/* A portal into <body>, added after the dialog's overlay: the only way to be seen above it. */}
        {dialogHint
          ? createPortal(
              <p className="dialog-hint" role="status" data-testid="dialog-hint">
                {dialogHint}
              </p>,
              document.body,
            )
          : null}
        {notice ? (
          <p className="notice" data-testid="notice">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p className="error" data-testid="error">
            {error}
          </p>
        ) : null}
      </section>

      <div className="grid">
        <div className="accounts" data-testid="accounts">
          {accounts.map((a) => (
            <AccountCard
              key={a.id}
              account={a}
              refreshing={!!refreshing[a.id]}
              refreshAsked={!!refreshAsked[a.id]}
              lastLiveUpdate={lastLive[a.id]}
              canRefresh={liveStatus === 'live'}
              onRefresh={() => void refresh(a.id)}
              client={client}
              onLog={addLog}
            />
          ))}
        </div>
        <aside>
          {client && session && accounts.length ? (
            <PaymentPanel
              client={client}
              customerId={session.customerId}
              accounts={accounts}
              live={payments}
            />
          ) : null}
          {client && session && accounts.length ? (
            <SavedAccountsPanel
              client={client}
              customerId={session.customerId}
              accounts={accounts}
              live={payments}
            />
          ) : null}
          {log.length ? (
            <section className="card">
              <h2>Activity</h2>
              <ul className="log" data-testid="activity">
                {log.map((l, i) => (
                  <li key={`${l.at}-${i}`}>
                    <span className="muted small">{new Date(l.at).toLocaleTimeString('en-US')}</span> {l.text}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
