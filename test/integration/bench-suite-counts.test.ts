// The bench suite's operations (bench/suite.ts), counted here as in `npm run bench`: the gateway's Stripe requests
// equal the expand-aware minimum derived from the spec, on every operation, and are never more than those of the
// generated gateway (bench/generated-gateway.ts: GraphQL Mesh over Stripe's OpenAPI, with the best documents).
import {
  generatedOperations,
  startGeneratedGateway,
  type GeneratedGateway,
} from '../../bench/generated-gateway';
import {
  FIVE_ACCOUNTS,
  Q_DASHBOARD,
  Q_SAME_ACCOUNT_THRICE,
  Q_SESSION,
  Q_SINGLE,
  Q_TRANSACTIONS,
  minimumRequests,
  minimumWithoutExpand,
} from '../../bench/suite';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { ALL_FEATURES, ALL_PERMISSIONS, linkedCustomer } from '../helpers/linking';

describe('bench suite: Stripe requests per operation', () => {
  let sandbox: StartedSandbox;
  let setup: StartedGateway;
  const token = PARTNER_A.apiKey;
  const gateways: StartedGateway[] = [];
  let linked: Awaited<ReturnType<typeof linkedCustomer>>;
  let peer: GeneratedGateway;
  const facts = { accounts: FIVE_ACCOUNTS.length, ownerships: FIVE_ACCOUNTS.length };
  const quietEnv = () => ({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: 'whsec_benchsuite' });

  beforeAll(async () => {
    sandbox = await startSandbox({ transactionsPerAccount: 120 });
    setup = await startGateway(quietEnv());
    linked = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
      accounts: FIVE_ACCOUNTS,
    });
    peer = await startGeneratedGateway({ apiBase: sandbox.url, secretKey: sandbox.secretKey });
  });
  afterAll(async () => {
    await peer?.close();
    for (const gw of gateways) await gw.close();
    await setup?.close();
    await sandbox?.close();
  });

  /** Runs `operation` on a gateway that has read nothing yet; returns the Stripe requests it cost. */
  async function coldCount(operation: (gw: StartedGateway) => Promise<void>): Promise<number> {
    const gw = await startGateway(quietEnv());
    gateways.push(gw);
    const before = gw.stripeRequests();
    await operation(gw);
    return gw.stripeRequests() - before;
  }
  const once = (query: string, variables: () => Record<string, unknown>) => async (gw: StartedGateway) => {
    ok(await gql(gw.graphqlUrl, query, variables(), { token }));
  };

  it('should derive the minimum from the spec: 1, 6, 1, 2, 1 (2, 12, 2, 3, 2 without expand)', () => {
    const ops = [
      'single account',
      'customer dashboard (5 accounts)',
      'session with linked accounts',
      '100 transactions, 4 pages',
      'same account three times',
    ];
    expect(ops.map((op) => minimumRequests(op, facts))).toEqual([1, 6, 1, 2, 1]);
    expect(ops.map((op) => minimumWithoutExpand(op, facts))).toEqual([2, 12, 2, 3, 2]);
  });

  /** Runs the generated gateway's documents for `op`; returns its Stripe requests and client round trips. */
  async function peerCount(op: string): Promise<{ requests: number; roundTrips: number }> {
    const run = new Map(
      generatedOperations({
        customer: linked.customerId,
        session: linked.sessionId,
        accounts: linked.accountIds,
      }),
    ).get(op)!;
    const [requests, roundTrips] = [peer.stripeRequests(), peer.roundTrips()];
    await run(peer.url);
    return { requests: peer.stripeRequests() - requests, roundTrips: peer.roundTrips() - roundTrips };
  }

  /** Each operation as the bench runs it, against one gateway. */
  const operations = new Map<string, (gw: StartedGateway) => Promise<void>>([
    ['single account', once(Q_SINGLE, () => ({ id: linked.accountIds[0] }))],
    ['customer dashboard (5 accounts)', once(Q_DASHBOARD, () => ({ id: linked.customer.id }))],
    ['session with linked accounts', once(Q_SESSION, () => ({ id: linked.sessionId }))],
    [
      '100 transactions, 4 pages',
      async (gw) => {
        let after: string | null = null;
        for (let i = 0; i < 4; i++) {
          const data: Record<string, unknown> = ok(
            await gql(gw.graphqlUrl, Q_TRANSACTIONS, { id: linked.accountIds[0], after }, { token }),
          );
          const page: { nodes: unknown[]; pageInfo: { endCursor: string } } = (
            data.financialAccount as { transactions: { nodes: unknown[]; pageInfo: { endCursor: string } } }
          ).transactions;
          expect(page.nodes).toHaveLength(25);
          after = page.pageInfo.endCursor;
        }
      },
    ],
    ['same account three times', once(Q_SAME_ACCOUNT_THRICE, () => ({ id: linked.accountIds[0] }))],
  ]);

  it.each<[string, number, number, number]>([
    // operation, the gateway's requests on a cold gateway (= the minimum), the generated gateway's requests and
    // round trips (the gateway answers each in one round trip, the 4 pages in 4)
    ['single account', 1, 1, 1],
    // A tie at the minimum: the generated gateway reads the customer from the accounts' embedded holder too,
    // and no gateway lists several accounts' transactions in one call. It needs a second round trip.
    ['customer dashboard (5 accounts)', 6, 6, 2],
    ['session with linked accounts', 1, 1, 1],
    ['100 transactions, 4 pages', 2, 4, 4],
    ['same account three times', 1, 3, 1],
  ])(
    '%s: the gateway should send exactly the minimum (%i), no more than the generated gateway (%i, in %i round trips)',
    async (op, minimum, generated, roundTrips) => {
      expect(linked.accountIds).toHaveLength(FIVE_ACCOUNTS.length);
      expect(minimumRequests(op, facts)).toBe(minimum);
      // Both gateways measured on this run: ours cold, the generated one with its best documents.
      const ours = await coldCount(operations.get(op)!);
      const theirs = await peerCount(op);
      expect(ours).toBe(minimum);
      expect(theirs).toEqual({ requests: generated, roundTrips });
      expect(ours).toBeLessThanOrEqual(theirs.requests);
    },
  );
});
