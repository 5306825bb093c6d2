// The fixed operation suite of the Stripe-requests benchmark: its queries, its data set-up, and each operation's minimum.

/** A GraphQL request as sent to the gateway and to the naive baseline (same text for both). */
export interface SuiteRequest {
  query: string;
  variables: Record<string, unknown>;
}

export const Q_SINGLE = `query SingleAccount($id: ID!) {
  financialAccount(id: $id) { id displayName institutionName last4 category status
    balance { asOf current { amount currency } } }
}`;

export const Q_DASHBOARD = `query Dashboard($id: ID!) {
  customer(id: $id) { id email
    financialAccounts(first: 10) { nodes { id displayName last4 status
      balance { current { amount currency } }
      ownership { id owners(first: 10) { nodes { name email } } }
      transactions(first: 10) { nodes { id description status amount { amount currency } } } } } }
}`;

export const Q_SESSION = `query Session($id: ID!) {
  financialConnectionsSession(id: $id) { id permissions
    accountHolder { type customer { id email } }
    accounts(first: 10) { nodes { id institutionName status last4 } } }
}`;

export const Q_TRANSACTIONS = `query TransactionsPage($id: ID!, $after: String) {
  financialAccount(id: $id) { id
    transactions(first: 25, after: $after) {
      nodes { id description status transactedAt amount { amount currency } }
      pageInfo { hasNextPage endCursor } } }
}`;

export const Q_SAME_ACCOUNT_THRICE = `query SameAccountThrice($id: ID!) {
  a: financialAccount(id: $id) { id last4 }
  b: financialAccount(id: $id) { id status balance { current { amount } } }
  c: financialAccount(id: $id) { id accountHolder { customer { id email } } }
}`;

export const Q_CREATE_CUSTOMER = `mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id } }
}`;

export const Q_CREATE_SESSION = `mutation CreateSession($input: CreateFinancialConnectionsSessionInput!) {
  createFinancialConnectionsSession(input: $input) { session { id } }
}`;

/** The five accounts of the dashboard customer (sandbox test institution keys). */
export const FIVE_ACCOUNTS = ['checking', 'savings', 'credit_card', 'insufficient_funds', 'processing'];

/**
 * Minimum Stripe requests for each operation, derived from what the answer needs, with every
 * object fetched once and the tenancy proof (the customer's partner metadata) fetched once:
 * - single account: the account, its customer → 2.
 * - dashboard (N accounts, K of them with an ownership): the customer, the account list, one
 *   transaction list per account, one owners list per ownership → 2 + N + K. (Balances and the
 *   ownership id come inside the account objects of the list.)
 * - session with linked accounts: the session (its accounts are embedded), its customer → 2.
 * - 100 transactions in 4 pages of 25: four list calls, the account and its customer once → 6.
 * - the same account three times: the account, its customer → 2.
 */
export function minimumRequests(op: string, facts: { accounts: number; ownerships: number }): number {
  switch (op) {
    case 'single account':
      return 2;
    case 'customer dashboard (5 accounts)':
      return 2 + facts.accounts + facts.ownerships;
    case 'session with linked accounts':
      return 2;
    case '100 transactions, 4 pages':
      return 6;
    case 'same account three times':
      return 2;
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

/** Posts one GraphQL request; throws on transport failure, returns the parsed body. */
export async function post(
  url: string,
  token: string,
  request: SuiteRequest,
): Promise<{ data?: Record<string, unknown> | null; errors?: { message: string }[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(request),
  });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
}

/** Like {@link post} but fails on GraphQL errors. */
export async function mustPost(url: string, token: string, request: SuiteRequest) {
  const body = await post(url, token, request);
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
