// The response cache's check of kept answers against the read cache (src/transport/graphql/response-cache.ts), with a
// read store on an injected clock: refreshes ahead of expiry make kept answers stale, and are started by them; and
// which documents it may keep at all (purity declared beside the resolvers).
import { parse, type GraphQLSchema } from 'graphql';
import { buildGatewaySchema } from '../../src/schema';
import {
  createResponseCache,
  onlyPureFields,
  RecordedReads,
} from '../../src/transport/graphql/response-cache';
import {
  createStripeReadStore,
  REFRESH_AHEAD_FRACTION,
  type StripeReads,
} from '../../src/services/stripe/stripe-reads';

/** Resolves after every promise reaction already queued has run. */
const drained = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('response cache over a read cache that refreshes ahead of expiry', () => {
  // `fcas` lives 10 s: its last 20% starts 8 s after it was stored.
  const WINDOW_OPENS = 10_000 * (1 - REFRESH_AHEAD_FRACTION);
  const KEY = 'fcas:{"holder":"cus_1"}';
  let clock: number;
  let a: StripeReads;
  let responses: ReturnType<typeof createResponseCache>;
  let calls: { resolve: (v: unknown) => void }[];
  const fetch = () => new Promise<unknown>((resolve) => calls.push({ resolve }));

  beforeEach(async () => {
    clock = 1_000_000;
    calls = [];
    const store = createStripeReadStore({ now: () => clock });
    a = store.forTenant('partner_a');
    responses = createResponseCache(store);
    await a.get(KEY, async () => ({ v: 1 }));
    await drained();
  });

  /** Keeps `body` as an answer built from KEY's current value, read by a get (`times` 1) or a peek (0). */
  async function keep(body: string, times: number) {
    const recorded = new RecordedReads();
    recorded.reads.set(`partner_a\u0000${KEY}`, { reads: a, key: KEY, value: await a.peek(KEY), times });
    responses.store('answer', body, recorded);
  }

  /** The kept answer's text, or undefined. */
  const kept = async () => (await responses.lookup('answer'))?.toString('utf8');

  it('should execute again once a read is due, serve the kept answer while its refresh runs, and drop it after', async () => {
    await keep('old answer', 1);
    expect(await kept()).toBe('old answer');
    clock += WINDOW_OPENS + 1;
    // Due, and no get has started its refresh: not served, so the execution's get starts it.
    expect(await responses.lookup('answer')).toBeUndefined();
    expect(await a.get(KEY, fetch)).toEqual({ v: 1 });
    expect(calls).toHaveLength(1);
    // Still current while the refresh runs.
    expect(await kept()).toBe('old answer');
    calls[0].resolve({ v: 2 });
    await drained();
    // The refreshed entry is a new object: the answer built on the old one is stale.
    expect(await responses.lookup('answer')).toBeUndefined();
    expect(await a.peek(KEY)).toEqual({ v: 2 });
    expect(calls).toHaveLength(1);
  });

  it('should keep serving an answer whose due read was only peeked (no get could refresh it)', async () => {
    await keep('peeked answer', 0);
    clock += WINDOW_OPENS + 1;
    expect(await kept()).toBe('peeked answer');
    expect(calls).toHaveLength(0);
  });
});

describe('onlyPureFields (declared purity)', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });
  const pure = (source: string) => onlyPureFields(schema, parse(source));
  it.each([
    [
      'the dashboard',
      `query($id: ID!) { customer(id: $id) { id financialAccounts(first: 20) { nodes { id balance { current { amount } }
        ownership { owners(first: 5) { nodes { name } } } transactions(first: 10) { nodes { id } } } } } }`,
    ],
    [
      'an account with its refreshes',
      '{ financialAccount(id: "fca_1") { id balanceRefresh { status } accountHolder { customer { email } } } }',
    ],
    [
      'a session with its accounts',
      '{ financialConnectionsSession(id: "s") { id accounts { nodes { id } } } }',
    ],
    ['the viewer', '{ viewer { kind customer { id } } }'],
  ])('should keep %s', (_name, source) => expect(pure(source)).toBe(true));
  it.each([
    ['node(id:) (it resolves webhook endpoints too)', '{ node(id: "fca_1") { id } }'],
    [
      'transactionUpdates (cursor state)',
      '{ financialAccount(id: "fca_1") { transactionUpdates { nextCursor } } }',
    ],
    ['payment intents', '{ customer(id: "cus_1") { paymentIntents { nodes { id } } } }'],
    ['webhook endpoints', '{ webhookEndpoints { nodes { id } } }'],
    ['a mutation', 'mutation { createCustomer(input: { email: "a@b.c" }) { customer { id } } }'],
  ])('should not keep %s', (_name, source) => expect(pure(source)).toBe(false));
});
