// An ACH Direct Debit from a linked account: amount → mandate shown and accepted → confirm → live status.
import { useState } from 'react';
import { label, money } from './format';
import type { GatewayClient } from './graphql';
import {
  ConfirmPaymentIntentDocument,
  CreatePaymentIntentDocument,
  type DashboardAccountFragment,
  type PaymentIntentFieldsFragment,
} from './generated/graphql';

const MERCHANT = 'Demo Store';

/** Stripe's online ACH mandate text for a one-time debit (shown before the user accepts). */
export function mandateText(amount: string, last4: string | null | undefined): string {
  return (
    `By clicking "Accept and pay", you authorize ${MERCHANT} to debit the bank account ending in ${last4 ?? '????'} ` +
    `for ${amount}, pursuant to ${MERCHANT}'s website and terms, on or after today's date. You may amend or cancel ` +
    `this authorization at any time by providing notice to ${MERCHANT} with 30 (thirty) days notice. Payments that ` +
    `fall outside of the debit authorized above will only be debited after your authorization is obtained.`
  );
}

export interface PaymentPanelProps {
  client: GatewayClient;
  customerId: string;
  accounts: DashboardAccountFragment[];
  /** The latest state of each PaymentIntent, as pushed by `paymentIntentUpdated`. */
  live: Record<string, PaymentIntentFieldsFragment>;
}

type Stage = 'form' | 'mandate' | 'confirming' | 'submitted';

export function PaymentPanel({ client, customerId, accounts, live }: PaymentPanelProps) {
  const payable = accounts.filter(
    (a) => a.status === 'ACTIVE' && a.supportedPaymentMethodTypes.includes('us_bank_account'),
  );
  const [accountId, setAccountId] = useState<string>('');
  const [dollars, setDollars] = useState('25.00');
  const [stage, setStage] = useState<Stage>('form');
  const [accepted, setAccepted] = useState(false);
  const [payment, setPayment] = useState<PaymentIntentFieldsFragment | null>(null);
  const [error, setError] = useState<string | null>(null);

  const selected = payable.find((a) => a.id === accountId) ?? payable[0];
  const cents = Math.round(Number(dollars) * 100);
  const current = payment ? (live[payment.id] ?? payment) : null;
  // What the card says about a payment comes from the payment itself, never from the form's choice or the list of
  // linked accounts (which changes as accounts are linked); the list only adds the names.
  const paidFrom = current?.financialAccount ?? payment?.financialAccount ?? null;
  const paidFromAccount = paidFrom ? accounts.find((a) => a.id === paidFrom.id) : undefined;

  if (!payable.length) {
    return (
      <section className="card">
        <h2>Pay by bank</h2>
        <p className="muted">Link an active checking or savings account to pay with ACH Direct Debit.</p>
      </section>
    );
  }

  async function create() {
    setError(null);
    if (!Number.isInteger(cents) || cents < 50) return setError('Enter an amount of at least $0.50.');
    try {
      const { data } = await client.request(CreatePaymentIntentDocument, {
        input: {
          customerId,
          financialAccountId: selected.id,
          amount: cents,
          currency: 'usd',
          billingName: 'Jenny Rosen',
          description: `${MERCHANT} order`,
          // One key per payment attempt: a retried request never creates a second payment.
          idempotencyKey: crypto.randomUUID(),
        },
      });
      setPayment(data.createPaymentIntent.paymentIntent);
      setAccepted(false);
      setStage('mandate');
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function confirm() {
    if (!payment || !accepted) return;
    setError(null);
    setStage('confirming');
    try {
      const { data } = await client.request(ConfirmPaymentIntentDocument, {
        input: { paymentIntentId: payment.id, mandateAcceptedAt: new Date().toISOString() },
      });
      setPayment(data.confirmPaymentIntent.paymentIntent);
      setStage('submitted');
    } catch (e) {
      setError((e as Error).message);
      setStage('mandate');
    }
  }

  return (
    <section className="card" data-testid="payment">
      <h2>Pay by bank</h2>
      {stage === 'form' ? (
        <div className="form-row">
          <label>
            From
            <select
              value={selected.id}
              onChange={(e) => setAccountId(e.target.value)}
              data-testid="pay-account"
            >
              {payable.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.institutionName} {a.displayName ?? ''} •••• {a.last4}
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
              data-testid="pay-amount"
            />
          </label>
          <button onClick={create} data-testid="pay-continue">
            Continue
          </button>
        </div>
      ) : null}

      {stage !== 'form' && current ? (
        <>
          <p>
            Paying <strong>{money(current.amount)}</strong> to {MERCHANT} from{' '}
            <span data-testid="paid-from">
              {[paidFromAccount?.institutionName, paidFromAccount?.displayName].filter(Boolean).join(' ')}{' '}
              <span className="nowrap">•••• {paidFrom?.last4 ?? '????'}</span>
            </span>
          </p>
          <blockquote className="mandate" data-testid="mandate">
            {mandateText(money(current.amount), paidFrom?.last4)}
          </blockquote>
          {stage === 'mandate' || stage === 'confirming' ? (
            <div className="form-row">
              <label className="check">
                <input
                  type="checkbox"
                  checked={accepted}
                  onChange={(e) => setAccepted(e.target.checked)}
                  data-testid="mandate-accept"
                />
                I accept the mandate above
              </label>
              <button
                onClick={confirm}
                disabled={!accepted || stage === 'confirming'}
                data-testid="pay-confirm"
              >
                Accept and pay
              </button>
            </div>
          ) : null}
          <p>
            Status:{' '}
            <span
              className={`pill pill-${current.status.toLowerCase()}`}
              data-testid="payment-status"
              data-status={current.status}
            >
              {label(current.status)}
            </span>{' '}
            <span className="muted small">{current.id}</span>
          </p>
          {current.lastPaymentError?.message ? (
            <p className="error">{current.lastPaymentError.message}</p>
          ) : null}
          {stage === 'submitted' &&
          ['SUCCEEDED', 'CANCELED', 'REQUIRES_PAYMENT_METHOD'].includes(current.status) ? (
            <button
              className="secondary"
              onClick={() => {
                setStage('form');
                setPayment(null);
              }}
            >
              New payment
            </button>
          ) : null}
        </>
      ) : null}
      {error ? (
        <p className="error" data-testid="payment-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
