// The fixed operation suite of the Stripe-requests benchmark: its queries, its data set-up, and each operation's minimum.
import { isExpandablePath } from '../src/sandbox/expand';

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

/** "100 transactions in 4 pages": the client pages {@link TRANSACTION_PAGES} times through pages of 25. */
export const TRANSACTION_PAGES = 4;
export const TRANSACTION_PAGE_SIZE = 25;
/** Stripe's largest list page (the spec's `limit` parameter: "Limit can range between 1 and 100"). */
export const STRIPE_LIST_LIMIT = 100;

export const Q_TRANSACTIONS = `query TransactionsPage($id: ID!, $after: String) {
  financialAccount(id: $id) { id
    transactions(first: ${TRANSACTION_PAGE_SIZE}, after: $after) {
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
 * One Stripe object or list an operation's answer needs. `embed`: the request it can ride in instead
 * (an `expand[]` path on an object of `schema`), if the spec allows that path; otherwise it costs its own request.
 */
interface Need {
  what: string;
  /** `included`: Stripe embeds it without being asked (a session's accounts). */
  embed?: { schema: string; path: string; included?: boolean };
}

const ACCOUNT = 'financial_connections.account';
const SESSION = 'financial_connections.session';
/** The tenancy proof: the holder customer's metadata, embeddable in whatever names the holder. */
const holderCustomer = (schema: string): Need => ({
  what: 'holder customer (tenancy proof)',
  embed: { schema, path: 'account_holder.customer' },
});

/**
 * What each operation's answer needs, object by object (every object needed once, the customer that proves
 * tenancy included):
 * - single account: the account; its customer.
 * - dashboard (N accounts, K of them with an ownership): the account list; the customer (from an account of
 *   the list); the owners of each ownership (in the ownership, in the account); one transaction list per
 *   account (Stripe has no multi-account transactions call, and no account field holds transactions).
 *   Balances and ownership ids come inside the account objects of the list.
 * - session with linked accounts: the session; its customer; its accounts (a list inside the session).
 * - 100 transactions in 4 pages of 25: the account and its customer (once: later pages hit the cache),
 *   and the 100 transactions, which one Stripe list call returns (a list call returns up to
 *   {@link STRIPE_LIST_LIMIT} objects, and no page of a client needs to be asked of Stripe at its own size).
 * - the same account three times: the account; its customer.
 */
export function operationNeeds(op: string, facts: { accounts: number; ownerships: number }): Need[] {
  const times = (n: number, need: Need) => Array.from({ length: n }, () => need);
  switch (op) {
    case 'single account':
    case 'same account three times':
      return [{ what: 'account' }, holderCustomer(ACCOUNT)];
    case 'customer dashboard (5 accounts)':
      return [
        { what: 'account list' },
        // With no account listed there is no account to carry the customer: it costs its own GET.
        facts.accounts > 0 ? holderCustomer(ACCOUNT) : { what: 'customer' },
        ...times(facts.ownerships, { what: 'owners', embed: { schema: ACCOUNT, path: 'ownership.owners' } }),
        ...times(facts.accounts, { what: 'transaction list' }),
      ];
    case 'session with linked accounts':
      return [
        { what: 'session' },
        holderCustomer(SESSION),
        { what: 'accounts', embed: { schema: SESSION, path: 'accounts', included: true } },
      ];
    case '100 transactions, 4 pages':
      return [
        { what: 'account' },
        holderCustomer(ACCOUNT),
        ...times(Math.ceil((TRANSACTION_PAGES * TRANSACTION_PAGE_SIZE) / STRIPE_LIST_LIMIT), {
          what: 'transaction list',
        }),
      ];
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

/**
 * Minimum Stripe requests for an operation: its needs that cannot ride in another request. Whether one can
 * is decided by the spec (src/sandbox/expandable-fields.ts, generated from x-expandableFields, and Stripe's
 * four-level limit), not entered by hand.
 */
export function minimumRequests(op: string, facts: { accounts: number; ownerships: number }): number {
  return operationNeeds(op, facts).filter((n) => !n.embed || !isExpandablePath(n.embed.schema, n.embed.path))
    .length;
}

/** The minimum when nothing is embedded (every object its own request): the figure before `expand[]` was planned. */
export function minimumWithoutExpand(op: string, facts: { accounts: number; ownerships: number }): number {
  return operationNeeds(op, facts).filter((n) => !n.embed?.included).length;
}

/** The Stripe ids an answer shows (plus `known`, the ids the client passed in), to compare two servers' answers. */
export function idsShown(answer: unknown, known: string[] = []): Set<string> {
  const out = new Set(known);
  const walk = (v: unknown) => {
    if (typeof v === 'string' && /^(fca|fcaowns|fctxn|fcsess|cus)_[A-Za-z0-9]+$/.test(v)) out.add(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(answer);
  return out;
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
