// The contract's Financial Connections enums (UPPER_CASE of Stripe's values) and their Stripe spellings.
import { registerEnumType } from 'type-graphql';
import { registerStripeEnum } from './enum-map';

export enum AccountHolderType {
  CUSTOMER = 'CUSTOMER',
  ACCOUNT = 'ACCOUNT',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(AccountHolderType, 'AccountHolderType');

export enum FinancialConnectionsPermission {
  BALANCES = 'BALANCES',
  OWNERSHIP = 'OWNERSHIP',
  PAYMENT_METHOD = 'PAYMENT_METHOD',
  TRANSACTIONS = 'TRANSACTIONS',
}
registerEnumType(FinancialConnectionsPermission, { name: 'FinancialConnectionsPermission' });

export enum FinancialConnectionsFeature {
  BALANCE = 'BALANCE',
  OWNERSHIP = 'OWNERSHIP',
  TRANSACTIONS = 'TRANSACTIONS',
}
registerEnumType(FinancialConnectionsFeature, { name: 'FinancialConnectionsFeature' });

export enum FinancialAccountCategory {
  CASH = 'CASH',
  CREDIT = 'CREDIT',
  INVESTMENT = 'INVESTMENT',
  OTHER = 'OTHER',
}
registerEnumType(FinancialAccountCategory, { name: 'FinancialAccountCategory' });

export enum FinancialAccountSubcategory {
  CHECKING = 'CHECKING',
  SAVINGS = 'SAVINGS',
  MORTGAGE = 'MORTGAGE',
  LINE_OF_CREDIT = 'LINE_OF_CREDIT',
  CREDIT_CARD = 'CREDIT_CARD',
  OTHER = 'OTHER',
}
registerEnumType(FinancialAccountSubcategory, { name: 'FinancialAccountSubcategory' });

export enum FinancialAccountStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  DISCONNECTED = 'DISCONNECTED',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(FinancialAccountStatus, 'FinancialAccountStatus');

export enum FinancialAccountAction {
  NONE = 'NONE',
  RELINK_REQUIRED = 'RELINK_REQUIRED',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(FinancialAccountAction, 'FinancialAccountAction');

export enum BalanceType {
  CASH = 'CASH',
  CREDIT = 'CREDIT',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(BalanceType, 'BalanceType');

export enum RefreshStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(RefreshStatus, 'RefreshStatus');

export enum TransactionStatus {
  PENDING = 'PENDING',
  POSTED = 'POSTED',
  VOID = 'VOID',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(TransactionStatus, 'TransactionStatus');

/**
 * Stripe spells the balance data permission `balances` but the refresh feature `balance`
 * (docs/stripe-facts.md §8): these two maps are the only place that difference lives.
 */
export const FEATURE_TO_REFRESH_PARAM: Record<
  FinancialConnectionsFeature,
  'balance' | 'ownership' | 'transactions'
> = {
  [FinancialConnectionsFeature.BALANCE]: 'balance',
  [FinancialConnectionsFeature.OWNERSHIP]: 'ownership',
  [FinancialConnectionsFeature.TRANSACTIONS]: 'transactions',
};

/** Session `prefetch[]` uses the permission spelling (`balances`). */
export const FEATURE_TO_PREFETCH_PARAM: Record<
  FinancialConnectionsFeature,
  'balances' | 'ownership' | 'transactions'
> = {
  [FinancialConnectionsFeature.BALANCE]: 'balances',
  [FinancialConnectionsFeature.OWNERSHIP]: 'ownership',
  [FinancialConnectionsFeature.TRANSACTIONS]: 'transactions',
};

/** Stripe's prefetch values back to features (`balances` → BALANCE). */
export const PREFETCH_RENAME: Record<string, string> = { balances: 'balance' };

/** Contract enum → Stripe's snake_case (permissions, subcategories, statuses). */
export const toStripeValue = (value: string): string => value.toLowerCase();
