// The GraphQL operations the demo sends: all of them from the public contract (schema-contract.graphql).
export const ACCOUNT_FIELDS = /* GraphQL */ `
  fragment DemoAccount on FinancialAccount {
    id
    displayName
    institutionName
    last4
    category
    subcategory
    status
    permissions
    supportedPaymentMethodTypes
    balance {
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
    balanceRefresh {
      status
      lastAttemptedAt
      nextRefreshAvailableAt
    }
    ownership {
      id
      owners(first: 5) {
        nodes {
          id
          name
          email
          phone
          rawAddress
        }
      }
    }
    transactions(first: 8) {
      nodes {
        id
        description
        status
        transactedAt
        amount {
          amount
          currency
        }
      }
    }
  }
`;

export const CREATE_SESSION = /* GraphQL */ `
  mutation DemoCreateSession($input: CreateFinancialConnectionsSessionInput!) {
    createFinancialConnectionsSession(input: $input) {
      clientSecret
      session {
        id
      }
    }
  }
`;

export const CUSTOMER_ACCOUNTS = /* GraphQL */ `
  query DemoCustomerAccounts($customerId: ID!) {
    customer(id: $customerId) {
      id
      email
      financialAccounts(first: 20) {
        nodes {
          ...DemoAccount
        }
      }
    }
  }
  ${ACCOUNT_FIELDS}
`;

export const REFRESH_ACCOUNT = /* GraphQL */ `
  mutation DemoRefresh($input: RefreshFinancialAccountInput!) {
    refreshFinancialAccount(input: $input) {
      financialAccount {
        id
        balanceRefresh {
          status
          lastAttemptedAt
          nextRefreshAvailableAt
        }
      }
    }
  }
`;

export const ACCOUNT_REFRESHED = /* GraphQL */ `
  subscription DemoAccountRefreshed($customerId: ID!) {
    financialAccountRefreshed(customerId: $customerId) {
      feature
      status
      occurredAt
      financialAccount {
        ...DemoAccount
      }
    }
  }
  ${ACCOUNT_FIELDS}
`;

const PAYMENT_FIELDS = /* GraphQL */ `
  fragment DemoPayment on PaymentIntent {
    id
    status
    description
    created
    amount {
      amount
      currency
    }
    lastPaymentError {
      code
      message
    }
  }
`;

export const CREATE_PAYMENT = /* GraphQL */ `
  mutation DemoCreatePayment($input: CreatePaymentIntentInput!) {
    createPaymentIntent(input: $input) {
      paymentIntent {
        ...DemoPayment
      }
    }
  }
  ${PAYMENT_FIELDS}
`;

export const CONFIRM_PAYMENT = /* GraphQL */ `
  mutation DemoConfirmPayment($input: ConfirmPaymentIntentInput!) {
    confirmPaymentIntent(input: $input) {
      paymentIntent {
        ...DemoPayment
      }
    }
  }
  ${PAYMENT_FIELDS}
`;

export const PAYMENT_UPDATED = /* GraphQL */ `
  subscription DemoPaymentUpdated($customerId: ID!) {
    paymentIntentUpdated(customerId: $customerId) {
      ...DemoPayment
    }
  }
  ${PAYMENT_FIELDS}
`;

export interface MoneyT {
  amount: number;
  currency: string;
}

export interface RefreshT {
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  lastAttemptedAt: string;
  nextRefreshAvailableAt: string | null;
}

export interface AccountT {
  id: string;
  displayName: string | null;
  institutionName: string;
  last4: string | null;
  category: string;
  subcategory: string;
  status: string;
  permissions: string[];
  supportedPaymentMethodTypes: string[];
  balance: {
    asOf: string;
    type: string;
    current: MoneyT[];
    cashAvailable: MoneyT[] | null;
    creditUsed: MoneyT[] | null;
  } | null;
  balanceRefresh: RefreshT | null;
  ownership: {
    id: string;
    owners: {
      nodes: {
        id: string;
        name: string;
        email: string | null;
        phone: string | null;
        rawAddress: string | null;
      }[];
    };
  } | null;
  transactions: {
    nodes: { id: string; description: string; status: string; transactedAt: string; amount: MoneyT }[];
  } | null;
}

export interface PaymentT {
  id: string;
  status: string;
  description: string | null;
  created: string;
  amount: MoneyT;
  lastPaymentError: { code: string | null; message: string | null } | null;
}

export interface RefreshEventT {
  feature: 'BALANCE' | 'OWNERSHIP' | 'TRANSACTIONS';
  status: RefreshT['status'];
  occurredAt: string;
  financialAccount: AccountT;
}
