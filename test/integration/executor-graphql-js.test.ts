// GRAPHQL_EXECUTOR=graphql-js (Apollo's own execution) answers exactly like the default graphql-jit executor
// (src/transport/graphql/executor.ts): one sandbox, one gateway per executor, the same operations sent to both.
import {
  CreateCustomerDocument,
  CustomerDashboardDocument,
  GetAccountOwnersDocument,
} from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok, type GqlResponse } from '../helpers/gql';
import { ALL_FEATURES, linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { compileQuery } from 'graphql-jit';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

// Counts graphql-jit compilations (a pass-through: every call runs the real compiler), to show which
// gateway executes through graphql-jit at all.
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof import('graphql-jit')>('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});
const compilations = compileQuery as jest.MockedFunction<typeof compileQuery>;

/** A response as the client sees it, with each error's per-request id replaced (the only part that differs). */
const comparable = (r: GqlResponse<unknown>) => ({
  status: r.status,
  data: r.data,
  errors: r.errors?.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: '<requestId>' } })),
});

describe('the graphql-js executor (GRAPHQL_EXECUTOR=graphql-js)', () => {
  let sandbox: StartedSandbox;
  let jit: StartedGateway;
  let graphqlJs: StartedGateway;
  /** All permissions; balance, ownership and transactions prefetched (done at link time in the sandbox). */
  let full: LinkedCustomer;
  /** Linked without the OWNERSHIP permission: reading owners is a field error inside an answer. */
  let noOwnership: LinkedCustomer;

  beforeAll(async () => {
    sandbox = await startSandbox({ transactionsPerAccount: 5 });
    const env = { STRIPE_API_BASE: sandbox.url, STRIPE_SECRET_KEY: sandbox.secretKey };
    jit = await startGateway(env);
    graphqlJs = await startGateway({ ...env, GRAPHQL_EXECUTOR: 'graphql-js' });
    // Set up through the graphql-js gateway: the jit one compiles each operation first in the test using it.
    full = await linkedCustomer(graphqlJs, sandbox, PARTNER_A.apiKey, 'CUSTOMER', { prefetch: ALL_FEATURES });
    noOwnership = await linkedCustomer(graphqlJs, sandbox, PARTNER_A.apiKey, 'CUSTOMER', {
      permissions: ['BALANCES', 'PAYMENT_METHOD', 'TRANSACTIONS'],
    });
  });
  afterAll(async () => {
    await jit?.close();
    await graphqlJs?.close();
    await sandbox?.close();
  });

  /** Sends `operation` to the graphql-js gateway, then to the jit one; both answers, and who compiled. */
  async function both<TData, TVars>(operation: string | TypedDocumentNode<TData, TVars>, variables: TVars) {
    compilations.mockClear();
    const js = await gql<TData, TVars>(graphqlJs.graphqlUrl, operation, variables, {
      token: PARTNER_A.apiKey,
    });
    const jsCompiled = compilations.mock.calls.length;
    const jitted = await gql<TData, TVars>(jit.graphqlUrl, operation, variables, { token: PARTNER_A.apiKey });
    return { js, jitted, jsCompiled, jitCompiled: compilations.mock.calls.length - jsCompiled };
  }

  it('should answer a query with nested lists (the dashboard) the same, without compiling it', async () => {
    const { js, jitted, jsCompiled, jitCompiled } = await both(CustomerDashboardDocument, {
      id: full.customerId,
    });
    const accounts = ok(js).customer!.financialAccounts.nodes;
    expect(accounts.map((a) => a.id).sort()).toEqual([...full.accountIds].sort());
    const checking = accounts.find((a) => a.id === full.accountId)!;
    expect(checking.balance).not.toBeNull();
    expect(checking.ownership!.owners.nodes.length).toBeGreaterThan(0);
    expect(checking.transactions.nodes.length).toBeGreaterThan(0);
    expect(comparable(js)).toEqual(comparable(jitted));
    expect({ jsCompiled, jitCompiled }).toEqual({ jsCompiled: 0, jitCompiled: 1 });
  });

  it('should answer a mutation the same (one customer: the second call replays the idempotency key)', async () => {
    const input = {
      model: 'CUSTOMER' as const,
      email: `executor.${process.pid}@example.com`,
      name: 'Executor Comparison',
      idempotencyKey: `executor-${process.pid}-${Date.now()}`,
    };
    const { js, jitted, jsCompiled, jitCompiled } = await both(CreateCustomerDocument, { input });
    expect(ok(js).createCustomer.customer).toMatchObject({ email: input.email, model: 'CUSTOMER' });
    const stored = await sandbox.stripe.customers.list({ email: input.email });
    expect(stored.data.map((c) => c.id)).toEqual([ok(js).createCustomer.customer.id]);
    expect(comparable(js)).toEqual(comparable(jitted));
    expect({ jsCompiled, jitCompiled }).toEqual({ jsCompiled: 0, jitCompiled: 1 });
  });

  it('should answer a field error inside a result the same: PERMISSION_NOT_GRANTED with its path and partial data', async () => {
    const { js, jitted } = await both(GetAccountOwnersDocument, { id: noOwnership.accountId, first: 5 });
    expect(js.status).toBe(200);
    expect(js.data?.financialAccount).toMatchObject({ id: noOwnership.accountId, ownership: null });
    expect(js.errors).toEqual([
      expect.objectContaining({
        path: ['financialAccount', 'ownership'],
        extensions: expect.objectContaining({ code: 'PERMISSION_NOT_GRANTED', permission: 'ownership' }),
      }),
    ]);
    expect(comparable(js)).toEqual(comparable(jitted));
  });

  it('should answer an unknown id (NOT_FOUND) and variables that do not coerce (BAD_USER_INPUT, 400) the same', async () => {
    const read = 'query($id: ID!) { financialAccount(id: $id) { id } }';
    const notFound = await both(read, { id: 'fca_NeverLinked000000000000' });
    expect(notFound.js.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(comparable(notFound.js)).toEqual(comparable(notFound.jitted));

    const badVariables = await both(read, { id: { not: 'an id' } });
    expect(badVariables.js.status).toBe(400);
    expect(badVariables.js.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(comparable(badVariables.js)).toEqual(comparable(badVariables.jitted));
  });
});
