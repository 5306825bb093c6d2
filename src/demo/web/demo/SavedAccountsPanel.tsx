// Saved bank accounts and recurring payments: save a linked account once (a SetupIntent with the recurring mandate,
// instantly or with microdeposits), then "Pay again with saved account" with no new authorization; a failed payment
// says why.
import { useCallback, useEffect, useState } from 'react';
import { accountName, day, label, money, paymentStatusLabel } from './format';
import type { GatewayClient } from './graphql';
import {
  CreateSetupIntentDocument,
  PaymentIntentDocument,
  SavedAccountsDocument,
  SetupIntentDocument,
  type DashboardAccountFragment,
  type PaymentIntentFieldsFragment,
  type SavedAccountsQuery,
  type SetupIntentFieldsFragment,
} from './generated/graphql';

type SavedAccount = NonNullable<SavedAccountsQuery['customer']>['paymentMethods']['nodes'][number];

const MERCHANT = 'Demo Store';

/** Stripe's online ACH mandate text for recurring debits of a saved account (shown before the user accepts). */
export function recurringMandateText(last4: string | null | undefined): string {
  return (
    `By clicking "Save account", you authorize ${MERCHANT} to debit the bank account ending in ${last4 ?? '????'} ` +
    `for future payments you make to ${MERCHANT}, pursuant to ${MERCHANT}'s website and terms, until you revoke ` +
    `this authorization. You may amend or cancel it at any time by providing notice to ${MERCHANT} with 30 ` +
    `(thirty) days notice.`
  );
}

/** A bank account as a saved PaymentMethod names it. */
function savedKey(pm: {
  bankName?: string | null;
  accountType?: string | null;
  last4?: string | null;
}): string {
  return [pm.bankName, pm.accountType, pm.last4].map((v) => (v ?? '').toLowerCase()).join('|');
}

/** The same key for a linked account (a saved account's bank name is the institution's name). */
function linkedKey(a: {
  institutionName?: string | null;
  subcategory?: string | null;
  last4?: string | null;
}) {
  return savedKey({ bankName: a.institutionName, accountType: a.subcategory, last4: a.last4 });
}

export interface SavedAccountsPanelProps {
  client: GatewayClient;
  customerId: string;
  accounts: DashboardAccountFragment[];
  /** The latest state of each PaymentIntent, as pushed by `paymentIntentUpdated`. */
  live: Record<string, PaymentIntentFieldsFragment>;
}

export function SavedAccountsPanel({ client, customerId, accounts, live }: SavedAccountsPanelProps) {
  const payable = accounts.filter(
    (a) => a.status === 'ACTIVE' && a.supportedPaymentMethodTypes.includes('us_bank_account'),
  );
  const [saved, setSaved] = useState<SavedAccount[]>([]);
  const [accountId, setAccountId] = useState('');
  const [microdeposits, setMicrodeposits] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const [pending, setPending] = useState<SetupIntentFieldsFragment | null>(null);
  const [payFrom, setPayFrom] = useState('');
  const [dollars, setDollars] = useState('9.99');
  const [payments, setPayments] = useState<PaymentIntentFieldsFragment[]>([]);
  const [error, setError] = useState<string | null>(null);

  const loadSaved = useCallback(async () => {
    // Each saved account comes with the mandate it was saved with: the pair an off-session debit names.
    const { data } = await client.request(SavedAccountsDocument, { customerId });
    setSaved(data.customer?.paymentMethods.nodes ?? []);
  }, [client, customerId]);
  useEffect(() => {
    loadSaved().catch((e: Error) => setError(e.message));
  }, [loadSaved]);

  // One entry per bank account: the same account number linked twice (or saved twice before) is one account, as
  // Stripe's fingerprint would say; its key is what the bank reports (bank, type, last4), all a PaymentMethod has.
  const shown = saved.filter((pm, i) => saved.findIndex((o) => savedKey(o) === savedKey(pm)) === i);
  const savedKeys = new Set(saved.map(savedKey));
  const savable = payable.filter((a) => !savedKeys.has(linkedKey(a)));
  const selected = savable.find((a) => a.id === accountId) ?? savable[0];
  const usable = shown.filter((pm) => pm.status === 'USABLE' && pm.mandate?.status === 'ACTIVE');
  /** A saved account by the linked account it came from, else by what the bank reports. */
  const savedName = (pm: SavedAccount) => {
    const linked = accounts.find((a) => linkedKey(a) === savedKey(pm));
    if (linked) return accountName(linked);
    const type = pm.accountType ? ` ${label(pm.accountType)}` : '';
    return `${pm.bankName ?? 'Bank account'}${type} •••• ${pm.last4 ?? '????'}`;
  };
  const from = usable.find((pm) => pm.id === payFrom) ?? usable[0];

  function finishSetup(si: SetupIntentFieldsFragment) {
    if (si.status === 'SUCCEEDED') {
      setPending(null);
      setAccepted(false);
      void loadSaved();
    } else setPending(si);
  }

  async function save() {
    if (!selected || !accepted) return;
    setError(null);
    try {
      const { data } = await client.request(CreateSetupIntentDocument, {
        input: {
          customerId,
          financialAccountId: selected.id,
          billingName: 'Jenny Rosen',
          idempotencyKey: crypto.randomUUID(),
          ...(microdeposits ? { verificationMethod: 'MICRODEPOSITS' as const } : {}),
        },
      });
      finishSetup(data.createSetupIntent.setupIntent);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  /** After the user verified on the hosted page (no event announces it to the browser): read the SetupIntent again. */
  async function checkVerification() {
    if (!pending) return;
    setError(null);
    try {
      const { data } = await client.request(SetupIntentDocument, { id: pending.id });
      if (!data.setupIntent) return;
      if (data.setupIntent.status === 'REQUIRES_ACTION')
        setError('Not verified yet: enter the amounts first.');
      finishSetup(data.setupIntent);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function payAgain() {
    if (!from) return;
    setError(null);
    const cents = Math.round(Number(dollars) * 100);
    if (!Number.isInteger(cents) || cents < 50) return setError('Enter an amount of at least $0.50.');
    try {
      // Only a partner key may start an off-session debit: the page asks the demo's server (src/demo/server.ts),
      // which plays the partner's server, then reads the payment with its own token.
      const { paymentIntentId } = await client.postDemo<{ paymentIntentId: string }>('/demo/api/pay-again', {
        paymentMethodId: from.id,
        mandateId: from.mandate!.id,
        amount: cents,
        idempotencyKey: crypto.randomUUID(),
      });
      const { data } = await client.request(PaymentIntentDocument, { id: paymentIntentId });
      const paid = data.paymentIntent;
      if (paid) setPayments((p) => [paid, ...p]);
    } catch (e) {
      setError((e as Error).message);
      void loadSaved(); // a refusal may mean the account was blocked meanwhile
    }
  }

  return (
    <section className="card" data-testid="saved-accounts">
      <h2>Saved accounts</h2>
      {usable.length ? (
        <>
          <ul className="saved" data-testid="saved-list">
            {shown.map((pm) => (
              <li key={pm.id} data-testid="saved-account" data-status={pm.status}>
                {savedName(pm)}{' '}
                {pm.status === 'BLOCKED' ? (
                  <span className="pill pill-failed">Blocked: {pm.blockedReason ?? 'by the bank'}</span>
                ) : null}
              </li>
            ))}
          </ul>
          <div className="form-row">
            <label>
              Pay from
              <select value={from?.id} onChange={(e) => setPayFrom(e.target.value)} data-testid="repeat-from">
                {usable.map((pm) => (
                  <option key={pm.id} value={pm.id}>
                    {savedName(pm)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Amount (USD)
              <input
                value={dollars}
                onChange={(e) => setDollars(e.target.value)}
                inputMode="decimal"
                data-testid="repeat-amount"
              />
            </label>
            <button onClick={payAgain} data-testid="pay-again">
              Pay again with saved account
            </button>
          </div>
          <p className="muted small">
            Charged under the authorization you gave when saving: nothing to accept again.
          </p>
        </>
      ) : null}

      {payments.length ? (
        <ul className="payments" data-testid="repeat-payments">
          {payments.map((p) => {
            const current = live[p.id] ?? p;
            const status = paymentStatusLabel(current);
            const failure = current.lastPaymentError;
            return (
              <li key={p.id} data-testid="repeat-payment" data-status={current.status}>
                {money(current.amount)}{' '}
                <span className={`pill pill-${status.tone}`} data-testid="repeat-status">
                  {status.text}
                </span>
                {failure ? (
                  <span className="error" data-testid="payment-failure" data-code={failure.code ?? ''}>
                    {' '}
                    {failure.message ?? 'The bank refused this payment.'} ({failure.code})
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}

      {pending ? (
        <div data-testid="verify-pending">
          <p>
            Two small deposits are on their way to{' '}
            {(() => {
              const linked = accounts.find((a) => a.id === pending.financialAccount?.id);
              return linked
                ? accountName(linked)
                : `•••• ${pending.paymentMethod?.last4 ?? pending.financialAccount?.last4 ?? '????'}`;
            })()}
            {pending.nextAction?.arrivalDate ? ` (expected by ${day(pending.nextAction.arrivalDate)})` : ''}.
            Enter their amounts to finish saving the account.
          </p>
          {pending.nextAction?.hostedVerificationUrl ? (
            <p>
              <a
                href={pending.nextAction.hostedVerificationUrl}
                target="_blank"
                rel="noreferrer"
                data-testid="verify-link"
              >
                Verify your bank account
              </a>
            </p>
          ) : null}
          <button className="secondary" onClick={checkVerification} data-testid="verify-check">
            I have verified it
          </button>
        </div>
      ) : savable.length ? (
        <div className="save-form">
          <label>
            Save
            <select
              value={selected?.id}
              onChange={(e) => setAccountId(e.target.value)}
              data-testid="save-from"
            >
              {savable.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountName(a)}
                </option>
              ))}
            </select>
          </label>
          <blockquote className="mandate" data-testid="recurring-mandate">
            {recurringMandateText(selected?.last4)}
          </blockquote>
          <label className="check">
            <input
              type="checkbox"
              checked={microdeposits}
              onChange={(e) => setMicrodeposits(e.target.checked)}
              data-testid="save-microdeposits"
            />
            Verify with microdeposits instead of instantly
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={accepted}
              onChange={(e) => setAccepted(e.target.checked)}
              data-testid="save-accept"
            />
            I accept the authorization above
          </label>
          <button onClick={save} disabled={!accepted} data-testid="save-account">
            Save account
          </button>
        </div>
      ) : null}
      {!pending && payable.length && !savable.length ? (
        <p className="muted small" data-testid="all-saved">
          Every linked account that can pay is saved. Link another account to save it too.
        </p>
      ) : null}
      {error ? (
        <p className="error" data-testid="saved-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
