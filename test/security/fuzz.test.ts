// Fuzz (fast-check): thousands of random and mutated operations, variables and bodies over HTTP; the gateway stays
// up and every answer is a well-formed GraphQL result or error (code + request id, no stack, no secret).
import fc from 'fast-check';
import WebSocket from 'ws';
import { SANDBOX_SECRET_KEY } from '../../src/sandbox/server';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { StartedGateway } from '../helpers/gateway';
import {
  PARTNER_A,
  PARTNER_B,
  TEST_TOKEN_SECRET,
  assertNoLeak,
  assertStillServes,
  http,
  startGateway,
  type HttpProbe,
} from './harness';

/** Operations a client might really send: the mutation source for the fuzzer. */
const SEEDS = [
  '{ viewer { kind partnerId customer { id email } } }',
  '{ customers(first: 5) { nodes { id email financialAccounts { nodes { id displayName } } } pageInfo { hasNextPage endCursor } } }',
  'query($id: ID!) { financialAccount(id: $id) { id status balance { current { amount currency } } transactions(first: 3) { nodes { id amount { amount } } } } }',
  'query($id: ID!) { node(id: $id) { __typename id ... on Customer { email } ... on FinancialAccount { last4 } } }',
  'query($id: ID!) { financialConnectionsSession(id: $id) { id permissions accounts(first: 2) { nodes { id } } } }',
  'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id email } } }',
  'mutation($i: CreateCustomerTokenInput!) { createCustomerToken(input: $i) { token expiresAt } }',
  'mutation($i: CreateFinancialConnectionsSessionInput!) { createFinancialConnectionsSession(input: $i) { session { id } clientSecret } }',
  'mutation($i: RefreshFinancialAccountInput!) { refreshFinancialAccount(input: $i) { financialAccount { id } } }',
  'query Q($a: Int, $b: String) { customers(first: $a, after: $b) { edges { cursor node { id } } } }',
  'fragment F on Customer { id email } query { customers { nodes { ...F } } }',
  '{ __typename a: viewer { kind } b: viewer { partnerId } }',
];

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '...',
  '@include(if: true)',
  '@skip(if: $x)',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'viewer',
  'customers',
  'id',
  'first: 100000',
  'first: -1',
  'after: "x"',
  '__schema',
  '__type(name: "Query")',
  '"\\u0000"',
  '"""block"""',
  '#',
  ',',
  'null',
  'true',
  '1e999',
  '0x1',
  'input: {}',
  'id: "fca_1/../x"',
  '\u202e',
  '\n',
  '\r\n',
  '\t',
];

/** One operation: a seed mutated by character and token edits, or pure noise. */
const operation = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...SEEDS) },
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...SEEDS),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })),
            fc.nat({ max: 6 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
      )
      .map(([seed, edits]) => {
        let s = seed;
        for (const [at, insert, del] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + insert + s.slice(i + del);
        }
        return s;
      }),
  },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** Variables: well-typed-looking values, hostile keys, wrong types, deep nesting. */
const variables = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      id: fc.oneof(
        fc.constantFrom('fca_1', 'cus_1', 'fcsess_1', 'pi_1', 'x', ''),
        fc.string({ maxLength: 40 }),
      ),
      a: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.constant(null)),
      b: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
      i: fc.oneof(
        fc.record(
          { email: fc.string({ maxLength: 20 }), name: fc.string({ maxLength: 20 }) },
          { requiredKeys: [] },
        ),
        fc.record(
          { customerId: fc.string({ maxLength: 30 }), ttlSeconds: fc.integer() },
          { requiredKeys: [] },
        ),
        fc.record(
          {
            customerId: fc.constantFrom('cus_1', 'cus_x'),
            permissions: fc.array(fc.constantFrom('BALANCES', 'EVERYTHING', 'TRANSACTIONS', 1), {
              maxLength: 4,
            }),
            returnUrl: fc.constantFrom('javascript:alert(1)', 'https://evil.example/x', 'ftp://x'),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue({ maxDepth: 4 }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant('{"id":"fca_1"}'),
);

/** Raw HTTP: random bodies and content types (malformed JSON, arrays, wrong shapes). */
const rawRequest = fc.record({
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/graphql-response+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
  ),
  body: fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 300 }),
    fc.array(fc.record({ query: fc.constantFrom(...SEEDS) }), { maxLength: 5 }).map((v) => JSON.stringify(v)),
    fc
      .record({ query: fc.oneof(fc.constantFrom(...SEEDS), fc.integer(), fc.constant(null)), variables })
      .map((v) => JSON.stringify(v)),
  ),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
  token: fc.constantFrom(PARTNER_A.apiKey, PARTNER_B.apiKey, undefined, 'garbage', 'eyJ.x.y'),
});

const SECRETS = [PARTNER_A.apiKey, PARTNER_B.apiKey, TEST_TOKEN_SECRET, SANDBOX_SECRET_KEY];

/**
 * Well-formed: JSON with `data` and/or a non-empty `errors`, each error with message, code and request id, and
 * never INTERNAL_SERVER_ERROR (an unexpected error the gateway had to mask: no input may cause one).
 */
function assertWellFormed(p: HttpProbe, label: string): void {
  assertNoLeak(p.text, SECRETS, label);
  if (p.status === 404) return; // an unsupported method on /graphql (PUT, DELETE): fastify's 404
  if (p.json === null || typeof p.json !== 'object' || Array.isArray(p.json)) {
    throw new Error(`${label}: not a JSON object (${p.status}): ${p.text.slice(0, 200)}`);
  }
  const hasData = 'data' in p.json;
  const errors = p.json.errors;
  if (!hasData && !Array.isArray(errors))
    throw new Error(`${label}: neither data nor errors: ${p.text.slice(0, 200)}`);
  if (errors !== undefined) {
    if (!Array.isArray(errors) || errors.length === 0)
      throw new Error(`${label}: errors is not a non-empty array`);
    for (const e of errors) {
      if (typeof e.message !== 'string') throw new Error(`${label}: error without message`);
      if (typeof e.extensions?.code !== 'string')
        throw new Error(`${label}: error without code: ${e.message}`);
      if (typeof e.extensions?.requestId !== 'string') {
        throw new Error(`${label}: error without requestId: ${JSON.stringify(e).slice(0, 300)}`);
      }
      if (e.extensions.code === 'INTERNAL_SERVER_ERROR')
        throw new Error(`${label}: an unexpected error was masked: ${JSON.stringify(e).slice(0, 300)}`);
    }
  }
}

describe('fuzzing the HTTP transport', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  /** Logs are scanned per test: each test's own traffic must leave no secret in them. */
  const assertLogsHoldNoSecret = () => {
    const logs = gw.logs.join('\n');
    for (const s of SECRETS) expect(logs.includes(s)).toBe(false);
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    // The rate limit is lifted: the fuzzer sends thousands of requests as two partners.
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('answers 2500 mutated operations with random variables with well-formed GraphQL', async () => {
    await fc.assert(
      fc.asyncProperty(
        operation,
        variables,
        fc.constantFrom(PARTNER_A.apiKey, PARTNER_B.apiKey),
        async (q, v, token) => {
          const p = await http(gw.graphqlUrl, {
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: q, variables: v }),
          });
          assertWellFormed(p, `op ${JSON.stringify(q).slice(0, 120)}`);
        },
      ),
      { numRuns: 2500 },
    );
    await assertStillServes(gw);
    assertLogsHoldNoSecret();
  }, 120_000);

  it('answers 1000 raw requests (random bodies, content types, methods, credentials) with well-formed GraphQL', async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async (r) => {
        const url =
          r.method === 'GET'
            ? `${gw.graphqlUrl}?query=${encodeURIComponent(r.body.slice(0, 500))}`
            : gw.graphqlUrl;
        const p = await http(url, {
          method: r.method,
          headers: {
            ...(r.contentType ? { 'content-type': r.contentType } : {}),
            ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
            accept: 'application/json',
          },
          body: r.method === 'GET' ? undefined : r.body,
        });
        assertWellFormed(p, `raw ${r.method} ${r.contentType} ${r.body.slice(0, 80)}`);
      }),
      { numRuns: 1000 },
    );
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
    await assertStillServes(gw);
    assertLogsHoldNoSecret();
  }, 120_000);

  it('survives 300 WebSocket sessions of random and mutated graphql-ws frames', async () => {
    const frame = fc.oneof(
      fc.constant({ type: 'connection_init', payload: { authorization: `Bearer ${PARTNER_A.apiKey}` } }),
      fc.record({
        type: fc.constant('subscribe'),
        id: fc.string({ maxLength: 4 }),
        payload: fc.record({ query: operation, variables }),
      }),
      fc.record({
        type: fc.constantFrom('complete', 'ping', 'pong', 'next', 'error', 'bogus'),
        id: fc.string({ maxLength: 4 }),
      }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ maxLength: 100 }),
    );
    let acked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 8 }),
        async (initFirst, rest) => {
          // Most sessions start properly, so the random frames reach the acknowledged state's handling.
          const frames = initFirst
            ? [{ type: 'connection_init', payload: { authorization: `Bearer ${PARTNER_A.apiKey}` } }, ...rest]
            : rest;
          const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
          const received: string[] = [];
          const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
          socket.on('error', () => undefined);
          socket.on('message', (d) => received.push(String(d)));
          await new Promise<void>((resolve) => socket.once('open', () => resolve()));
          if (initFirst) {
            // graphql-ws handles frames concurrently: wait for the ack so later frames meet an acknowledged socket.
            const acked = new Promise<void>((resolve) =>
              socket.on('message', (d) => {
                if (JSON.parse(String(d)).type === 'connection_ack') resolve();
              }),
            );
            socket.send(JSON.stringify(frames[0]));
            await Promise.race([acked, closed]);
          }
          for (const f of initFirst ? frames.slice(1) : frames) {
            if (socket.readyState === WebSocket.OPEN)
              socket.send(typeof f === 'string' ? f : JSON.stringify(f));
          }
          // Ask for a pong last: once it (or a close) arrives, every earlier frame has been handled.
          if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
          await Promise.race([
            closed,
            new Promise<void>((resolve) =>
              socket.on('message', (d) => {
                if (JSON.parse(String(d)).type === 'pong') resolve();
              }),
            ),
          ]);
          socket.close();
          const code = await closed;
          // Closed by us (1000/1005) or by graphql-ws with a protocol code; never 1011 (server error).
          expect(code === 1000 || code === 1005 || (code >= 4400 && code < 4500)).toBe(true);
          if (received.some((m) => JSON.parse(m).type === 'connection_ack')) acked += 1;
          for (const m of received) {
            const msg = JSON.parse(m);
            assertNoLeak(m, SECRETS, 'ws');
            if (msg.type === 'error') {
              for (const e of msg.payload) {
                expect(typeof e.extensions?.code).toBe('string');
                expect(typeof e.extensions?.requestId).toBe('string');
                expect(e.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(acked).toBeGreaterThan(50); // the fuzzer did get past connection_init
    await assertStillServes(gw);
    assertLogsHoldNoSecret();
  }, 120_000);
});
