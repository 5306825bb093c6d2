// Helpers for the gateway's Financial Connections integration tests: GraphQL set-up steps and the sandbox's complete helper.
import {
  CreateCustomerDocument,
  CreateCustomerTokenDocument,
  CreateSessionDocument,
  type CustomerModel,
  type FinancialConnectionsFeature,
  type FinancialConnectionsPermission,
} from '../generated/graphql';
import type { StartedGateway } from '../helpers/gateway';
import { gql, type GqlResponse } from '../helpers/gql';
import type { StartedSandbox } from '../helpers/sandbox';

export const ALL_PERMISSIONS: FinancialConnectionsPermission[] = [
  'BALANCES',
  'OWNERSHIP',
  'PAYMENT_METHOD',
  'TRANSACTIONS',
];
export const ALL_FEATURES: FinancialConnectionsFeature[] = ['BALANCE', 'OWNERSHIP', 'TRANSACTIONS'];

/** Fails with the GraphQL errors when a step that must succeed did not. */
export function ok<T>(r: GqlResponse<T>): T {
  if (r.errors?.length || !r.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)} (HTTP ${r.status})`);
  }
  return r.data;
}

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

/** The sandbox-only helper `POST /v1/test_helpers/financial_connections/sessions/{id}/complete`, over HTTP. */
export async function completeSession(
  sandbox: StartedSandbox,
  sessionId: string,
  options: { institution?: string; accounts?: string[] } = {},
): Promise<{ id: string; accounts: { data: { id: string }[] } }> {
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

/** A customer with linked accounts: created through the gateway, linked through the sandbox helper. */
export async function linkedCustomer(
  gw: StartedGateway,
  sandbox: StartedSandbox,
  token: string,
  model: CustomerModel,
  options: {
    permissions?: FinancialConnectionsPermission[];
    prefetch?: FinancialConnectionsFeature[];
    institution?: string;
    accounts?: string[];
  } = {},
) {
  const customer = await createCustomer(gw, token, model);
  const { session } = await createSession(gw, token, customer.id, options.permissions, options.prefetch);
  const completed = await completeSession(sandbox, session.id, options);
  return { customer, sessionId: session.id, accountIds: completed.accounts.data.map((a) => a.id) };
}

export async function customerToken(gw: StartedGateway, partnerToken: string, customerId: string) {
  return ok(
    await gql(gw.graphqlUrl, CreateCustomerTokenDocument, { input: { customerId } }, { token: partnerToken }),
  ).createCustomerToken.token;
}

/**
 * Re-runs `read` until `done` accepts its result (the sandbox finishes refreshes asynchronously and the
 * gateway learns of it through its refresh poller or a webhook). Bounded by `timeoutMs`.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not reached in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
