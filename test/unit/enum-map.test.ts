// Stripe enum values → contract enums, including values Stripe adds after this gateway was written.
import type Stripe from 'stripe';
import { fromStripeEnum, fromStripeEnumList, onUnknownStripeEnumValue } from '../../src/resolvers/enum-map';
import { FinancialAccount } from '../../src/resolvers/financial-account.type';
import {
  FinancialAccountStatus,
  FinancialConnectionsFeature,
  FinancialConnectionsPermission,
  PREFETCH_RENAME,
} from '../../src/resolvers/financial-connections.enums';
import { Transaction } from '../../src/resolvers/transaction.type';

describe('Stripe enum mapping', () => {
  const reported: string[] = [];
  beforeAll(() => onUnknownStripeEnumValue((_e, v) => reported.push(v)));

  it('should upper-case known values', () => {
    expect(fromStripeEnum(FinancialAccountStatus, 'inactive', FinancialAccountStatus.UNKNOWN)).toBe(
      'INACTIVE',
    );
  });

  it('should map an unknown value to the fallback and report it once', () => {
    expect(fromStripeEnum(FinancialAccountStatus, 'frozen_new_value', FinancialAccountStatus.UNKNOWN)).toBe(
      'UNKNOWN',
    );
    expect(fromStripeEnum(FinancialAccountStatus, 'frozen_new_value', FinancialAccountStatus.UNKNOWN)).toBe(
      'UNKNOWN',
    );
    expect(reported.filter((v) => v === 'frozen_new_value')).toHaveLength(1);
  });

  it('should drop unknown list values and rename prefetch spellings', () => {
    expect(
      fromStripeEnumList(FinancialConnectionsPermission, ['balances', 'telepathy', 'ownership']),
    ).toEqual(['BALANCES', 'OWNERSHIP']);
    expect(
      fromStripeEnumList(FinancialConnectionsFeature, ['balances', 'transactions'], PREFETCH_RENAME),
    ).toEqual(['BALANCE', 'TRANSACTIONS']);
  });

  it('should not crash on an account and a transaction carrying values this gateway does not know', () => {
    const account = {
      id: 'fca_1',
      object: 'financial_connections.account',
      account_holder: { type: 'partner_platform', customer: 'cus_1' },
      balance: { as_of: 1700000000, type: 'crypto', current: { usd: 5 } },
      balance_refresh: { status: 'queued', last_attempted_at: 1700000000, next_refresh_available_at: null },
      category: 'pension',
      subcategory: 'retirement',
      created: 1700000000,
      display_name: null,
      institution_name: 'Bank',
      last4: null,
      livemode: false,
      ownership: null,
      ownership_refresh: null,
      permissions: ['balances', 'future_permission'],
      status: 'suspended',
      status_details: {
        active: { action: 'call_bank', cause: 'new_cause', expected_deactivation_date: null },
      },
      subscriptions: ['transactions', 'balance_alerts'],
      supported_payment_method_types: ['us_bank_account', 'new_rail'],
      transaction_refresh: null,
    } as unknown as Stripe.FinancialConnections.Account;
    const fa = FinancialAccount.fromStripe(account);
    expect(fa).toEqual(
      expect.objectContaining({
        category: 'OTHER',
        subcategory: 'OTHER',
        status: 'UNKNOWN',
        permissions: ['BALANCES'],
        subscriptions: ['TRANSACTIONS'],
        supportedPaymentMethodTypes: ['us_bank_account', 'new_rail'],
      }),
    );
    expect(fa.statusDetails).toEqual({ action: 'UNKNOWN', cause: 'new_cause', expectedDeactivationAt: null });
    expect(fa.accountHolder?.type).toBe('UNKNOWN');
    expect(fa.balanceRefresh?.status).toBe('UNKNOWN');
    const t = Transaction.fromStripe({
      id: 'fctxn_1',
      account: 'fca_1',
      amount: -1000,
      currency: 'usd',
      description: 'Rocket Rides',
      livemode: false,
      status: 'disputed',
      status_transitions: { posted_at: null, void_at: null },
      transacted_at: 1700000000,
      transaction_refresh: 'fctxnref_1',
      updated: 1700000000,
    } as unknown as Stripe.FinancialConnections.Transaction);
    expect(t.status).toBe('UNKNOWN');
    expect(t.amount).toEqual({ amount: -1000, currency: 'usd' });
  });
});
