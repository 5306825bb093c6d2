// The result shapes of docs/clients.md's operations (its `operations` snippet), as the client tests read them.

export interface Money {
  amount: number;
  currency: string;
}

/** `Dashboard`: the customer's accounts with their balances. */
export interface DashboardData {
  viewer: {
    customer: {
      id: string;
      financialAccounts: {
        edges: { node: { id: string; balance: { asOf: string; current: Money[] } | null } }[];
      };
    };
  };
}

/** `Transactions`: one page of an account's transactions. */
export interface TransactionsData {
  financialAccount: {
    transactions: {
      edges: { cursor: string; node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
}
