// Attack rows on the HTTP transport: authentication, input shape, CSRF, sizes, query limits, rate limits.
import Redis from 'ioredis';
import {
  ALLOWED_ORIGIN,
  PARTNER_A,
  PARTNER_B,
  RATE_LIMIT,
  REDIS_RATE_LIMIT,
  algNoneToken,
  codes,
  http,
  init,
  post,
  settled,
  signToken,
  subscribe,
  wsSession,
  type Harness,
} from './harness';
import { asHttp, asWs, rejected, tooComplex, wsErrors, type AttackRow } from './rows';

const FA = 'financialAccount(id: "fca_SecurityProbe1")';

/** `n` nested fields along Viewer → Customer → FinancialAccountConnection → FinancialAccount → AccountHolder → … */
export function viewerChain(n: number): string {
  const cycle = ['accountHolder', 'customer', 'financialAccounts', 'nodes'];
  const fields = ['viewer', 'customer', 'financialAccounts', 'nodes'];
  while (fields.length < n) fields.push(cycle[(fields.length - 4) % 4]);
  const chain = fields.slice(0, n);
  return `{ ${chain.map((f) => `${f} {`).join(' ')} __typename ${'}'.repeat(n)} }`;
}

const authRejected = rejected(401, 'UNAUTHENTICATED');
const get = (h: Harness, gwName: 'dev' | 'prod', search: string, headers: Record<string, string> = {}) =>
  http(`${h.gw(gwName).graphqlUrl}?${search}`, { method: 'GET', headers });

export const authRows: AttackRow[] = [
  {
    id: 'AU1a',
    attack: 'no Authorization header',
    run: (h) => post(h.gw(), '{ viewer { partnerId } }'),
    expect: authRejected,
  },
  {
    id: 'AU1b',
    attack: 'Basic credentials instead of Bearer',
    run: (h) =>
      post(h.gw(), '{ viewer { partnerId } }', {
        headers: { authorization: `Basic ${Buffer.from(`x:${PARTNER_A.apiKey}`).toString('base64')}` },
      }),
    expect: authRejected,
  },
  {
    id: 'AU1c',
    attack: 'empty Bearer credential',
    run: (h) => post(h.gw(), '{ viewer { partnerId } }', { headers: { authorization: 'Bearer ' } }),
    expect: authRejected,
  },
  {
    id: 'AU1d',
    attack: 'unknown partner API key (one character off)',
    run: (h) => post(h.gw(), '{ viewer { partnerId } }', { token: `${PARTNER_A.apiKey.slice(0, -1)}X` }),
    expect: authRejected,
  },
  {
    id: 'AU1e',
    attack: 'expired customer token (valid signature)',
    run: async (h) =>
      post(h.gw(), '{ viewer { partnerId } }', { token: await signToken({}, { expSecondsFromNow: -60 }) }),
    expect: authRejected,
  },
  {
    id: 'AU1f',
    attack: 'alg:none customer token',
    run: (h) => post(h.gw(), '{ viewer { partnerId } }', { token: algNoneToken() }),
    expect: authRejected,
  },
  {
    id: 'AU1g',
    attack: 'customer token forged with another secret',
    run: async (h) =>
      post(h.gw(), '{ viewer { partnerId } }', {
        token: await signToken({}, { secret: 'attacker-secret-0123456789abcdef0123456789' }),
      }),
    expect: authRejected,
  },
  {
    id: 'AU1h',
    attack: 'customer token with the right secret but HS512 (algorithm confusion)',
    run: async (h) =>
      post(h.gw(), '{ viewer { partnerId } }', { token: await signToken({}, { alg: 'HS512' }) }),
    expect: authRejected,
  },
  {
    id: 'AU1i',
    attack: 'customer token for a partner id that does not exist',
    run: async (h) =>
      post(h.gw(), '{ viewer { partnerId } }', { token: await signToken({ pid: 'partner_zz' }) }),
    expect: authRejected,
  },
  {
    id: 'AU1j',
    attack: 'customer token with a foreign audience',
    run: async (h) =>
      post(h.gw(), '{ viewer { partnerId } }', { token: await signToken({}, { aud: 'other-app' }) }),
    expect: authRejected,
  },
  {
    id: 'AU1k',
    attack: 'malformed three-part token',
    run: (h) => post(h.gw(), '{ viewer { partnerId } }', { token: 'eyJhbGciOi.not-json.%%%' }),
    expect: authRejected,
  },
  {
    id: 'AU1l',
    attack: '8 KB Authorization header',
    run: (h) => post(h.gw(), '{ viewer { partnerId } }', { token: 'k'.repeat(8000) }),
    expect: authRejected,
  },
  {
    id: 'AU1m',
    attack: 'unauthenticated mutation (no resolver may run)',
    run: (h) =>
      post(h.gw(), 'mutation { createCustomer(input: { email: "x@example.com" }) { customer { id } } }'),
    expect: authRejected,
  },
];

export const inputRows: AttackRow[] = [
  {
    id: 'IN1',
    attack: 'JSON array batch of 100 operations',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify(Array.from({ length: 100 }, () => ({ query: '{ viewer { partnerId } }' }))),
      }),
    expect: rejected(400, 'BAD_REQUEST', /^Operation batching disabled\.$/),
  },
  {
    id: 'IN2a',
    attack: '`variables` sent as a JSON string',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify({
          query: 'query($id: ID!) { customer(id: $id) { id } }',
          variables: '{"id":"cus_1"}',
        }),
      }),
    expect: rejected(400, 'BAD_REQUEST'),
  },
  {
    id: 'IN2b',
    attack: '`query` that is not a string',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify({ query: { kind: 'Document' } }),
      }),
    expect: rejected(400, 'BAD_REQUEST'),
  },
  {
    id: 'IN2c',
    attack: 'body that is not JSON',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: '{"query": "{ viewer { partnerId } }"',
      }),
    expect: rejected(400, 'BAD_REQUEST'),
  },
  {
    id: 'IN3a',
    attack: '`first: "abc"`',
    run: (h) =>
      post(h.gw(), `{ ${FA} { transactions(first: "abc") { nodes { id } } } }`, { token: PARTNER_A.apiKey }),
    expect: rejected(400, 'GRAPHQL_VALIDATION_FAILED'),
  },
  {
    id: 'IN3b',
    attack: 'unknown enum value `permissions: [EVERYTHING]`',
    run: (h) =>
      post(
        h.gw(),
        'mutation { createFinancialConnectionsSession(input: { customerId: "cus_X1", permissions: [EVERYTHING] }) { clientSecret } }',
        { token: PARTNER_A.apiKey },
      ),
    expect: rejected(400, 'GRAPHQL_VALIDATION_FAILED'),
  },
  {
    id: 'IN3c',
    attack: 'variable of the wrong type (`first` as a string)',
    run: (h) =>
      post(h.gw(), `query($n: Int) { ${FA} { transactions(first: $n) { nodes { id } } } }`, {
        token: PARTNER_A.apiKey,
        variables: { n: 'abc' },
      }),
    expect: rejected(400, 'BAD_USER_INPUT'),
  },
  ...[
    ['IN4a', 'path traversal id `fca_1/../x`', 'fca_1/../x'],
    ['IN4b', 'query injection id `fca_1?expand[]=x`', 'fca_1?expand[]=x'],
    ['IN4c', 'CRLF in an id', 'fca_1\r\nX-Injected: 1'],
    ['IN4d', '10 KB id', `fca_${'A'.repeat(10_000)}`],
  ].map(([id, attack, value]): AttackRow => ({
    id,
    attack,
    run: (h) =>
      post(h.gw(), 'query($id: ID!) { financialAccount(id: $id) { id } }', {
        token: PARTNER_A.apiKey,
        variables: { id: value },
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      // The offending value is never echoed back.
      expect(r.text).not.toContain(value.slice(4, 40));
    },
  })),
  {
    id: 'IN5a',
    attack: '`first: 100000` on a top-level list',
    run: (h) => post(h.gw(), '{ customers(first: 100000) { nodes { id } } }', { token: PARTNER_A.apiKey }),
    // Refused on the argument before the list is asked for.
    expect: rejected(200, 'BAD_USER_INPUT', /first must be between 1 and 100/),
  },
  {
    id: 'IN5b',
    attack: "`first: 100000` on an account's transactions",
    needsTenants: true,
    run: (h) =>
      post(
        h.gw(),
        'query($id: ID!) { financialAccount(id: $id) { transactions(first: 100000) { nodes { id } } } }',
        {
          token: PARTNER_A.apiKey,
          variables: { id: h.tenants.a.accountId },
        },
      ),
    // The account is read (whose it is); the page of 100000 is refused before any transaction list.
    stripeRequests: ['GET /v1/financial_connections/accounts/{id}'],
    expect: rejected(200, 'BAD_USER_INPUT', /first must be between 1 and 100/),
  },
  {
    id: 'IN7a',
    attack: '`__proto__` / `constructor` keys in the JSON body of a POST',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: `{"query":"mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }","variables":{"i":{"email":"p@example.com","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}}`,
      }),
    expect: (p) => {
      // fastify's JSON parser refuses `__proto__` and `constructor` keys outright, before GraphQL sees the body.
      rejected(400, 'BAD_REQUEST')(p);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    id: 'IN7b',
    attack: '`__proto__` key in the variables of a WebSocket operation (parsed by JSON.parse, not fastify)',
    run: (h) =>
      wsSession(h.gw(), {
        awaitAck: true,
        frames: [
          init(PARTNER_A.apiKey),
          `{"type":"subscribe","id":"1","payload":{"query":"mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }","variables":{"i":{"email":"p@example.com","__proto__":{"polluted":"yes"}}}}}`,
        ],
        until: settled('1'),
      }),
    expect: (p) => {
      // The key reaches the input type, which has no such field.
      expect(wsErrors(asWs(p), '1').map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    id: 'IN8a',
    attack: '2 MB request body',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify({ query: `{ viewer { partnerId } } # ${'x'.repeat(2 * 1024 * 1024)}` }),
      }),
    expect: tooComplex('body', 413),
  },
  {
    id: 'IN8b',
    attack: '40 KB query string inside a body under the body limit',
    run: (h) =>
      post(h.gw(), `{ viewer { partnerId } } # ${'x'.repeat(40 * 1024)}`, { token: PARTNER_A.apiKey }),
    expect: tooComplex('length', 413),
  },
  {
    id: 'IN8c',
    attack: '2 MB body without credentials (size checked before anything else)',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(2 * 1024 * 1024, 0x20),
      }),
    expect: tooComplex('body', 413),
  },
];

export const csrfRows: AttackRow[] = [
  {
    id: 'AU8a',
    // A cross-site page cannot add Authorization without a preflight: the simple request carries none.
    attack: 'POST with content-type text/plain (a CSRF "simple request")',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: 'mutation { createCustomer(input: {}) { customer { id } } }' }),
      }),
    expect: rejected(400, 'BAD_REQUEST', /CSRF/),
  },
  {
    id: 'AU8b',
    attack: 'GET query without a preflight-forcing header (no Authorization either)',
    run: (h) => get(h, 'dev', `query=${encodeURIComponent('{ viewer { partnerId } }')}`),
    expect: rejected(400, 'BAD_REQUEST', /CSRF/),
  },
  {
    id: 'AU8i',
    attack:
      'control: GET query with a Bearer credential and no other header (urql and graphql-request defaults)',
    run: (h) =>
      get(h, 'dev', `query=${encodeURIComponent('{ viewer { partnerId } }')}`, {
        authorization: `Bearer ${PARTNER_A.apiKey}`,
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(200);
      expect(r.json?.data).toEqual({ viewer: { partnerId: PARTNER_A.partnerId } });
    },
  },
  {
    id: 'AU8c',
    attack: 'mutation over GET (with the preflight header)',
    run: (h) =>
      get(
        h,
        'dev',
        `query=${encodeURIComponent('mutation { createCustomer(input: {}) { customer { id } } }')}`,
        {
          authorization: `Bearer ${PARTNER_A.apiKey}`,
          'apollo-require-preflight': 'true',
        },
      ),
    expect: rejected(405, 'BAD_REQUEST', /mutation/),
  },
  {
    id: 'AU8d',
    attack: 'POST as an HTML form (application/x-www-form-urlencoded)',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${PARTNER_A.apiKey}`,
        },
        body: 'query=mutation%20%7B%20createCustomer(input%3A%7B%7D)%20%7B%20customer%20%7B%20id%20%7D%20%7D%20%7D',
      }),
    expect: (p) => {
      const r = asHttp(p);
      // fastify has no parser for a form body: refused before Apollo's CSRF check is reached.
      expect(r.status).toBe(415);
      expect(codes(r)).toEqual(['BAD_REQUEST']);
    },
  },
  {
    id: 'AU8e',
    attack: 'POST as multipart/form-data (file-upload style CSRF)',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: {
          'content-type': 'multipart/form-data; boundary=x',
          authorization: `Bearer ${PARTNER_A.apiKey}`,
        },
        body: '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ viewer { partnerId } }"}\r\n--x--\r\n',
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(415);
      expect(codes(r)).toEqual(['BAD_REQUEST']);
    },
  },
];

export const corsRows: AttackRow[] = [
  {
    id: 'AU8f',
    attack: 'CORS preflight from a foreign origin',
    on: 'origin',
    run: (h) =>
      http(h.gw('origin').graphqlUrl, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      }),
    expect: (p) => {
      rejected(403, 'FORBIDDEN')(p);
      expect(asHttp(p).headers.get('access-control-allow-origin')).toBeNull();
    },
  },
  {
    id: 'AU8g',
    attack: 'request with a valid key sent from a foreign origin (refused, not only unreadable)',
    on: 'origin',
    run: (h) =>
      post(
        h.gw('origin'),
        'mutation { createCustomer(input: { email: "csrf@example.com" }) { customer { id } } }',
        {
          token: PARTNER_A.apiKey,
          headers: { origin: 'https://evil.example' },
        },
      ),
    expect: (p) => {
      rejected(403, 'FORBIDDEN')(p);
      expect(asHttp(p).headers.get('access-control-allow-origin')).toBeNull();
    },
  },
  {
    id: 'AU8h',
    attack: 'control: CORS preflight from the allowed origin is answered for bearer requests',
    on: 'origin',
    run: (h) =>
      http(h.gw('origin').graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(204);
      expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(r.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(r.headers.get('access-control-allow-credentials')).toBeNull(); // bearer tokens, never cookies
    },
  },
];

const fanOut = (levels: number) => {
  const frags = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }`,
  ).join('\n');
  return `{ viewer { ...F0 } }\n${frags}\nfragment F${levels} on Viewer { partnerId }`;
};

export const limitRows: AttackRow[] = [
  {
    id: 'DS1a',
    attack: 'cyclic query one level over the depth limit (9 > 8)',
    run: (h) => post(h.gw(), viewerChain(9), { token: PARTNER_A.apiKey }),
    expect: tooComplex('depth'),
  },
  {
    id: 'DS1b',
    attack: 'the same depth hidden in fragments',
    run: (h) =>
      post(
        h.gw(),
        `{ viewer { ...V } }
         fragment V on Viewer { customer { ...C } }
         fragment C on Customer { financialAccounts { nodes { ...A } } }
         fragment A on FinancialAccount { accountHolder { customer { financialAccounts { nodes { accountHolder { __typename } } } } } }`,
        { token: PARTNER_A.apiKey },
      ),
    expect: tooComplex('depth'),
  },
  {
    id: 'DS1c',
    attack: 'a 30-level cyclic query',
    run: (h) => post(h.gw(), viewerChain(30), { token: PARTNER_A.apiKey }),
    expect: tooComplex('depth'),
  },
  {
    id: 'DS1d',
    attack: 'fragment cycle (F1 → F2 → F1)',
    run: (h) =>
      post(
        h.gw(),
        '{ viewer { ...F1 } } fragment F1 on Viewer { customer { id } ...F2 } fragment F2 on Viewer { partnerId ...F1 }',
        { token: PARTNER_A.apiKey },
      ),
    expect: rejected(400, 'GRAPHQL_VALIDATION_FAILED', /Cannot spread fragment/),
  },
  {
    id: 'AU6',
    attack: '50 aliased financialAccount(id:) probes',
    run: (h) =>
      post(
        h.gw(),
        `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: financialAccount(id: "fca_Probe${i}") { id }`).join(' ')} }`,
        { token: PARTNER_A.apiKey },
      ),
    expect: tooComplex('aliases'),
  },
  {
    id: 'AU6b',
    attack: '16 aliases hidden in two spreads of one fragment',
    run: (h) =>
      post(
        h.gw(),
        `{ viewer { ...P } x: viewer { ...P } } fragment P on Viewer { ${Array.from({ length: 8 }, (_, i) => `p${i}: partnerId`).join(' ')} }`,
        { token: PARTNER_A.apiKey },
      ),
    expect: tooComplex('aliases'),
  },
  {
    id: 'DS2',
    attack: '1000 `__typename` aliases',
    run: (h) =>
      post(h.gw(), `{ ${Array.from({ length: 1000 }, (_, i) => `t${i}: __typename`).join(' ')} }`, {
        token: PARTNER_A.apiKey,
      }),
    expect: tooComplex('tokens'),
  },
  {
    id: 'DS3a',
    attack: '60 directives',
    run: (h) =>
      post(h.gw(), `{ viewer { ${'partnerId @include(if: true) '.repeat(60)} } }`, {
        token: PARTNER_A.apiKey,
      }),
    expect: tooComplex('directives'),
  },
  {
    id: 'DS3b',
    attack: '10k tokens (20 KB: under the length limit, over the token limit)',
    run: (h) => post(h.gw(), `{ viewer { ${'a '.repeat(10_000)} } }`, { token: PARTNER_A.apiKey }),
    expect: tooComplex('tokens'),
  },
  {
    id: 'DS4',
    attack: 'fragment fan-out (F0 → 2×F1 → 2×F2 … 40 levels: 2^40 selections)',
    run: (h) => post(h.gw(), fanOut(40), { token: PARTNER_A.apiKey }),
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(400);
      const e = r.json?.errors?.[0];
      expect(e?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      // Counted before cost: the selection count is what 2^40 exceeds first.
      expect(e?.extensions?.limit).toBe('selections');
    },
  },
  {
    id: 'DS5a',
    attack: '`accounts(first:100){ transactions(first:100) }`',
    run: (h) =>
      post(
        h.gw(),
        '{ financialConnectionsSession(id: "fcsess_Probe1") { accounts(first: 100) { nodes { transactions(first: 100) { nodes { id } } } } } }',
        { token: PARTNER_A.apiKey },
      ),
    expect: tooComplex('cost'),
  },
  {
    id: 'DS5b',
    attack: 'the same cost through variables (`first: $n`, n = 100)',
    run: (h) =>
      post(
        h.gw(),
        'query($n: Int) { financialConnectionsSession(id: "fcsess_Probe1") { accounts(first: $n) { nodes { transactions(first: $n) { nodes { id } } } } } }',
        { token: PARTNER_A.apiKey, variables: { n: 100 } },
      ),
    expect: tooComplex('cost'),
  },
  {
    id: 'DS5c',
    attack: 'nested connections at the default page size, three levels deep (10×10×10×…)',
    run: (h) =>
      post(
        h.gw(),
        '{ customers { nodes { financialAccounts { nodes { transactions(first: 60) { nodes { id amount { amount currency } account { id } } } } } } } }',
        { token: PARTNER_A.apiKey },
      ),
    expect: tooComplex('cost'),
  },
  {
    id: 'DS6',
    attack: '10k invalid fields (token limit raised)',
    on: 'wide',
    run: (h) =>
      post(h.gw('wide'), `{ ${Array.from({ length: 10_000 }, (_, i) => `f${i}`).join(' ')} }`, {
        token: PARTNER_A.apiKey,
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(400);
      expect(codes(r).every((c) => c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
      expect(r.json!.errors!.length).toBeLessThanOrEqual(101);
    },
  },
  {
    id: 'AU7a',
    attack: 'introspection (`__schema`) in production',
    on: 'prod',
    run: (h) => post(h.gw('prod'), '{ __schema { types { name } } }', { token: PARTNER_A.apiKey }),
    expect: rejected(400, 'INTROSPECTION_DISABLED'),
  },
  {
    id: 'AU7b',
    attack: 'introspection (`__type`) in production',
    on: 'prod',
    run: (h) =>
      post(h.gw('prod'), '{ __type(name: "Query") { fields { name } } }', { token: PARTNER_A.apiKey }),
    expect: rejected(400, 'INTROSPECTION_DISABLED'),
  },
  {
    id: 'AU7c',
    attack: 'field typo `acount` in production (schema probing by suggestions)',
    on: 'prod',
    run: (h) =>
      post(h.gw('prod'), '{ financialAccount(id: "fca_Probe1") { acount instituionName } viewr { kind } }', {
        token: PARTNER_A.apiKey,
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect(codes(r).every((c) => c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
      expect(r.text).not.toMatch(/Did you mean/);
      expect(r.text).not.toMatch(/institutionName|"viewer"/);
    },
  },
  {
    id: 'AU7d',
    attack: 'argument typo in production (suggestions for arguments)',
    on: 'prod',
    run: (h) => post(h.gw('prod'), '{ customers(frist: 5) { nodes { id } } }', { token: PARTNER_A.apiKey }),
    expect: (p) => {
      const r = asHttp(p);
      expect(codes(r)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(r.text).not.toMatch(/Did you mean/);
    },
  },
];

export const rateRows: AttackRow[] = [
  {
    id: 'DS8a',
    attack: `request ${RATE_LIMIT + 1} within a minute by one partner (limit ${RATE_LIMIT})`,
    on: 'rate',
    nextAs: () => PARTNER_B.apiKey, // another caller is unaffected
    run: async (h) => {
      for (let i = 0; i < RATE_LIMIT; i += 1) {
        const ok = await post(h.gw('rate'), '{ viewer { partnerId } }', { token: PARTNER_A.apiKey });
        expect(ok.status).toBe(200);
      }
      return post(h.gw('rate'), '{ viewer { partnerId } }', { token: PARTNER_A.apiKey });
    },
    expect: (p) => {
      rejected(429, 'RATE_LIMITED')(p);
      const r = asHttp(p);
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    },
  },
  {
    id: 'DS8b',
    attack: 'a rate-limited caller keeps hammering (every request refused, nothing reaches Stripe)',
    on: 'rate',
    nextAs: () => PARTNER_B.apiKey,
    run: async (h) => {
      let last = await post(h.gw('rate'), '{ customers { nodes { id } } }', { token: PARTNER_A.apiKey });
      for (let i = 0; i < 20; i += 1) {
        last = await post(h.gw('rate'), '{ customers { nodes { id } } }', { token: PARTNER_A.apiKey });
        expect(last.status).toBe(429);
      }
      return last;
    },
    expect: rejected(429, 'RATE_LIMITED'),
  },
  {
    id: 'DS8c',
    attack: `spreading requests over two instances sharing Redis (limit ${REDIS_RATE_LIMIT} per caller in total)`,
    on: 'redisB',
    nextAs: () => PARTNER_B.apiKey,
    run: async (h) => {
      for (let i = 0; i < REDIS_RATE_LIMIT; i += 1) {
        const ok = await post(h.gw(i % 2 ? 'redisB' : 'redisA'), '{ viewer { partnerId } }', {
          token: PARTNER_A.apiKey,
        });
        expect(ok.status).toBe(200);
      }
      return post(h.gw('redisB'), '{ viewer { partnerId } }', { token: PARTNER_A.apiKey });
    },
    expect: async (p, h) => {
      rejected(429, 'RATE_LIMITED')(p);
      // The counter lives in Redis, keyed by the caller (never by the key itself); it counts the points leased
      // (services/auth/leased-window.ts), which never pass the limit, and a refusal adds none.
      const redis = new Redis(h.redis.url);
      try {
        const keys = await redis.keys('fcgw:rate:*');
        expect(keys).toContain('fcgw:rate:partner:partner_a');
        expect(keys.join(' ')).not.toContain(PARTNER_A.apiKey);
        expect(Number(await redis.get('fcgw:rate:partner:partner_a'))).toBe(REDIS_RATE_LIMIT);
      } finally {
        redis.disconnect();
      }
    },
  },
  {
    id: 'DS8d',
    attack: `one end user exhausts their own budget (a customer token's bucket is its customer's)`,
    on: 'rate',
    needsTenants: true,
    nextAs: (h) => h.tenants.a.customerToken, // another customer of the same partner still gets through
    run: async (h) => {
      for (let i = 0; i < RATE_LIMIT; i += 1) {
        const ok = await post(h.gw('rate'), '{ viewer { kind } }', { token: h.tenants.a2.customerToken });
        expect(ok.status).toBe(200);
      }
      return post(h.gw('rate'), '{ viewer { kind } }', { token: h.tenants.a2.customerToken });
    },
    expect: rejected(429, 'RATE_LIMITED'),
  },
  {
    id: 'DS8e',
    attack: `WebSocket operations count against the same budget (${RATE_LIMIT + 1} operations on one socket)`,
    on: 'rate',
    needsTenants: true,
    nextAs: () => PARTNER_B.apiKey,
    run: (h) =>
      wsSession(h.gw('rate'), {
        awaitAck: true,
        frames: [
          init(h.tenants.b.customerToken),
          ...Array.from({ length: RATE_LIMIT + 1 }, (_, i) => subscribe(`q${i}`, '{ viewer { kind } }')),
        ],
        until: (m) => m.filter((x) => x.type === 'complete' || x.type === 'error').length === RATE_LIMIT + 1,
      }),
    expect: (p) => {
      const w = asWs(p);
      const errors = w.messages.filter((m) => m.type === 'error');
      expect(errors.length).toBe(1);
      expect(wsErrors(w, errors[0].id!).map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
      expect(w.messages.filter((m) => m.type === 'next').length).toBe(RATE_LIMIT);
    },
  },
];
