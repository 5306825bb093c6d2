/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type BankAccountHolderType =
  | 'COMPANY'
  | 'INDIVIDUAL'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type BankAccountType =
  | 'CHECKING'
  | 'SAVINGS'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type CancelPaymentIntentInput = {
  paymentIntentId: string | number;
};

export type ConfirmPaymentIntentInput = {
  /** The end user's acceptance, passed on by a partner's server (partner credentials only). */
  mandate?: MandateInput | null | undefined;
  /** When the end user accepted the mandate; defaults to now. */
  mandateAcceptedAt?: string | null | undefined;
  paymentIntentId: string | number;
};

export type CreateCustomerInput = {
  email?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
  model?: CustomerModel | null | undefined;
  name?: string | null | undefined;
};

export type CreateCustomerTokenInput = {
  customerId: string | number;
  ttlSeconds?: number | null | undefined;
};

export type CreateFinancialConnectionsSessionInput = {
  customerId: string | number;
  filters?: FinancialConnectionsSessionFilters | null | undefined;
  idempotencyKey?: string | null | undefined;
  limits?: FinancialConnectionsSessionLimitsInput | null | undefined;
  /** DISABLED hides the option to enter account details by hand. */
  manualEntry?: FinancialConnectionsSessionManualEntryInput | null | undefined;
  permissions: Array<FinancialConnectionsPermission>;
  prefetch?: Array<FinancialConnectionsFeature> | null | undefined;
  /** Needed for WebView and mobile OAuth redirects (https universal link / app link). */
  returnUrl?: string | null | undefined;
};

/** Either financialAccountId (a debit from a linked account, confirmed with confirmPaymentIntent), or paymentMethodId with mandateId and offSession: true (a recurring debit from a saved account, confirmed at once under its saved mandate, with no new acceptance). */
export type CreatePaymentIntentInput = {
  amount: number;
  /** Required with financialAccountId (the name on the mandate); a saved account already has one. */
  billingName?: string | null | undefined;
  currency?: string;
  customerId: string | number;
  description?: string | null | undefined;
  financialAccountId?: string | number | null | undefined;
  /** Required: a retried mutation with the same key never creates a second payment. */
  idempotencyKey: string;
  /** The active mandate saved with paymentMethodId (SetupIntent.mandate). */
  mandateId?: string | number | null | undefined;
  /** Must be true with paymentMethodId: the customer is not present, the saved mandate authorizes the debit. */
  offSession?: boolean | null | undefined;
  /** One of the customer's paymentMethods. */
  paymentMethodId?: string | number | null | undefined;
  /** With financialAccountId: MICRODEPOSITS makes the confirmation wait for verifyMicrodeposits. */
  verificationMethod?: VerificationMethod | null | undefined;
};

export type CreateSetupIntentInput = {
  billingName: string;
  customerId: string | number;
  financialAccountId: string | number;
  idempotencyKey: string;
  /** The end user's acceptance, passed on by a partner's server (partner credentials only). */
  mandate?: MandateInput | null | undefined;
  /** MICRODEPOSITS: the SetupIntent waits in REQUIRES_ACTION until verifyMicrodeposits. */
  verificationMethod?: VerificationMethod | null | undefined;
};

export type CustomerModel =
  /** v2 customer-configured Account, acct_ id; sessions use account_holder[customer_account] */
  | 'ACCOUNT'
  /** v1 Customer object, cus_ id; sessions use account_holder[customer] */
  | 'CUSTOMER';

export type DetachPaymentMethodInput = {
  paymentMethodId: string | number;
};

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
  accountId: string | number;
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
  accountSubcategories?: Array<FinancialAccountSubcategory> | null | undefined;
  countries?: Array<string> | null | undefined;
};

export type FinancialConnectionsSessionLimitsInput = {
  /** The most accounts the user may link in this session (1-100). */
  accounts: number;
};

export type FinancialConnectionsSessionManualEntryInput = {
  mode: ManualEntryMode;
};

export type MandateAcceptanceType =
  | 'OFFLINE'
  | 'ONLINE'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

/** The end user's acceptance of the ACH mandate, when a partner's server (not the end user's browser) calls. Partner credentials only; without it the calling request’s own address and User-Agent are the evidence. */
export type MandateInput = {
  /** When the end user accepted; not in the future. */
  acceptedAt?: string | null | undefined;
  /** The end user's IP address (an IPv4 or IPv6 literal). */
  ipAddress: string;
  /** The end user's browser User-Agent (at most 512 characters). */
  userAgent: string;
};

export type MandateStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'PENDING'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type MandateType =
  | 'MULTI_USE'
  | 'SINGLE_USE'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type ManualEntryMode =
  | 'AUTOMATIC'
  | 'DISABLED';

export type MicrodepositType =
  | 'AMOUNTS'
  | 'DESCRIPTOR_CODE'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN';

export type NextActionType =
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN'
  | 'VERIFY_WITH_MICRODEPOSITS';

export type PaymentIntentCancellationReason =
  | 'ABANDONED'
  | 'AUTOMATIC'
  | 'DUPLICATE'
  | 'FAILED_INVOICE'
  | 'FRAUDULENT'
  | 'REQUESTED_BY_CUSTOMER'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN'
  | 'VOID_INVOICE';

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

export type PaymentMethodStatus =
  | 'BLOCKED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN'
  | 'USABLE';

export type RefreshFinancialAccountInput = {
  accountId: string | number;
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
  accountId: string | number;
  features?: Array<FinancialConnectionsFeature>;
};

export type TransactionStatus =
  | 'PENDING'
  | 'POSTED'
  /** A value Stripe added after this gateway version; treat it as "not one of the others". Added to the contract so a new Stripe value never breaks a response. */
  | 'UNKNOWN'
  | 'VOID';

export type VerificationMethod =
  /** Stripe's choice: instant for a linked account, microdeposits where it must. */
  | 'AUTOMATIC'
  /** Instant only: fails rather than fall back to microdeposits. */
  | 'INSTANT'
  /** Microdeposits: the intent waits in REQUIRES_ACTION until verifyMicrodeposits (or the hosted page). */
  | 'MICRODEPOSITS';

/** Either amounts or descriptorCode, as the end user read them on their bank statement. */
export type VerifyMicrodepositsInput = {
  /** The two microdeposit amounts, in cents. */
  amounts?: Array<number> | null | undefined;
  /** The 6-character code starting with SM. */
  descriptorCode?: string | null | undefined;
  /** The PaymentIntent (pi_…) or SetupIntent (seti_…) waiting for microdeposits. */
  intentId: string | number;
};

export type ViewerKind =
  | 'CUSTOMER'
  | 'PARTNER';

export type CreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;


export type CreateCustomerMutation = { createCustomer: { customer: { id: string, model: CustomerModel, email: string | null, name: string | null, created: string, livemode: boolean } } };

export type GetCustomerQueryVariables = Exact<{
  id: string | number;
}>;


export type GetCustomerQuery = { customer: { id: string, model: CustomerModel, email: string | null, name: string | null, created: string, livemode: boolean } | null };

export type ListCustomersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  email?: string | null | undefined;
}>;


export type ListCustomersQuery = { customers: { edges: Array<{ cursor: string, node: { id: string, email: string | null } }>, nodes: Array<{ id: string, model: CustomerModel, email: string | null, created: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateCustomerTokenMutationVariables = Exact<{
  input: CreateCustomerTokenInput;
}>;


export type CreateCustomerTokenMutation = { createCustomerToken: { token: string, expiresAt: string } };

export type ViewerCustomerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerCustomerQuery = { viewer: { kind: ViewerKind, partnerId: string, customer: { id: string, model: CustomerModel, email: string | null } | null } };

export type AccountSummaryFragment = { id: string, displayName: string | null, institutionName: string, last4: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, statusDetails: { action: FinancialAccountAction, cause: string | null, expectedDeactivationAt: string | null } | null, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, ownershipRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, transactionRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null };

export type BalanceFieldsFragment = { asOf: string, type: BalanceType, current: Array<{ amount: number, currency: string }>, cashAvailable: Array<{ amount: number, currency: string }> | null, creditUsed: Array<{ amount: number, currency: string }> | null };

export type TransactionFieldsFragment = { id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } };

export type DashboardAccountFragment = { id: string, displayName: string | null, institutionName: string, last4: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, balance: { asOf: string, type: BalanceType, current: Array<{ amount: number, currency: string }>, cashAvailable: Array<{ amount: number, currency: string }> | null, creditUsed: Array<{ amount: number, currency: string }> | null } | null, ownership: { id: string, owners: { nodes: Array<{ id: string, name: string, email: string | null, phone: string | null, rawAddress: string | null, refreshedAt: string | null }> } } | null, transactions: { nodes: Array<{ id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, statusDetails: { action: FinancialAccountAction, cause: string | null, expectedDeactivationAt: string | null } | null, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, ownershipRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, transactionRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null };

export type CustomerDashboardQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerDashboardQuery = { customer: { id: string, model: CustomerModel, financialAccounts: { nodes: Array<{ id: string, displayName: string | null, institutionName: string, last4: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, balance: { asOf: string, type: BalanceType, current: Array<{ amount: number, currency: string }>, cashAvailable: Array<{ amount: number, currency: string }> | null, creditUsed: Array<{ amount: number, currency: string }> | null } | null, ownership: { id: string, owners: { nodes: Array<{ id: string, name: string, email: string | null, phone: string | null, rawAddress: string | null, refreshedAt: string | null }> } } | null, transactions: { nodes: Array<{ id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, statusDetails: { action: FinancialAccountAction, cause: string | null, expectedDeactivationAt: string | null } | null, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, ownershipRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, transactionRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type CustomerAccountsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: FinancialAccountStatus | null | undefined;
}>;


export type CustomerAccountsQuery = { customer: { id: string, financialAccounts: { edges: Array<{ cursor: string, node: { id: string, status: FinancialAccountStatus } }>, nodes: Array<{ id: string, status: FinancialAccountStatus }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type GetFinancialAccountQueryVariables = Exact<{
  id: string | number;
}>;


export type GetFinancialAccountQuery = { financialAccount: { id: string, displayName: string | null, institutionName: string, last4: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, accountHolder: { type: AccountHolderType, customer: { id: string, model: CustomerModel } | null } | null, statusDetails: { action: FinancialAccountAction, cause: string | null, expectedDeactivationAt: string | null } | null, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, ownershipRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, transactionRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null } | null };

export type GetFinancialAccountBalanceQueryVariables = Exact<{
  id: string | number;
}>;


export type GetFinancialAccountBalanceQuery = { financialAccount: { id: string, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, balance: { asOf: string, type: BalanceType, current: Array<{ amount: number, currency: string }>, cashAvailable: Array<{ amount: number, currency: string }> | null, creditUsed: Array<{ amount: number, currency: string }> | null } | null } | null };

export type GetAccountOwnersQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type GetAccountOwnersQuery = { financialAccount: { id: string, ownershipRefresh: { status: RefreshStatus } | null, ownership: { id: string, created: string, owners: { edges: Array<{ cursor: string, node: { id: string, name: string } }>, nodes: Array<{ id: string, name: string, email: string | null, phone: string | null, rawAddress: string | null, refreshedAt: string | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null } | null };

export type GetAccountTransactionsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: TransactionStatus | null | undefined;
  transactedAfter?: string | null | undefined;
  transactedBefore?: string | null | undefined;
}>;


export type GetAccountTransactionsQuery = { financialAccount: { id: string, transactionRefresh: { status: RefreshStatus } | null, transactions: { edges: Array<{ cursor: string, node: { id: string } }>, nodes: Array<{ id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type GetTransactionQueryVariables = Exact<{
  id: string | number;
}>;


export type GetTransactionQuery = { transaction: { id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, account: { id: string, institutionName: string }, amount: { amount: number, currency: string } } | null };

export type GetNodeQueryVariables = Exact<{
  id: string | number;
}>;


export type GetNodeQuery = { node:
    | { __typename: 'AccountOwner', name: string, email: string | null, id: string }
    | { __typename: 'Customer', model: CustomerModel, id: string }
    | { __typename: 'FinancialAccount', institutionName: string, id: string }
    | { __typename: 'FinancialConnectionsSession', permissions: Array<FinancialConnectionsPermission>, id: string }
    | { __typename: 'Mandate', id: string }
    | { __typename: 'Ownership', id: string }
    | { __typename: 'PaymentIntent', id: string }
    | { __typename: 'PaymentMethod', id: string }
    | { __typename: 'SetupIntent', id: string }
    | { __typename: 'Transaction', description: string, id: string }
    | { __typename: 'WebhookDelivery', id: string }
    | { __typename: 'WebhookEndpoint', id: string }
   | null };

export type RefreshFinancialAccountMutationVariables = Exact<{
  input: RefreshFinancialAccountInput;
}>;


export type RefreshFinancialAccountMutation = { refreshFinancialAccount: { financialAccount: { id: string, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, ownershipRefresh: { status: RefreshStatus } | null, transactionRefresh: { status: RefreshStatus } | null } } };

export type DisconnectFinancialAccountMutationVariables = Exact<{
  input: FinancialAccountInput;
}>;


export type DisconnectFinancialAccountMutation = { disconnectFinancialAccount: { financialAccount: { id: string, status: FinancialAccountStatus } } };

export type SubscribeFinancialAccountMutationVariables = Exact<{
  input: SubscribeFinancialAccountInput;
}>;


export type SubscribeFinancialAccountMutation = { subscribeFinancialAccount: { financialAccount: { id: string, subscriptions: Array<FinancialConnectionsFeature>, transactionRefresh: { status: RefreshStatus } | null } } };

export type UnsubscribeFinancialAccountMutationVariables = Exact<{
  input: SubscribeFinancialAccountInput;
}>;


export type UnsubscribeFinancialAccountMutation = { unsubscribeFinancialAccount: { financialAccount: { id: string, subscriptions: Array<FinancialConnectionsFeature> } } };

export type FinancialAccountRefreshedSubscriptionVariables = Exact<{
  customerId: string | number;
}>;


export type FinancialAccountRefreshedSubscription = { financialAccountRefreshed: { feature: FinancialConnectionsFeature, status: RefreshStatus, occurredAt: string, financialAccount: { id: string, displayName: string | null, institutionName: string, last4: string | null, category: FinancialAccountCategory, subcategory: FinancialAccountSubcategory, status: FinancialAccountStatus, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string>, subscriptions: Array<FinancialConnectionsFeature>, created: string, livemode: boolean, balance: { asOf: string, type: BalanceType, current: Array<{ amount: number, currency: string }>, cashAvailable: Array<{ amount: number, currency: string }> | null, creditUsed: Array<{ amount: number, currency: string }> | null } | null, ownership: { id: string, owners: { nodes: Array<{ id: string, name: string, email: string | null, phone: string | null, rawAddress: string | null, refreshedAt: string | null }> } } | null, transactions: { nodes: Array<{ id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, statusDetails: { action: FinancialAccountAction, cause: string | null, expectedDeactivationAt: string | null } | null, balanceRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, ownershipRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null, transactionRefresh: { status: RefreshStatus, lastAttemptedAt: string, nextRefreshAvailableAt: string | null } | null } } };

export type TransactionUpdatesQueryVariables = Exact<{
  accountId: string | number;
  cursor?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type TransactionUpdatesQuery = { financialAccount: { id: string, transactionUpdates: { removed: Array<string>, nextCursor: string, hasMore: boolean, added: Array<{ id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } }>, modified: Array<{ id: string, description: string, status: TransactionStatus, transactedAt: string, postedAt: string | null, voidAt: string | null, transactionRefresh: string, livemode: boolean, amount: { amount: number, currency: string } }> } } | null };

export type TransactionUpdatesAvailableSubscriptionVariables = Exact<{
  accountId: string | number;
}>;


export type TransactionUpdatesAvailableSubscription = { transactionUpdatesAvailable: { accountId: string, transactionRefreshId: string, completedAt: string } };

export type RefreshTransactionsMutationVariables = Exact<{
  input: RefreshFinancialAccountInput;
}>;


export type RefreshTransactionsMutation = { refreshFinancialAccount: { financialAccount: { id: string, transactionRefresh: { id: string | null, status: RefreshStatus } | null } } };

export type PaymentsSetupCreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
}>;


export type PaymentsSetupCreateCustomerMutation = { createCustomer: { customer: { id: string, model: CustomerModel } } };

export type PaymentsSetupCreateSessionMutationVariables = Exact<{
  input: CreateFinancialConnectionsSessionInput;
}>;


export type PaymentsSetupCreateSessionMutation = { createFinancialConnectionsSession: { clientSecret: string, session: { id: string } } };

export type PaymentsSetupSessionAccountsQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentsSetupSessionAccountsQuery = { financialConnectionsSession: { id: string, accounts: { nodes: Array<{ id: string, displayName: string | null, last4: string | null, permissions: Array<FinancialConnectionsPermission>, supportedPaymentMethodTypes: Array<string> }> } } | null };

export type PaymentIntentFieldsFragment = { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null };

export type SetupIntentFieldsFragment = { id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, lastSetupError: { code: string | null, declineCode: string | null, message: string | null } | null, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null };

export type NextActionFieldsFragment = { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null };

export type CreatePaymentIntentMutationVariables = Exact<{
  input: CreatePaymentIntentInput;
}>;


export type CreatePaymentIntentMutation = { createPaymentIntent: { paymentIntent: { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } } };

export type ConfirmPaymentIntentMutationVariables = Exact<{
  input: ConfirmPaymentIntentInput;
}>;


export type ConfirmPaymentIntentMutation = { confirmPaymentIntent: { paymentIntent: { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } } };

export type CancelPaymentIntentMutationVariables = Exact<{
  input: CancelPaymentIntentInput;
}>;


export type CancelPaymentIntentMutation = { cancelPaymentIntent: { paymentIntent: { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } } };

export type PaymentIntentQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentIntentQuery = { paymentIntent: { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } | null };

export type PaymentIntentStatusQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentIntentStatusQuery = { paymentIntent: { id: string, status: PaymentIntentStatus, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null } | null };

export type CustomerPaymentIntentsQueryVariables = Exact<{
  customerId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CustomerPaymentIntentsQuery = { customer: { id: string, paymentIntents: { nodes: Array<{ id: string, status: PaymentIntentStatus, amount: { amount: number, currency: string } }>, edges: Array<{ cursor: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type CreateSetupIntentMutationVariables = Exact<{
  input: CreateSetupIntentInput;
}>;


export type CreateSetupIntentMutation = { createSetupIntent: { setupIntent: { id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, lastSetupError: { code: string | null, declineCode: string | null, message: string | null } | null, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } } };

export type SetupIntentQueryVariables = Exact<{
  id: string | number;
}>;


export type SetupIntentQuery = { setupIntent: { id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, lastSetupError: { code: string | null, declineCode: string | null, message: string | null } | null, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } | null };

export type PaymentNodeQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentNodeQuery = { node:
    | { __typename: 'AccountOwner', id: string }
    | { __typename: 'Customer', id: string }
    | { __typename: 'FinancialAccount', id: string }
    | { __typename: 'FinancialConnectionsSession', id: string }
    | { __typename: 'Mandate', id: string }
    | { __typename: 'Ownership', id: string }
    | { __typename: 'PaymentIntent', id: string, paymentStatus: PaymentIntentStatus }
    | { __typename: 'PaymentMethod', id: string }
    | { __typename: 'SetupIntent', id: string, setupStatus: SetupIntentStatus }
    | { __typename: 'Transaction', id: string }
    | { __typename: 'WebhookDelivery', id: string }
    | { __typename: 'WebhookEndpoint', id: string }
   | null };

export type PaymentIntentUpdatedSubscriptionVariables = Exact<{
  customerId: string | number;
}>;


export type PaymentIntentUpdatedSubscription = { paymentIntentUpdated: { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } };

export type PaymentMethodFieldsFragment = { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean };

export type MandateFieldsFragment = { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean };

export type CustomerPaymentMethodsQueryVariables = Exact<{
  customerId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CustomerPaymentMethodsQuery = { customer: { id: string, paymentMethods: { nodes: Array<{ id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type PaymentMethodQueryVariables = Exact<{
  id: string | number;
}>;


export type PaymentMethodQuery = { paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean, financialAccount: { id: string, last4: string | null } | null, customer: { id: string } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } | null };

export type SavedAccountsQueryVariables = Exact<{
  customerId: string | number;
}>;


export type SavedAccountsQuery = { customer: { id: string, paymentMethods: { nodes: Array<{ id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null }> } } | null };

export type MandateQueryVariables = Exact<{
  id: string | number;
}>;


export type MandateQuery = { mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean, paymentMethod: { id: string, last4: string | null } | null } | null };

export type DetachPaymentMethodMutationVariables = Exact<{
  input: DetachPaymentMethodInput;
}>;


export type DetachPaymentMethodMutation = { detachPaymentMethod: { paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } } };

export type VerifyMicrodepositsMutationVariables = Exact<{
  input: VerifyMicrodepositsInput;
}>;


export type VerifyMicrodepositsMutation = { verifyMicrodeposits: { paymentIntent: { id: string, status: PaymentIntentStatus, paymentMethodTypes: Array<string>, description: string | null, created: string, livemode: boolean, cancellationReason: PaymentIntentCancellationReason | null, amount: { amount: number, currency: string }, lastPaymentError: { code: string | null, declineCode: string | null, message: string | null } | null, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, amountReceived: { amount: number, currency: string }, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } | null, setupIntent: { id: string, status: SetupIntentStatus, created: string, livemode: boolean, customer: { id: string, model: CustomerModel } | null, financialAccount: { id: string, last4: string | null } | null, lastSetupError: { code: string | null, declineCode: string | null, message: string | null } | null, nextAction: { type: NextActionType, arrivalDate: string | null, microdepositType: MicrodepositType | null, hostedVerificationUrl: string | null } | null, paymentMethod: { id: string, bankName: string | null, last4: string | null, accountType: BankAccountType | null, accountHolderType: BankAccountHolderType | null, status: PaymentMethodStatus, blockedReason: string | null, blockedNetworkCode: string | null, attached: boolean, created: string, livemode: boolean } | null, mandate: { id: string, status: MandateStatus, type: MandateType, acceptedAt: string | null, acceptanceType: MandateAcceptanceType, livemode: boolean } | null } | null } };

export type CreateSessionMutationVariables = Exact<{
  input: CreateFinancialConnectionsSessionInput;
}>;


export type CreateSessionMutation = { createFinancialConnectionsSession: { clientSecret: string, session: { id: string, permissions: Array<FinancialConnectionsPermission>, prefetch: Array<FinancialConnectionsFeature>, returnUrl: string | null, livemode: boolean, accountHolder: { type: AccountHolderType, customer: { id: string, model: CustomerModel } | null }, accounts: { nodes: Array<{ id: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } } };

export type GetSessionQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type GetSessionQuery = { financialConnectionsSession: { id: string, permissions: Array<FinancialConnectionsPermission>, prefetch: Array<FinancialConnectionsFeature>, returnUrl: string | null, livemode: boolean, accountHolder: { type: AccountHolderType, customer: { id: string, model: CustomerModel } | null }, accounts: { edges: Array<{ cursor: string, node: { id: string, institutionName: string, status: FinancialAccountStatus } }>, nodes: Array<{ id: string, permissions: Array<FinancialConnectionsPermission>, accountHolder: { type: AccountHolderType, customer: { id: string } | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

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
export const AccountSummaryFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
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
export const BalanceFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
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
export const TransactionFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
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
export const DashboardAccountFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
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
export const NextActionFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
    `, {"fragmentName":"NextActionFields"}) as unknown as TypedDocumentString<NextActionFieldsFragment, unknown>;
export const PaymentMethodFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
    `, {"fragmentName":"PaymentMethodFields"}) as unknown as TypedDocumentString<PaymentMethodFieldsFragment, unknown>;
export const MandateFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}
    `, {"fragmentName":"MandateFields"}) as unknown as TypedDocumentString<MandateFieldsFragment, unknown>;
export const PaymentIntentFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
    fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`, {"fragmentName":"PaymentIntentFields"}) as unknown as TypedDocumentString<PaymentIntentFieldsFragment, unknown>;
export const SetupIntentFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
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
  lastSetupError {
    code
    declineCode
    message
  }
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
    fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`, {"fragmentName":"SetupIntentFields"}) as unknown as TypedDocumentString<SetupIntentFieldsFragment, unknown>;
export const CreateCustomerDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetCustomerDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const ListCustomersDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const CreateCustomerTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation CreateCustomerToken($input: CreateCustomerTokenInput!) {
  createCustomerToken(input: $input) {
    token
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<CreateCustomerTokenMutation, CreateCustomerTokenMutationVariables>;
export const ViewerCustomerDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const CustomerDashboardDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const CustomerAccountsDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetFinancialAccountDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetFinancialAccountBalanceDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetAccountOwnersDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetAccountTransactionsDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetTransactionDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetNodeDocument = /*#__PURE__*/ new TypedDocumentString(`
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
    ... on Ownership {
      id
    }
    ... on AccountOwner {
      name
      email
    }
  }
}
    `) as unknown as TypedDocumentString<GetNodeQuery, GetNodeQueryVariables>;
export const RefreshFinancialAccountDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const DisconnectFinancialAccountDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DisconnectFinancialAccount($input: FinancialAccountInput!) {
  disconnectFinancialAccount(input: $input) {
    financialAccount {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DisconnectFinancialAccountMutation, DisconnectFinancialAccountMutationVariables>;
export const SubscribeFinancialAccountDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const UnsubscribeFinancialAccountDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation UnsubscribeFinancialAccount($input: SubscribeFinancialAccountInput!) {
  unsubscribeFinancialAccount(input: $input) {
    financialAccount {
      id
      subscriptions
    }
  }
}
    `) as unknown as TypedDocumentString<UnsubscribeFinancialAccountMutation, UnsubscribeFinancialAccountMutationVariables>;
export const FinancialAccountRefreshedDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const TransactionUpdatesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query TransactionUpdates($accountId: ID!, $cursor: String, $first: Int) {
  financialAccount(id: $accountId) {
    id
    transactionUpdates(cursor: $cursor, first: $first) {
      added {
        ...TransactionFields
      }
      modified {
        ...TransactionFields
      }
      removed
      nextCursor
      hasMore
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
}`) as unknown as TypedDocumentString<TransactionUpdatesQuery, TransactionUpdatesQueryVariables>;
export const TransactionUpdatesAvailableDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription TransactionUpdatesAvailable($accountId: ID!) {
  transactionUpdatesAvailable(accountId: $accountId) {
    accountId
    transactionRefreshId
    completedAt
  }
}
    `) as unknown as TypedDocumentString<TransactionUpdatesAvailableSubscription, TransactionUpdatesAvailableSubscriptionVariables>;
export const RefreshTransactionsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation RefreshTransactions($input: RefreshFinancialAccountInput!) {
  refreshFinancialAccount(input: $input) {
    financialAccount {
      id
      transactionRefresh {
        id
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshTransactionsMutation, RefreshTransactionsMutationVariables>;
export const PaymentsSetupCreateCustomerDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation PaymentsSetupCreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer {
      id
      model
    }
  }
}
    `) as unknown as TypedDocumentString<PaymentsSetupCreateCustomerMutation, PaymentsSetupCreateCustomerMutationVariables>;
export const PaymentsSetupCreateSessionDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation PaymentsSetupCreateSession($input: CreateFinancialConnectionsSessionInput!) {
  createFinancialConnectionsSession(input: $input) {
    session {
      id
    }
    clientSecret
  }
}
    `) as unknown as TypedDocumentString<PaymentsSetupCreateSessionMutation, PaymentsSetupCreateSessionMutationVariables>;
export const PaymentsSetupSessionAccountsDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const CreatePaymentIntentDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<CreatePaymentIntentMutation, CreatePaymentIntentMutationVariables>;
export const ConfirmPaymentIntentDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<ConfirmPaymentIntentMutation, ConfirmPaymentIntentMutationVariables>;
export const CancelPaymentIntentDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<CancelPaymentIntentMutation, CancelPaymentIntentMutationVariables>;
export const PaymentIntentDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<PaymentIntentQuery, PaymentIntentQueryVariables>;
export const PaymentIntentStatusDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const CustomerPaymentIntentsDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const CreateSetupIntentDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  lastSetupError {
    code
    declineCode
    message
  }
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<CreateSetupIntentMutation, CreateSetupIntentMutationVariables>;
export const SetupIntentDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  lastSetupError {
    code
    declineCode
    message
  }
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<SetupIntentQuery, SetupIntentQueryVariables>;
export const PaymentNodeDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const PaymentIntentUpdatedDocument = /*#__PURE__*/ new TypedDocumentString(`
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<PaymentIntentUpdatedSubscription, PaymentIntentUpdatedSubscriptionVariables>;
export const CustomerPaymentMethodsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query CustomerPaymentMethods($customerId: ID!, $first: Int, $after: String) {
  customer(id: $customerId) {
    id
    paymentMethods(first: $first, after: $after) {
      nodes {
        ...PaymentMethodFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}`) as unknown as TypedDocumentString<CustomerPaymentMethodsQuery, CustomerPaymentMethodsQueryVariables>;
export const PaymentMethodDocument = /*#__PURE__*/ new TypedDocumentString(`
    query PaymentMethod($id: ID!) {
  paymentMethod(id: $id) {
    ...PaymentMethodFields
    financialAccount {
      id
      last4
    }
    customer {
      id
    }
    mandate {
      ...MandateFields
    }
  }
}
    fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<PaymentMethodQuery, PaymentMethodQueryVariables>;
export const SavedAccountsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query SavedAccounts($customerId: ID!) {
  customer(id: $customerId) {
    id
    paymentMethods(first: 10) {
      nodes {
        ...PaymentMethodFields
        mandate {
          ...MandateFields
        }
      }
    }
  }
}
    fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<SavedAccountsQuery, SavedAccountsQueryVariables>;
export const MandateDocument = /*#__PURE__*/ new TypedDocumentString(`
    query Mandate($id: ID!) {
  mandate(id: $id) {
    ...MandateFields
    paymentMethod {
      id
      last4
    }
  }
}
    fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<MandateQuery, MandateQueryVariables>;
export const DetachPaymentMethodDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DetachPaymentMethod($input: DetachPaymentMethodInput!) {
  detachPaymentMethod(input: $input) {
    paymentMethod {
      ...PaymentMethodFields
    }
  }
}
    fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}`) as unknown as TypedDocumentString<DetachPaymentMethodMutation, DetachPaymentMethodMutationVariables>;
export const VerifyMicrodepositsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation VerifyMicrodeposits($input: VerifyMicrodepositsInput!) {
  verifyMicrodeposits(input: $input) {
    paymentIntent {
      ...PaymentIntentFields
    }
    setupIntent {
      ...SetupIntentFields
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
  amountReceived {
    amount
    currency
  }
  cancellationReason
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
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
  lastSetupError {
    code
    declineCode
    message
  }
  nextAction {
    ...NextActionFields
  }
  paymentMethod {
    ...PaymentMethodFields
  }
  mandate {
    ...MandateFields
  }
}
fragment NextActionFields on NextAction {
  type
  arrivalDate
  microdepositType
  hostedVerificationUrl
}
fragment PaymentMethodFields on PaymentMethod {
  id
  bankName
  last4
  accountType
  accountHolderType
  status
  blockedReason
  blockedNetworkCode
  attached
  created
  livemode
}
fragment MandateFields on Mandate {
  id
  status
  type
  acceptedAt
  acceptanceType
  livemode
}`) as unknown as TypedDocumentString<VerifyMicrodepositsMutation, VerifyMicrodepositsMutationVariables>;
export const CreateSessionDocument = /*#__PURE__*/ new TypedDocumentString(`
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
export const GetSessionDocument = /*#__PURE__*/ new TypedDocumentString(`
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