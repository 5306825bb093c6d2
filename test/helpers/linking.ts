// Customers with linked accounts, set up the way a partner does it: customer and session through the gateway's
// GraphQL, the end user's linking through the sandbox's complete helper over HTTP.
import type Stripe from 'stripe';
import {
  CreateCustomerDocument,
  CreateCustomerTokenDocument,
  CreateSessionDocument,
  type CustomerModel,
  type FinancialConnectionsFeature,
  type FinancialConnectionsPermission,
} from '../generated/graphql';
import type { StartedGateway } from './gateway';
import { gql, ok } from './gql';
import type { StartedSandbox } from './sandbox';

export const ALL_PERMISSIONS: FinancialConnectionsPermission[] = [
  'BALANCES',
  'OWNERSHIP',
  'PAYMENT_METHOD',
  'TRANSACTIONS',
];
export const ALL_FEATURES: FinancialConnectionsFeature[] = ['BALANCE', 'OWNERSHIP', 'TRANSACTIONS'];

let unique = 0;
export const uniqueEmail = (tag: string) => `${tag}.${process.pid}.${Date.now()}.${unique++}@example.com`;

export async function createCustomer(
  gw: StartedGateway,
  token: string,
  model: CustomerModel,
  email = uniqueEmail(model.toLowerCase()),
) {
  const data = ok(
    await gql(
      gw.graphqlUrl,
      CreateCustomerDocument,
      { input: { model, email, name: `Test ${model}` } },
      { token },
    ),
  );
  return data.createCustomer.customer;
}

export async function createSession(
  gw: StartedGateway,
  token: string,
  customerId: string,
  permissions: FinancialConnectionsPermission[] = ALL_PERMISSIONS,
  prefetch: FinancialConnectionsFeature[] = [],
) {
  const data = ok(
    await gql(
      gw.graphqlUrl,
      CreateSessionDocument,
      { input: { customerId, permissions, prefetch } },
      { token },
    ),
  );
  return data.createFinancialConnectionsSession;
}

export interface CompleteOptions {
  /** Institution id or name. @default the sandbox's "Test (Non-OAuth)": checking, savings, credit_card */
  institution?: string;
  /** Account template keys (src/sandbox/institutions.ts), e.g. `checking`, `insufficient_funds`. */
  accounts?: string[];
}

/** The sandbox-only helper `POST /v1/test_helpers/financial_connections/sessions/{id}/complete`, over HTTP. */
export async function completeSession(
  sandbox: StartedSandbox,
  sessionId: string,
  options: CompleteOptions = {},
): Promise<{ id: string; accounts: { data: Stripe.FinancialConnections.Account[] } }> {
  const body = new URLSearchParams();
  if (options.institution) body.set('institution', options.institution);
  for (const a of options.accounts ?? []) body.append('accounts[]', a);
  const res = await fetch(
    `${sandbox.url}/v1/test_helpers/financial_connections/sessions/${sessionId}/complete`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
    },
  );
  const json = await res.json();
  if (res.status !== 200) throw new Error(`complete failed: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface LinkedCustomer {
  customer: Awaited<ReturnType<typeof createCustomer>>;
  customerId: string;
  sessionId: string;
  /** Every linked account, in the order the session lists them. */
  accountIds: string[];
  /** Linked account ids by display name (`Checking`, `Insufficient Funds`…). */
  accounts: Record<string, string>;
  /** The first linked account that can pay by ACH (active, cash, us_bank_account); throws when none was linked. */
  readonly accountId: string;
}

/** A customer of `token`'s partner with accounts linked through a completed session (all permissions by default). */
export async function linkedCustomer(
  gw: StartedGateway,
  sandbox: StartedSandbox,
  token: string,
  model: CustomerModel = 'CUSTOMER',
  options: CompleteOptions & {
    permissions?: FinancialConnectionsPermission[];
    prefetch?: FinancialConnectionsFeature[];
  } = {},
): Promise<LinkedCustomer> {
  const customer = await createCustomer(gw, token, model);
  const { session } = await createSession(gw, token, customer.id, options.permissions, options.prefetch);
  const linked = (await completeSession(sandbox, session.id, options)).accounts.data;
  const payable = linked.find(
    (a) =>
      a.status === 'active' &&
      a.category === 'cash' &&
      a.supported_payment_method_types.includes('us_bank_account'),
  );
  return {
    customer,
    customerId: customer.id,
    sessionId: session.id,
    accountIds: linked.map((a) => a.id),
    accounts: Object.fromEntries(linked.map((a) => [a.display_name ?? a.id, a.id])),
    get accountId() {
      if (!payable) throw new Error(`no account that can pay among ${linked.map((a) => a.id).join(', ')}`);
      return payable.id;
    },
  };
}

/** A customer token for `customerId`, minted by its partner. */
export async function customerToken(gw: StartedGateway, partnerToken: string, customerId: string) {
  return ok(
    await gql(gw.graphqlUrl, CreateCustomerTokenDocument, { input: { customerId } }, { token: partnerToken }),
  ).createCustomerToken.token;
}
