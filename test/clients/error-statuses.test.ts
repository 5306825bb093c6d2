// docs/errors.md against a running gateway: for each code a client can provoke without a Stripe failure, the HTTP
// status it is answered with is one the catalogue (src/platform/error-catalogue.ts) documents for it.
import { SignJWT } from 'jose';
import { ERROR_CODES } from '../../src/platform/error-catalogue';
import { PARTNER_A, TEST_TOKEN_SECRET, startGateway, type StartedGateway } from '../helpers/gateway';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

/** Every HTTP status the catalogue documents for `code`, the usual one first. */
const documented = (code: string) =>
  [...(ERROR_CODES.find((e) => e.code === code)?.httpStatus ?? '').matchAll(/\b\d{3}\b/g)].map((m) =>
    Number(m[0]),
  );

type Send = (gw: StartedGateway, token: string) => Promise<Response>;

const post =
  (body: unknown, auth = true): Send =>
  (gw, token) =>
    fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

const get =
  (query: string, auth = true): Send =>
  (gw, token) =>
    fetch(`${gw.graphqlUrl}?query=${encodeURIComponent(query)}`, {
      headers: auth ? { authorization: `Bearer ${token}` } : {},
    });

/** [code, how it is provoked, the request, which documented status (index) it must get, who sends it]. */
const ROWS: [string, string, Send, number, 'partner' | 'customer'][] = [
  ['UNAUTHENTICATED', 'no credential', post({ query: '{ viewer { kind } }' }, false), 0, 'partner'],
  [
    'RATE_LIMITED',
    'the second operation of a caller allowed one a minute',
    post({ query: '{ viewer { kind } }' }),
    0,
    'partner',
  ],
  [
    'BAD_REQUEST',
    'a GET with no credential and no preflight header',
    get('{ viewer { kind } }', false),
    0,
    'partner',
  ],
  [
    'BAD_REQUEST',
    'a mutation over GET',
    get('mutation { createCustomer(input: {}) { customer { id } } }'),
    1,
    'partner',
  ],
  ['GRAPHQL_PARSE_FAILED', 'a syntax error', post({ query: '{ viewer {' }), 0, 'partner'],
  ['GRAPHQL_VALIDATION_FAILED', 'an unknown field', post({ query: '{ nope }' }), 0, 'partner'],
  [
    'OPERATION_RESOLUTION_FAILURE',
    'two operations and no operationName',
    post({ query: 'query A { viewer { kind } } query B { viewer { partnerId } }' }),
    0,
    'partner',
  ],
  [
    'PERSISTED_QUERY_NOT_FOUND',
    'an unknown persisted-query hash',
    post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    0,
    'partner',
  ],
  [
    'QUERY_TOO_COMPLEX',
    'too many tokens',
    post({ query: `{ viewer { ${'kind '.repeat(2100)}} }` }),
    0,
    'partner',
  ],
  [
    'BAD_USER_INPUT',
    'an argument the resolver refuses',
    post({
      query: 'mutation { createCustomerToken(input: { customerId: "cus_x", ttlSeconds: 5 }) { token } }',
    }),
    0,
    'partner',
  ],
  [
    'BAD_USER_INPUT',
    'a missing required variable',
    post({ query: 'query($id: ID!) { customer(id: $id) { id } }' }),
    1,
    'partner',
  ],
  [
    'FORBIDDEN',
    'a customer token listing customers',
    post({ query: '{ customers { nodes { id } } }' }),
    0,
    'customer',
  ],
  ['NOT_FOUND', 'an id of no known kind', post({ query: '{ node(id: "zzz_123") { id } }' }), 0, 'partner'],
];

describe('docs/errors.md HTTP statuses', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let limited: StartedGateway;
  let customerToken: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const env = { STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: 'whsec_errorStatuses0123456789' };
    gw = await startGateway(env);
    limited = await startGateway({ ...env, RATE_LIMIT_PER_MINUTE: '1' });
    const now = Math.floor(Date.now() / 1000);
    customerToken = await new SignJWT({ pid: PARTNER_A.partnerId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('cus_errorStatuses')
      .setIssuer('fc-graphql-gateway')
      .setAudience('fc-graphql-gateway:customer')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
  });
  afterAll(async () => {
    await limited?.close();
    await gw?.close();
    await sandbox?.close();
  });

  it.each(ROWS)('should answer %s (%s) with its documented status', async (code, _how, send, which, who) => {
    const token = who === 'customer' ? customerToken : PARTNER_A.apiKey;
    const target = code === 'RATE_LIMITED' ? limited : gw;
    if (code === 'RATE_LIMITED') expect((await send(target, token)).status).toBe(200);
    const res = await send(target, token);
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.map((e) => e.extensions?.code)).toContain(code);
    const statuses = documented(code);
    expect(statuses.length).toBeGreaterThan(which);
    expect(res.status).toBe(statuses[which]);
  });

  it('should document a status for every code', () => {
    for (const e of ERROR_CODES) expect(documented(e.code).length).toBeGreaterThan(0);
  });
});
