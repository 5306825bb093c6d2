/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
};

export type AccountHolderType =
  | 'ACCOUNT'
  | 'CUSTOMER'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type BalanceType =
  | 'CASH'
  | 'CREDIT'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type CancelPaymentIntentInput = {
  paymentIntentId: Scalars['ID']['input'];
};

export type ConfirmPaymentIntentInput = {
  /** When the end user accepted the mandate; defaults to now. */
  mandateAcceptedAt?: InputMaybe<Scalars['DateTime']['input']>;
  paymentIntentId: Scalars['ID']['input'];
};

export type CreateCustomerInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  model?: InputMaybe<CustomerModel>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCustomerTokenInput = {
  customerId: Scalars['ID']['input'];
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateFinancialConnectionsSessionInput = {
  customerId: Scalars['ID']['input'];
  filters?: InputMaybe<FinancialConnectionsSessionFilters>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  permissions: Array<FinancialConnectionsPermission>;
  prefetch?: InputMaybe<Array<FinancialConnectionsFeature>>;
  /** Needed for WebView and mobile OAuth redirects (https universal link / app link). */
  returnUrl?: InputMaybe<Scalars['String']['input']>;
};

export type CreatePaymentIntentInput = {
  amount: Scalars['SafeInt']['input'];
  billingName: Scalars['String']['input'];
  currency?: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  financialAccountId: Scalars['ID']['input'];
  /** Required: a retried mutation with the same key never creates a second payment. */
  idempotencyKey: Scalars['String']['input'];
};

export type CreateSetupIntentInput = {
  billingName: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
  financialAccountId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};

export type CustomerModel =
  /** v2 customer-configured Account, acct_ id; sessions use account_holder[customer_account] */
  | 'ACCOUNT'
  /** v1 Customer object, cus_ id; sessions use account_holder[customer] */
  | 'CUSTOMER';

export type FinancialAccountAction =
  | 'NONE'
  | 'RELINK_REQUIRED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type FinancialAccountCategory =
  | 'CASH'
  | 'CREDIT'
  | 'INVESTMENT'
  | 'OTHER';

export type FinancialAccountInput = {
  accountId: Scalars['ID']['input'];
};

export type FinancialAccountStatus =
  | 'ACTIVE'
  | 'DISCONNECTED'
  | 'INACTIVE'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type FinancialAccountSubcategory =
  | 'CHECKING'
  | 'CREDIT_CARD'
  | 'LINE_OF_CREDIT'
  | 'MORTGAGE'
  | 'OTHER'
  | 'SAVINGS';

export type FinancialAccountUpdateType =
  | 'CREATED'
  | 'DEACTIVATED'
  | 'DISCONNECTED'
  | 'REACTIVATED';

export type FinancialConnectionsFeature =
  | 'BALANCE'
  | 'OWNERSHIP'
  | 'TRANSACTIONS';

export type FinancialConnectionsPermission =
  | 'BALANCES'
  | 'OWNERSHIP'
  | 'PAYMENT_METHOD'
  | 'TRANSACTIONS';

export type FinancialConnectionsSessionFilters = {
  accountSubcategories?: InputMaybe<Array<FinancialAccountSubcategory>>;
  countries?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type PaymentIntentStatus =
  | 'CANCELED'
  | 'PROCESSING'
  | 'REQUIRES_ACTION'
  | 'REQUIRES_CAPTURE'
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_PAYMENT_METHOD'
  | 'SUCCEEDED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type RefreshFinancialAccountInput = {
  accountId: Scalars['ID']['input'];
  features: Array<FinancialConnectionsFeature>;
};

export type RefreshStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type SetupIntentStatus =
  | 'CANCELED'
  | 'PROCESSING'
  | 'REQUIRES_ACTION'
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_PAYMENT_METHOD'
  | 'SUCCEEDED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type SubscribeFinancialAccountInput = {
  accountId: Scalars['ID']['input'];
  features?: Array<FinancialConnectionsFeature>;
};

export type TransactionStatus =
  | 'PENDING'
  | 'POSTED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN'
  | 'VOID';

export type ViewerKind =
  | 'CUSTOMER'
  | 'PARTNER';

export type CreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;


export type CreateCustomerMutation = { __typename?: 'Mutation', createCustomer: { __typename?: 'CreateCustomerPayload', customer: { __typename?: 'Customer', id: string, model: CustomerModel, email?: string | null, name?: string | null, created: string, livemode: boolean } } };

export type GetCustomerQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetCustomerQuery = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, model: CustomerModel, email?: string | null, name?: string | null, created: string, livemode: boolean } | null };

export type ListCustomersQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListCustomersQuery = { __typename?: 'Query', customers: { __typename?: 'CustomerConnection', edges: Array<{ __typename?: 'CustomerEdge', cursor: string, node: { __typename?: 'Customer', id: string, email?: string | null } }>, nodes: Array<{ __typename?: 'Customer', id: string, model: CustomerModel, email?: string | null, created: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type CreateCustomerTokenMutationVariables = Exact<{
  input: CreateCustomerTokenInput;
}>;


export type CreateCustomerTokenMutation = { __typename?: 'Mutation', createCustomerToken: { __typename?: 'CreateCustomerTokenPayload', token: string, expiresAt: string } };

export type ViewerCustomerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerCustomerQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', kind: ViewerKind, partnerId: string, customer?: { __typename?: 'Customer', id: string, model: CustomerModel, email?: string | null } | null } };

export type AccountSummaryFragment = { __typename?: 'FinancialAccount', id: string, displayName?: string | null, institutionName: string, last4?: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, statusDetails?: { __typename?: 'FinancialAccountStatusDetails', action: FinancialAccountAction, cause?: string | null, expectedDeactivationAt?: string | null } | null, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null };

export type BalanceFieldsFragment = { __typename?: 'Balance', asOf: string, type: BalanceType, current: Array<{ __typename?: 'Money', amount: number, currency: string }>, cashAvailable?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null, creditUsed?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null };

export type TransactionFieldsFragment = { __typename?: 'Transaction', id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt?: string | null, voidAt?: string | null, transactionRefresh: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string } };

export type DashboardAccountFragment = { __typename?: 'FinancialAccount', id: string, displayName?: string | null, institutionName: string, last4?: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, balance?: { __typename?: 'Balance', asOf: string, type: BalanceType, current: Array<{ __typename?: 'Money', amount: number, currency: string }>, cashAvailable?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null, creditUsed?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null } | null, ownership?: { __typename?: 'Ownership', id: string, owners: { __typename?: 'AccountOwnerConnection', nodes: Array<{ __typename?: 'AccountOwner', id: string, name: string, email?: string | null, phone?: string | null, rawAddress?: string | null, refreshedAt?: string | null }> } } | null, transactions: { __typename?: 'TransactionConnection', nodes: Array<{ __typename?: 'Transaction', id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt?: string | null, voidAt?: string | null, transactionRefresh: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } }, statusDetails?: { __typename?: 'FinancialAccountStatusDetails', action: FinancialAccountAction, cause?: string | null, expectedDeactivationAt?: string | null } | null, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null };

export type CustomerDashboardQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CustomerDashboardQuery = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, model: CustomerModel, financialAccounts: { __typename?: 'FinancialAccountConnection', nodes: Array<{ __typename?: 'FinancialAccount', id: string, displayName?: string | null, institutionName: string, last4?: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, balance?: { __typename?: 'Balance', asOf: string, type: BalanceType, current: Array<{ __typename?: 'Money', amount: number, currency: string }>, cashAvailable?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null, creditUsed?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null } | null, ownership?: { __typename?: 'Ownership', id: string, owners: { __typename?: 'AccountOwnerConnection', nodes: Array<{ __typename?: 'AccountOwner', id: string, name: string, email?: string | null, phone?: string | null, rawAddress?: string | null, refreshedAt?: string | null }> } } | null, transactions: { __typename?: 'TransactionConnection', nodes: Array<{ __typename?: 'Transaction', id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt?: string | null, voidAt?: string | null, transactionRefresh: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } }, statusDetails?: { __typename?: 'FinancialAccountStatusDetails', action: FinancialAccountAction, cause?: string | null, expectedDeactivationAt?: string | null } | null, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type CustomerAccountsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<FinancialAccountStatus>;
}>;


export type CustomerAccountsQuery = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, financialAccounts: { __typename?: 'FinancialAccountConnection', edges: Array<{ __typename?: 'FinancialAccountEdge', cursor: string, node: { __typename?: 'FinancialAccount', id: string, status: FinancialAccountStatus } }>, nodes: Array<{ __typename?: 'FinancialAccount', id: string, status: FinancialAccountStatus }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type GetFinancialAccountQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetFinancialAccountQuery = { __typename?: 'Query', financialAccount?: { __typename?: 'FinancialAccount', id: string, displayName?: string | null, institutionName: string, last4?: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, accountHolder?: { __typename?: 'AccountHolder', type: AccountHolderType, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null } | null, statusDetails?: { __typename?: 'FinancialAccountStatusDetails', action: FinancialAccountAction, cause?: string | null, expectedDeactivationAt?: string | null } | null, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null } | null };

export type GetFinancialAccountBalanceQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetFinancialAccountBalanceQuery = { __typename?: 'Query', financialAccount?: { __typename?: 'FinancialAccount', id: string, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, balance?: { __typename?: 'Balance', asOf: string, type: BalanceType, current: Array<{ __typename?: 'Money', amount: number, currency: string }>, cashAvailable?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null, creditUsed?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null } | null } | null };

export type GetAccountOwnersQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type GetAccountOwnersQuery = { __typename?: 'Query', financialAccount?: { __typename?: 'FinancialAccount', id: string, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus } | null, ownership?: { __typename?: 'Ownership', id: string, created: string, owners: { __typename?: 'AccountOwnerConnection', edges: Array<{ __typename?: 'AccountOwnerEdge', cursor: string, node: { __typename?: 'AccountOwner', id: string, name: string } }>, nodes: Array<{ __typename?: 'AccountOwner', id: string, name: string, email?: string | null, phone?: string | null, rawAddress?: string | null, refreshedAt?: string | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null } | null };

export type GetAccountTransactionsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<TransactionStatus>;
  transactedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  transactedBefore?: InputMaybe<Scalars['DateTime']['input']>;
}>;


export type GetAccountTransactionsQuery = { __typename?: 'Query', financialAccount?: { __typename?: 'FinancialAccount', id: string, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus } | null, transactions: { __typename?: 'TransactionConnection', edges: Array<{ __typename?: 'TransactionEdge', cursor: string, node: { __typename?: 'Transaction', id: string } }>, nodes: Array<{ __typename?: 'Transaction', id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt?: string | null, voidAt?: string | null, transactionRefresh: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type GetTransactionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetTransactionQuery = { __typename?: 'Query', transaction?: { __typename?: 'Transaction', id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt?: string | null, voidAt?: string | null, transactionRefresh: string, livemode: boolean, account: { __typename?: 'FinancialAccount', id: string, institutionName: string }, amount: { __typename?: 'Money', amount: number, currency: string } } | null };

export type GetNodeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetNodeQuery = { __typename?: 'Query', node?:
    | { __typename: 'AccountOwner', id: string }
    | { __typename: 'Customer', model: CustomerModel, id: string }
    | { __typename: 'FinancialAccount', institutionName: string, id: string }
    | { __typename: 'FinancialConnectionsSession', permissions: Array<FinancialConnectionsPermission>, id: string }
    | { __typename: 'Ownership', id: string }
    | { __typename: 'PaymentIntent', id: string }
    | { __typename: 'SetupIntent', id: string }
    | { __typename: 'Transaction', description: string, id: string }
   | null };

export type RefreshFinancialAccountMutationVariables = Exact<{
  input: RefreshFinancialAccountInput;
}>;


export type RefreshFinancialAccountMutation = { __typename?: 'Mutation', refreshFinancialAccount: { __typename?: 'RefreshFinancialAccountPayload', financialAccount: { __typename?: 'FinancialAccount', id: string, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus } | null, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus } | null } } };

export type DisconnectFinancialAccountMutationVariables = Exact<{
  input: FinancialAccountInput;
}>;


export type DisconnectFinancialAccountMutation = { __typename?: 'Mutation', disconnectFinancialAccount: { __typename?: 'FinancialAccountPayload', financialAccount: { __typename?: 'FinancialAccount', id: string, status: FinancialAccountStatus } } };

export type SubscribeFinancialAccountMutationVariables = Exact<{
  input: SubscribeFinancialAccountInput;
}>;


export type SubscribeFinancialAccountMutation = { __typename?: 'Mutation', subscribeFinancialAccount: { __typename?: 'FinancialAccountPayload', financialAccount: { __typename?: 'FinancialAccount', id: string, subscriptions: Array<FinancialConnectionsFeature>, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus } | null } } };

export type UnsubscribeFinancialAccountMutationVariables = Exact<{
  input: SubscribeFinancialAccountInput;
}>;


export type UnsubscribeFinancialAccountMutation = { __typename?: 'Mutation', unsubscribeFinancialAccount: { __typename?: 'FinancialAccountPayload', financialAccount: { __typename?: 'FinancialAccount', id: string, subscriptions: Array<FinancialConnectionsFeature> } } };

export type FinancialAccountRefreshedSubscriptionVariables = Exact<{
  customerId: Scalars['ID']['input'];
}>;


export type FinancialAccountRefreshedSubscription = { __typename?: 'Subscription', financialAccountRefreshed: { __typename?: 'FinancialAccountRefreshEvent', feature: FinancialConnectionsFeature, status: RefreshStatus, occurredAt: string, financialAccount: { __typename?: 'FinancialAccount', id: string, displayName?: string | null, institutionName: string, last4?: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, balance?: { __typename?: 'Balance', asOf: string, type: BalanceType, current: Array<{ __typename?: 'Money', amount: number, currency: string }>, cashAvailable?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null, creditUsed?: Array<{ __typename?: 'Money', amount: number, currency: string }> | null } | null, ownership?: { __typename?: 'Ownership', id: string, owners: { __typename?: 'AccountOwnerConnection', nodes: Array<{ __typename?: 'AccountOwner', id: string, name: string, email?: string | null, phone?: string | null, rawAddress?: string | null, refreshedAt?: string | null }> } } | null, transactions: { __typename?: 'TransactionConnection', nodes: Array<{ __typename?: 'Transaction', id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt?: string | null, voidAt?: string | null, transactionRefresh: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } }, statusDetails?: { __typename?: 'FinancialAccountStatusDetails', action: FinancialAccountAction, cause?: string | null, expectedDeactivationAt?: string | null } | null, balanceRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, ownershipRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null, transactionRefresh?: { __typename?: 'Refresh', status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt?: string | null } | null } } };

export type PaymentsSetupCreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;


export type PaymentsSetupCreateCustomerMutation = { __typename?: 'Mutation', createCustomer: { __typename?: 'CreateCustomerPayload', customer: { __typename?: 'Customer', id: string, model: CustomerModel } } };

export type PaymentsSetupCreateSessionMutationVariables = Exact<{
  input: CreateFinancialConnectionsSessionInput;
}>;


export type PaymentsSetupCreateSessionMutation = { __typename?: 'Mutation', createFinancialConnectionsSession: { __typename?: 'CreateFinancialConnectionsSessionPayload', clientSecret: string, session: { __typename?: 'FinancialConnectionsSession', id: string } } };

export type PaymentsSetupSessionAccountsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PaymentsSetupSessionAccountsQuery = { __typename?: 'Query', financialConnectionsSession?: { __typename?: 'FinancialConnectionsSession', id: string, accounts: { __typename?: 'FinancialAccountConnection', nodes: Array<{ __typename?: 'FinancialAccount', id: string, displayName?: string | null, last4?: string | null, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string> }> } } | null };

export type PaymentIntentFieldsFragment = { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description?: string | null, created: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string }, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null };

export type SetupIntentFieldsFragment = { __typename?: 'SetupIntent', id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null };

export type CreatePaymentIntentMutationVariables = Exact<{
  input: CreatePaymentIntentInput;
}>;


export type CreatePaymentIntentMutation = { __typename?: 'Mutation', createPaymentIntent: { __typename?: 'PaymentIntentPayload', paymentIntent: { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description?: string | null, created: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string }, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } } };

export type ConfirmPaymentIntentMutationVariables = Exact<{
  input: ConfirmPaymentIntentInput;
}>;


export type ConfirmPaymentIntentMutation = { __typename?: 'Mutation', confirmPaymentIntent: { __typename?: 'PaymentIntentPayload', paymentIntent: { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description?: string | null, created: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string }, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } } };

export type CancelPaymentIntentMutationVariables = Exact<{
  input: CancelPaymentIntentInput;
}>;


export type CancelPaymentIntentMutation = { __typename?: 'Mutation', cancelPaymentIntent: { __typename?: 'PaymentIntentPayload', paymentIntent: { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description?: string | null, created: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string }, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } } };

export type PaymentIntentQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PaymentIntentQuery = { __typename?: 'Query', paymentIntent?: { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description?: string | null, created: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string }, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } | null };

export type PaymentIntentStatusQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PaymentIntentStatusQuery = { __typename?: 'Query', paymentIntent?: { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null } | null };

export type CustomerPaymentIntentsQueryVariables = Exact<{
  customerId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type CustomerPaymentIntentsQuery = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, paymentIntents: { __typename?: 'PaymentIntentConnection', nodes: Array<{ __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, amount: { __typename?: 'Money', amount: number, currency: string } }>, edges: Array<{ __typename?: 'PaymentIntentEdge', cursor: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type CreateSetupIntentMutationVariables = Exact<{
  input: CreateSetupIntentInput;
}>;


export type CreateSetupIntentMutation = { __typename?: 'Mutation', createSetupIntent: { __typename?: 'SetupIntentPayload', setupIntent: { __typename?: 'SetupIntent', id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } } };

export type SetupIntentQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SetupIntentQuery = { __typename?: 'Query', setupIntent?: { __typename?: 'SetupIntent', id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } | null };

export type PaymentNodeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PaymentNodeQuery = { __typename?: 'Query', node?:
    | { __typename: 'AccountOwner', id: string }
    | { __typename: 'Customer', id: string }
    | { __typename: 'FinancialAccount', id: string }
    | { __typename: 'FinancialConnectionsSession', id: string }
    | { __typename: 'Ownership', id: string }
    | { __typename: 'PaymentIntent', id: string, paymentStatus: PaymentIntentStatus }
    | { __typename: 'SetupIntent', id: string, setupStatus: SetupIntentStatus }
    | { __typename: 'Transaction', id: string }
   | null };

export type PaymentIntentUpdatedSubscriptionVariables = Exact<{
  customerId: Scalars['ID']['input'];
}>;


export type PaymentIntentUpdatedSubscription = { __typename?: 'Subscription', paymentIntentUpdated: { __typename?: 'PaymentIntent', id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description?: string | null, created: string, livemode: boolean, amount: { __typename?: 'Money', amount: number, currency: string }, lastPaymentError?: { __typename?: 'PaymentError', code?: string | null, declineCode?: string | null, message?: string | null } | null, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null, financialAccount?: { __typename?: 'FinancialAccount', id: string, last4?: string | null } | null } };

export type CreateSessionMutationVariables = Exact<{
  input: CreateFinancialConnectionsSessionInput;
}>;


export type CreateSessionMutation = { __typename?: 'Mutation', createFinancialConnectionsSession: { __typename?: 'CreateFinancialConnectionsSessionPayload', clientSecret: string, session: { __typename?: 'FinancialConnectionsSession', id: string, permissions: Array<FinancialConnectionsPermission>, prefetch: Array<FinancialConnectionsFeature>, returnUrl?: string | null, livemode: boolean, accountHolder: { __typename?: 'AccountHolder', type: AccountHolderType, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null }, accounts: { __typename?: 'FinancialAccountConnection', nodes: Array<{ __typename?: 'FinancialAccount', id: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } } };

export type GetSessionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type GetSessionQuery = { __typename?: 'Query', financialConnectionsSession?: { __typename?: 'FinancialConnectionsSession', id: string, permissions: Array<FinancialConnectionsPermission>, prefetch: Array<FinancialConnectionsFeature>, returnUrl?: string | null, livemode: boolean, accountHolder: { __typename?: 'AccountHolder', type: AccountHolderType, customer?: { __typename?: 'Customer', id: string, model: CustomerModel } | null }, accounts: { __typename?: 'FinancialAccountConnection', edges: Array<{ __typename?: 'FinancialAccountEdge', cursor: string, node: { __typename?: 'FinancialAccount', id: string, institutionName: string, status: FinancialAccountStatus } }>, nodes: Array<{ __typename?: 'FinancialAccount', id: string, permissions: Array<FinancialConnectionsPermission>, accountHolder?: { __typename?: 'AccountHolder', type: AccountHolderType, customer?: { __typename?: 'Customer', id: string } | null } | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AccountSummaryFragmentDoc = new TypedDocumentString(`
    fragment AccountSummary on FinancialAccount {
  id
  displayName
  institutionName
  last4
  category
  subcategory
  status
  statusDetails {
    action
    cause
    expectedDeactivationAt
  }
  permissions
  supportedPaymentMethodTypes
  subscriptions
  created
  livemode
  balanceRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  ownershipRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  transactionRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
}
    `, {"fragmentName":"AccountSummary"}) as unknown as TypedDocumentString<AccountSummaryFragment, unknown>;
export const BalanceFieldsFragmentDoc = new TypedDocumentString(`
    fragment BalanceFields on Balance {
  asOf
  type
  current {
    amount
    currency
  }
  cashAvailable {
    amount
    currency
  }
  creditUsed {
    amount
    currency
  }
}
    `, {"fragmentName":"BalanceFields"}) as unknown as TypedDocumentString<BalanceFieldsFragment, unknown>;
export const TransactionFieldsFragmentDoc = new TypedDocumentString(`
    fragment TransactionFields on Transaction {
  id
  amount {
    amount
    currency
  }
  description
  status
  transactedAt
  postedAt
  voidAt
  transactionRefresh
  livemode
}
    `, {"fragmentName":"TransactionFields"}) as unknown as TypedDocumentString<TransactionFieldsFragment, unknown>;
export const DashboardAccountFragmentDoc = new TypedDocumentString(`
    fragment DashboardAccount on FinancialAccount {
  ...AccountSummary
  balance {
    ...BalanceFields
  }
  ownership {
    id
    owners(first: 10) {
      nodes {
        id
        name
        email
        phone
        rawAddress
        refreshedAt
      }
    }
  }
  transactions(first: 10) {
    nodes {
      ...TransactionFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AccountSummary on FinancialAccount {
  id
  displayName
  institutionName
  last4
  category
  subcategory
  status
  statusDetails {
    action
    cause
    expectedDeactivationAt
  }
  permissions
  supportedPaymentMethodTypes
  subscriptions
  created
  livemode
  balanceRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  ownershipRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  transactionRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
}
fragment BalanceFields on Balance {
  asOf
  type
  current {
    amount
    currency
  }
  cashAvailable {
    amount
    currency
  }
  creditUsed {
    amount
    currency
  }
}
fragment TransactionFields on Transaction {
  id
  amount {
    amount
    currency
  }
  description
  status
  transactedAt
  postedAt
  voidAt
  transactionRefresh
  livemode
}`, {"fragmentName":"DashboardAccount"}) as unknown as TypedDocumentString<DashboardAccountFragment, unknown>;
export const PaymentIntentFieldsFragmentDoc = new TypedDocumentString(`
    fragment PaymentIntentFields on PaymentIntent {
  id
  status
  amount {
    amount
    currency
  }
  paymentMethodTypes
  description
  lastPaymentError {
    code
    declineCode
    message
  }
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}
    `, {"fragmentName":"PaymentIntentFields"}) as unknown as TypedDocumentString<PaymentIntentFieldsFragment, unknown>;
export const SetupIntentFieldsFragmentDoc = new TypedDocumentString(`
    fragment SetupIntentFields on SetupIntent {
  id
  status
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}
    `, {"fragmentName":"SetupIntentFields"}) as unknown as TypedDocumentString<SetupIntentFieldsFragment, unknown>;
export const CreateCustomerDocument = new TypedDocumentString(`
    mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer {
      id
      model
      email
      name
      created
      livemode
    }
  }
}
    `) as unknown as TypedDocumentString<CreateCustomerMutation, CreateCustomerMutationVariables>;
export const GetCustomerDocument = new TypedDocumentString(`
    query GetCustomer($id: ID!) {
  customer(id: $id) {
    id
    model
    email
    name
    created
    livemode
  }
}
    `) as unknown as TypedDocumentString<GetCustomerQuery, GetCustomerQueryVariables>;
export const ListCustomersDocument = new TypedDocumentString(`
    query ListCustomers($first: Int, $after: String, $email: String) {
  customers(first: $first, after: $after, email: $email) {
    edges {
      cursor
      node {
        id
        email
      }
    }
    nodes {
      id
      model
      email
      created
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ListCustomersQuery, ListCustomersQueryVariables>;
export const CreateCustomerTokenDocument = new TypedDocumentString(`
    mutation CreateCustomerToken($input: CreateCustomerTokenInput!) {
  createCustomerToken(input: $input) {
    token
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<CreateCustomerTokenMutation, CreateCustomerTokenMutationVariables>;
export const ViewerCustomerDocument = new TypedDocumentString(`
    query ViewerCustomer {
  viewer {
    kind
    partnerId
    customer {
      id
      model
      email
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerCustomerQuery, ViewerCustomerQueryVariables>;
export const CustomerDashboardDocument = new TypedDocumentString(`
    query CustomerDashboard($id: ID!) {
  customer(id: $id) {
    id
    model
    financialAccounts {
      nodes {
        ...DashboardAccount
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment AccountSummary on FinancialAccount {
  id
  displayName
  institutionName
  last4
  category
  subcategory
  status
  statusDetails {
    action
    cause
    expectedDeactivationAt
  }
  permissions
  supportedPaymentMethodTypes
  subscriptions
  created
  livemode
  balanceRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  ownershipRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  transactionRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
}
fragment BalanceFields on Balance {
  asOf
  type
  current {
    amount
    currency
  }
  cashAvailable {
    amount
    currency
  }
  creditUsed {
    amount
    currency
  }
}
fragment TransactionFields on Transaction {
  id
  amount {
    amount
    currency
  }
  description
  status
  transactedAt
  postedAt
  voidAt
  transactionRefresh
  livemode
}
fragment DashboardAccount on FinancialAccount {
  ...AccountSummary
  balance {
    ...BalanceFields
  }
  ownership {
    id
    owners(first: 10) {
      nodes {
        id
        name
        email
        phone
        rawAddress
        refreshedAt
      }
    }
  }
  transactions(first: 10) {
    nodes {
      ...TransactionFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}`) as unknown as TypedDocumentString<CustomerDashboardQuery, CustomerDashboardQueryVariables>;
export const CustomerAccountsDocument = new TypedDocumentString(`
    query CustomerAccounts($id: ID!, $first: Int, $after: String, $status: FinancialAccountStatus) {
  customer(id: $id) {
    id
    financialAccounts(first: $first, after: $after, status: $status) {
      edges {
        cursor
        node {
          id
          status
        }
      }
      nodes {
        id
        status
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CustomerAccountsQuery, CustomerAccountsQueryVariables>;
export const GetFinancialAccountDocument = new TypedDocumentString(`
    query GetFinancialAccount($id: ID!) {
  financialAccount(id: $id) {
    ...AccountSummary
    accountHolder {
      type
      customer {
        id
        model
      }
    }
  }
}
    fragment AccountSummary on FinancialAccount {
  id
  displayName
  institutionName
  last4
  category
  subcategory
  status
  statusDetails {
    action
    cause
    expectedDeactivationAt
  }
  permissions
  supportedPaymentMethodTypes
  subscriptions
  created
  livemode
  balanceRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  ownershipRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  transactionRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
}`) as unknown as TypedDocumentString<GetFinancialAccountQuery, GetFinancialAccountQueryVariables>;
export const GetFinancialAccountBalanceDocument = new TypedDocumentString(`
    query GetFinancialAccountBalance($id: ID!) {
  financialAccount(id: $id) {
    id
    balanceRefresh {
      status
      lastAttemptedAt
      nextRefreshAvailableAt
    }
    balance {
      ...BalanceFields
    }
  }
}
    fragment BalanceFields on Balance {
  asOf
  type
  current {
    amount
    currency
  }
  cashAvailable {
    amount
    currency
  }
  creditUsed {
    amount
    currency
  }
}`) as unknown as TypedDocumentString<GetFinancialAccountBalanceQuery, GetFinancialAccountBalanceQueryVariables>;
export const GetAccountOwnersDocument = new TypedDocumentString(`
    query GetAccountOwners($id: ID!, $first: Int, $after: String) {
  financialAccount(id: $id) {
    id
    ownershipRefresh {
      status
    }
    ownership {
      id
      created
      owners(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            name
          }
        }
        nodes {
          id
          name
          email
          phone
          rawAddress
          refreshedAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GetAccountOwnersQuery, GetAccountOwnersQueryVariables>;
export const GetAccountTransactionsDocument = new TypedDocumentString(`
    query GetAccountTransactions($id: ID!, $first: Int, $after: String, $status: TransactionStatus, $transactedAfter: DateTime, $transactedBefore: DateTime) {
  financialAccount(id: $id) {
    id
    transactionRefresh {
      status
    }
    transactions(
      first: $first
      after: $after
      status: $status
      transactedAfter: $transactedAfter
      transactedBefore: $transactedBefore
    ) {
      edges {
        cursor
        node {
          id
        }
      }
      nodes {
        ...TransactionFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment TransactionFields on Transaction {
  id
  amount {
    amount
    currency
  }
  description
  status
  transactedAt
  postedAt
  voidAt
  transactionRefresh
  livemode
}`) as unknown as TypedDocumentString<GetAccountTransactionsQuery, GetAccountTransactionsQueryVariables>;
export const GetTransactionDocument = new TypedDocumentString(`
    query GetTransaction($id: ID!) {
  transaction(id: $id) {
    ...TransactionFields
    account {
      id
      institutionName
    }
  }
}
    fragment TransactionFields on Transaction {
  id
  amount {
    amount
    currency
  }
  description
  status
  transactedAt
  postedAt
  voidAt
  transactionRefresh
  livemode
}`) as unknown as TypedDocumentString<GetTransactionQuery, GetTransactionQueryVariables>;
export const GetNodeDocument = new TypedDocumentString(`
    query GetNode($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Customer {
      model
    }
    ... on FinancialAccount {
      institutionName
    }
    ... on FinancialConnectionsSession {
      permissions
    }
    ... on Transaction {
      description
    }
  }
}
    `) as unknown as TypedDocumentString<GetNodeQuery, GetNodeQueryVariables>;
export const RefreshFinancialAccountDocument = new TypedDocumentString(`
    mutation RefreshFinancialAccount($input: RefreshFinancialAccountInput!) {
  refreshFinancialAccount(input: $input) {
    financialAccount {
      id
      balanceRefresh {
        status
        lastAttemptedAt
        nextRefreshAvailableAt
      }
      ownershipRefresh {
        status
      }
      transactionRefresh {
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshFinancialAccountMutation, RefreshFinancialAccountMutationVariables>;
export const DisconnectFinancialAccountDocument = new TypedDocumentString(`
    mutation DisconnectFinancialAccount($input: FinancialAccountInput!) {
  disconnectFinancialAccount(input: $input) {
    financialAccount {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DisconnectFinancialAccountMutation, DisconnectFinancialAccountMutationVariables>;
export const SubscribeFinancialAccountDocument = new TypedDocumentString(`
    mutation SubscribeFinancialAccount($input: SubscribeFinancialAccountInput!) {
  subscribeFinancialAccount(input: $input) {
    financialAccount {
      id
      subscriptions
      transactionRefresh {
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SubscribeFinancialAccountMutation, SubscribeFinancialAccountMutationVariables>;
export const UnsubscribeFinancialAccountDocument = new TypedDocumentString(`
    mutation UnsubscribeFinancialAccount($input: SubscribeFinancialAccountInput!) {
  unsubscribeFinancialAccount(input: $input) {
    financialAccount {
      id
      subscriptions
    }
  }
}
    `) as unknown as TypedDocumentString<UnsubscribeFinancialAccountMutation, UnsubscribeFinancialAccountMutationVariables>;
export const FinancialAccountRefreshedDocument = new TypedDocumentString(`
    subscription FinancialAccountRefreshed($customerId: ID!) {
  financialAccountRefreshed(customerId: $customerId) {
    feature
    status
    occurredAt
    financialAccount {
      ...DashboardAccount
    }
  }
}
    fragment AccountSummary on FinancialAccount {
  id
  displayName
  institutionName
  last4
  category
  subcategory
  status
  statusDetails {
    action
    cause
    expectedDeactivationAt
  }
  permissions
  supportedPaymentMethodTypes
  subscriptions
  created
  livemode
  balanceRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  ownershipRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
  transactionRefresh {
    status
    lastAttemptedAt
    nextRefreshAvailableAt
  }
}
fragment BalanceFields on Balance {
  asOf
  type
  current {
    amount
    currency
  }
  cashAvailable {
    amount
    currency
  }
  creditUsed {
    amount
    currency
  }
}
fragment TransactionFields on Transaction {
  id
  amount {
    amount
    currency
  }
  description
  status
  transactedAt
  postedAt
  voidAt
  transactionRefresh
  livemode
}
fragment DashboardAccount on FinancialAccount {
  ...AccountSummary
  balance {
    ...BalanceFields
  }
  ownership {
    id
    owners(first: 10) {
      nodes {
        id
        name
        email
        phone
        rawAddress
        refreshedAt
      }
    }
  }
  transactions(first: 10) {
    nodes {
      ...TransactionFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}`) as unknown as TypedDocumentString<FinancialAccountRefreshedSubscription, FinancialAccountRefreshedSubscriptionVariables>;
export const PaymentsSetupCreateCustomerDocument = new TypedDocumentString(`
    mutation PaymentsSetupCreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer {
      id
      model
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentsSetupCreateCustomerMutation, PaymentsSetupCreateCustomerMutationVariables>;
export const PaymentsSetupCreateSessionDocument = new TypedDocumentString(`
    mutation PaymentsSetupCreateSession($input: CreateFinancialConnectionsSessionInput!) {
  createFinancialConnectionsSession(input: $input) {
    session {
      id
    }
    clientSecret
  }
}
    `) as unknown as TypedDocumentString<PaymentsSetupCreateSessionMutation, PaymentsSetupCreateSessionMutationVariables>;
export const PaymentsSetupSessionAccountsDocument = new TypedDocumentString(`
    query PaymentsSetupSessionAccounts($id: ID!) {
  financialConnectionsSession(id: $id) {
    id
    accounts(first: 20) {
      nodes {
        id
        displayName
        last4
        permissions
        supportedPaymentMethodTypes
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentsSetupSessionAccountsQuery, PaymentsSetupSessionAccountsQueryVariables>;
export const CreatePaymentIntentDocument = new TypedDocumentString(`
    mutation CreatePaymentIntent($input: CreatePaymentIntentInput!) {
  createPaymentIntent(input: $input) {
    paymentIntent {
      ...PaymentIntentFields
    }
  }
}
    fragment PaymentIntentFields on PaymentIntent {
  id
  status
  amount {
    amount
    currency
  }
  paymentMethodTypes
  description
  lastPaymentError {
    code
    declineCode
    message
  }
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<CreatePaymentIntentMutation, CreatePaymentIntentMutationVariables>;
export const ConfirmPaymentIntentDocument = new TypedDocumentString(`
    mutation ConfirmPaymentIntent($input: ConfirmPaymentIntentInput!) {
  confirmPaymentIntent(input: $input) {
    paymentIntent {
      ...PaymentIntentFields
    }
  }
}
    fragment PaymentIntentFields on PaymentIntent {
  id
  status
  amount {
    amount
    currency
  }
  paymentMethodTypes
  description
  lastPaymentError {
    code
    declineCode
    message
  }
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<ConfirmPaymentIntentMutation, ConfirmPaymentIntentMutationVariables>;
export const CancelPaymentIntentDocument = new TypedDocumentString(`
    mutation CancelPaymentIntent($input: CancelPaymentIntentInput!) {
  cancelPaymentIntent(input: $input) {
    paymentIntent {
      ...PaymentIntentFields
    }
  }
}
    fragment PaymentIntentFields on PaymentIntent {
  id
  status
  amount {
    amount
    currency
  }
  paymentMethodTypes
  description
  lastPaymentError {
    code
    declineCode
    message
  }
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<CancelPaymentIntentMutation, CancelPaymentIntentMutationVariables>;
export const PaymentIntentDocument = new TypedDocumentString(`
    query PaymentIntent($id: ID!) {
  paymentIntent(id: $id) {
    ...PaymentIntentFields
  }
}
    fragment PaymentIntentFields on PaymentIntent {
  id
  status
  amount {
    amount
    currency
  }
  paymentMethodTypes
  description
  lastPaymentError {
    code
    declineCode
    message
  }
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<PaymentIntentQuery, PaymentIntentQueryVariables>;
export const PaymentIntentStatusDocument = new TypedDocumentString(`
    query PaymentIntentStatus($id: ID!) {
  paymentIntent(id: $id) {
    id
    status
    lastPaymentError {
      code
      declineCode
      message
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentIntentStatusQuery, PaymentIntentStatusQueryVariables>;
export const CustomerPaymentIntentsDocument = new TypedDocumentString(`
    query CustomerPaymentIntents($customerId: ID!, $first: Int, $after: String) {
  customer(id: $customerId) {
    id
    paymentIntents(first: $first, after: $after) {
      nodes {
        id
        status
        amount {
          amount
          currency
        }
      }
      edges {
        cursor
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CustomerPaymentIntentsQuery, CustomerPaymentIntentsQueryVariables>;
export const CreateSetupIntentDocument = new TypedDocumentString(`
    mutation CreateSetupIntent($input: CreateSetupIntentInput!) {
  createSetupIntent(input: $input) {
    setupIntent {
      ...SetupIntentFields
    }
  }
}
    fragment SetupIntentFields on SetupIntent {
  id
  status
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<CreateSetupIntentMutation, CreateSetupIntentMutationVariables>;
export const SetupIntentDocument = new TypedDocumentString(`
    query SetupIntent($id: ID!) {
  setupIntent(id: $id) {
    ...SetupIntentFields
  }
}
    fragment SetupIntentFields on SetupIntent {
  id
  status
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<SetupIntentQuery, SetupIntentQueryVariables>;
export const PaymentNodeDocument = new TypedDocumentString(`
    query PaymentNode($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on PaymentIntent {
      paymentStatus: status
    }
    ... on SetupIntent {
      setupStatus: status
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentNodeQuery, PaymentNodeQueryVariables>;
export const PaymentIntentUpdatedDocument = new TypedDocumentString(`
    subscription PaymentIntentUpdated($customerId: ID!) {
  paymentIntentUpdated(customerId: $customerId) {
    ...PaymentIntentFields
  }
}
    fragment PaymentIntentFields on PaymentIntent {
  id
  status
  amount {
    amount
    currency
  }
  paymentMethodTypes
  description
  lastPaymentError {
    code
    declineCode
    message
  }
  created
  livemode
  customer {
    id
    model
  }
  financialAccount {
    id
    last4
  }
}`) as unknown as TypedDocumentString<PaymentIntentUpdatedSubscription, PaymentIntentUpdatedSubscriptionVariables>;
export const CreateSessionDocument = new TypedDocumentString(`
    mutation CreateSession($input: CreateFinancialConnectionsSessionInput!) {
  createFinancialConnectionsSession(input: $input) {
    clientSecret
    session {
      id
      permissions
      prefetch
      returnUrl
      livemode
      accountHolder {
        type
        customer {
          id
          model
        }
      }
      accounts {
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateSessionMutation, CreateSessionMutationVariables>;
export const GetSessionDocument = new TypedDocumentString(`
    query GetSession($id: ID!, $first: Int, $after: String) {
  financialConnectionsSession(id: $id) {
    id
    permissions
    prefetch
    returnUrl
    livemode
    accountHolder {
      type
      customer {
        id
        model
      }
    }
    accounts(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          institutionName
          status
        }
      }
      nodes {
        id
        permissions
        accountHolder {
          type
          customer {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GetSessionQuery, GetSessionQueryVariables>;