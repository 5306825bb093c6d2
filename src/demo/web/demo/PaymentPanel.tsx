// An ACH Direct Debit from a linked account: amount → mandate shown and accepted → confirm → live status.
import { useEffect, useState } from 'react';
import { accountName, day, money, paymentStatusLabel } from './format';
import type { GatewayClient } from './graphql';
import {
  CancelPaymentIntentDocument,
  ConfirmPaymentIntentDocument,
  CreatePaymentIntentDocument,
  PaymentIntentDocument,
  VerifyMicrodepositsDocument,
  type DashboardAccountFragment,
  type PaymentIntentFieldsFragment,
} from './generated/graphql';
import { forgetPayment, rememberPayment, storedPaymentId } from './session';

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
  const [code, setCode] = useState('');
  // The amount is checked once Continue was pressed, and from then on as it is typed: a valid amount clears the error.
  const [checkAmount, setCheckAmount] = useState(false);

  // After a reload, the payment this card was showing comes back from the API, whatever its status.
  useEffect(() => {
    const id = storedPaymentId();
    if (!id) return;
    let cancelled = false;
    client
      .request(PaymentIntentDocument, { id })
      .then(({ data }) => {
        if (cancelled) return;
        const restored = data.paymentIntent;
        if (!restored) return forgetPayment();
        setPayment(restored);
        setStage(restored.status === 'REQUIRES_CONFIRMATION' ? 'mandate' : 'submitted');
      })
      .catch(() => forgetPayment());
    return () => {
      cancelled = true;
    };
  }, [client]);

  const selected = payable.find((a) => a.id === accountId) ?? payable[0];
  const cents = Math.round(Number(dollars) * 100);
  const amountError =
    checkAmount && !(Number.isInteger(cents) && cents >= 50) ? 'Enter an amount of at least $0.50.' : null;
  const current = payment ? (live[payment.id] ?? payment) : null;
  // What the card says about a payment comes from the payment itself, never from the form's choice or the list of
  // linked accounts (which changes as accounts are linked); the list only adds the names.
  const paidFrom = current?.financialAccount ?? payment?.financialAccount ?? null;
  const paidFromAccount = paidFrom ? accounts.find((a) => a.id === paidFrom.id) : undefined;
  const status = current ? paymentStatusLabel(current) : null;

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
    setCheckAmount(true);
    if (!Number.isInteger(cents) || cents < 50) return;
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
      rememberPayment(data.createPaymentIntent.paymentIntent.id);
      setAccepted(false);
      setStage('mandate');
    } catch (e) {
      setError((e as Error).message);
    }
  }

  /** Back to the form; the payment shown so far is forgotten here (it still settles, or stays cancelled, at Stripe). */
  function leave() {
    setStage('form');
    setPayment(null);
    setError(null);
    forgetPayment();
  }

  /** Cancels a payment that waits for the end user (authorization, microdeposits, another account), then leaves it. */
  async function cancel() {
    if (!payment) return;
    setError(null);
    try {
      await client.request(CancelPaymentIntentDocument, { input: { paymentIntentId: payment.id } });
      leave();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  /** The descriptor code the end user read on the $0.01 deposit (an account Stripe could not verify instantly). */
  async function verify() {
    if (!payment) return;
    setError(null);
    try {
      const { data } = await client.request(VerifyMicrodepositsDocument, {
        input: { intentId: payment.id, descriptorCode: code },
      });
      if (data.verifyMicrodeposits.paymentIntent) setPayment(data.verifyMicrodeposits.paymentIntent);
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
                  {accountName(a)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Amount (USD)
            <input
              value={dollars}
              onChange={(e) => {
                setDollars(e.target.value);
                setError(null); // an answer about the previous amount no longer applies
              }}
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
              {paidFromAccount ? (
                accountName(paidFromAccount)
              ) : (
                <span className="nowrap">•••• {paidFrom?.last4 ?? '????'}</span>
              )}
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
              className={`pill pill-${status!.tone}`}
              data-testid="payment-status"
              data-status={current.status}
            >
              {status!.text}
            </span>{' '}
            <span className="muted small">{current.id}</span>
          </p>
          {current.status === 'REQUIRES_ACTION' &&
          current.nextAction?.type === 'VERIFY_WITH_MICRODEPOSITS' ? (
            <div data-testid="pay-verify">
              <p>
                Stripe sent a $0.01 deposit to this account
                {current.nextAction.arrivalDate
                  ? ` (expected by ${day(current.nextAction.arrivalDate)})`
                  : ''}
                . Enter the 6-character code starting with SM from its statement description
                {current.nextAction.hostedVerificationUrl ? (
                  <>
                    {' '}
                    or{' '}
                    <a
                      href={current.nextAction.hostedVerificationUrl}
                      target="_blank"
                      rel="noreferrer"
                      data-testid="pay-verify-link"
                    >
                      verify on Stripe’s page
                    </a>
                  </>
                ) : null}
                .
              </p>
              <div className="form-row">
                <input
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  placeholder="SM"
                  maxLength={6}
                  data-testid="pay-verify-code"
                />
                <button onClick={verify} data-testid="pay-verify-submit">
                  Verify
                </button>
              </div>
            </div>
          ) : null}
          {current.lastPaymentError ? (
            <p
              className="error"
              data-testid="payment-failure"
              data-code={current.lastPaymentError.code ?? ''}
            >
              {current.lastPaymentError.message ?? 'The bank refused this payment.'} (
              {current.lastPaymentError.code})
            </p>
          ) : null}
          <div className="form-row">
            {/* A way on from every state: a payment still waiting for the end user can be cancelled, and one that
                is processing (ACH can take days; "Always Processing" never settles) can be left to settle on its own. */}
            {['REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'REQUIRES_PAYMENT_METHOD'].includes(
              current.status,
            ) && stage !== 'confirming' ? (
              <button className="secondary" onClick={cancel} data-testid="pay-cancel">
                Cancel payment
              </button>
            ) : null}
            {stage === 'submitted' &&
            ['SUCCEEDED', 'CANCELED', 'REQUIRES_PAYMENT_METHOD', 'PROCESSING'].includes(current.status) ? (
              <button className="secondary" onClick={leave} data-testid="pay-new">
                New payment
              </button>
            ) : null}
          </div>
          {current.status === 'PROCESSING' && stage === 'submitted' ? (
            <p className="muted small" data-testid="pay-processing-hint">
              ACH debits settle in up to four business days; this one keeps settling (and shows in Activity)
              if you start a new payment.
            </p>
          ) : null}
        </>
      ) : null}
      {(amountError ?? error) ? (
        <p className="error" data-testid="payment-error">
          {amountError ?? error}
        </p>
      ) : null}
    </section>
  );
}
