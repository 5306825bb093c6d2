// Unit tests of the shared limits, the error masking, the origin check, the rate limiters and the WebSocket cap.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import {
  buildSchema,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type OperationDefinitionNode,
} from 'graphql';
import Redis from 'ioredis';
import Stripe from 'stripe';
import { ErrorCode, GatewayError } from '../../src/platform/errors';
import { createLogger } from '../../src/platform/logger';
import { createCallerRateLimiter } from '../../src/services/auth/rate-limit';
import { INTERNAL_MESSAGE, maskError } from '../../src/transport/graphql/error-masking';
import {
  DEFAULT_LIMITS,
  limitValidationRules,
  operationCost,
  parseWithLimits,
  type QueryLimits,
} from '../../src/transport/graphql/limits/limits';
import { originAllowed } from '../../src/transport/http/origins';
import { createAdmission, type AdmissionOptions } from '../../src/transport/graphql/admission/admission';
import type { Caller } from '../../src/services/auth/auth';
import { startRedis } from '../helpers/redis';
import { ConnectionCap } from '../../src/transport/ws/connection-cap';
import type { WebSocket } from 'ws';
import { parseConfig } from '../../src/platform/config';

const schema = buildSchema(`
  type Query { viewer: Viewer! account(id: ID!): Account accounts(first: Int, after: String): AccountConnection! }
  type Viewer { kind: String! partnerId: ID! }
  type Account {
    id: ID! name: String holder: Holder transactions(first: Int): TransactionConnection!
    updates(first: Int = 100, cursor: String): Updates!
  }
  type Updates { added: [Transaction!]! nextCursor: String! }
  type Holder { account: Account }
  type AccountConnection { nodes: [Account!]! pageInfo: PageInfo! }
  type TransactionConnection { nodes: [Transaction!]! }
  type Transaction { id: ID! amount: Int! }
  type PageInfo { hasNextPage: Boolean! }
`);

const op = (source: string) => {
  const document = parse(source);
  return { document, operation: document.definitions[0] as OperationDefinitionNode };
};
const cost = (source: string, variables?: Record<string, unknown>) => {
  const { document, operation } = op(source);
  return operationCost(schema, document, operation, variables);
};
const limitErrors = (source: string, limits: QueryLimits = DEFAULT_LIMITS, production = false) =>
  validate(schema, parse(source), [...specifiedRules, ...limitValidationRules(limits, { production })]).map(
    (e) => ({
      code: e.extensions.code,
      limit: e.extensions.limit,
    }),
  );

describe('operationCost (list-aware)', () => {
  it.each([
    ['{ viewer { kind partnerId } }', undefined, 3],
    // A connection without `first` pages by 10: 1 + 10 × (nodes 1 + id 1).
    ['{ accounts { nodes { id } } }', undefined, 21],
    ['{ accounts(first: 100) { nodes { id } } }', undefined, 201],
    // Out-of-range `first` is clamped (the resolver refuses it with BAD_USER_INPUT).
    ['{ accounts(first: 100000) { nodes { id } } }', undefined, 201],
    ['{ accounts(first: -5) { nodes { id } } }', undefined, 3],
    ['query($n: Int) { accounts(first: $n) { nodes { id } } }', { n: 50 }, 101],
    ['query($n: Int = 3) { accounts(first: $n) { nodes { id } } }', undefined, 7],
    ['query($n: Int) { accounts(first: $n) { nodes { id } } }', { n: 'abc' }, 21],
    // Nested connections multiply: 1 + 100 × (nodes 1 + id 1 + (1 + 100 × (nodes 1 + id 1))).
    [
      '{ accounts(first: 100) { nodes { id transactions(first: 100) { nodes { id } } } } }',
      undefined,
      20_301,
    ],
    // A field that declares its own default page size costs by it: 1 + 1 + 100 × (added 1 + id 1 + nextCursor 1).
    ['{ account(id: "a") { updates { added { id } nextCursor } } }', undefined, 302],
    ['{ account(id: "a") { updates(first: 5) { added { id } } } }', undefined, 12],
    ['{ __schema { types { name fields { name } } } __typename }', undefined, 0],
    [
      '{ accounts(first: 2) { ...A } } fragment A on AccountConnection { nodes { ... on Account { id name } } }',
      undefined,
      7,
    ],
  ])('%s (%j) costs %d', (source, variables, expected) => {
    expect(cost(source, variables as Record<string, unknown> | undefined)).toBe(expected);
  });

  it('is linear in the document for a 300-level fragment fan-out (2^300 selections)', () => {
    const frags = Array.from(
      { length: 300 },
      (_, i) => `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }`,
    );
    const source = `{ viewer { ...F0 } } ${frags.join(' ')} fragment F300 on Viewer { kind }`;
    expect(cost(source)).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
    const errors = limitErrors(source, { ...DEFAULT_LIMITS, maxAliases: 1e9, maxDirectives: 1e9 });
    expect(errors).toEqual([]); // shape-wise (depth 2, no aliases) it is small: cost is what stops it
  });
});

describe('shape limits (depth, aliases, directives)', () => {
  const chain = (n: number) =>
    `{ account(id: "1") { ${'holder { account { '.repeat(n)} id ${'} } '.repeat(n)} } }`;

  it('counts depth through fragments and inline fragments, not introspection', () => {
    // account 1 + (holder, account) × 3 = 7, then id at 8: at the limit.
    expect(limitErrors(chain(3))).toEqual([]);
    expect(limitErrors(chain(4))).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'depth' }]);
    const viaFragments = `{ account(id: "1") { ...H } } fragment H on Account { holder { account { ... on Account { holder { account { holder { account { holder { account { id } } } } } } } } } }`;
    expect(limitErrors(viaFragments)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'depth' }]);
    const introspection =
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }';
    expect(limitErrors(introspection)).toEqual([]);
  });

  it('counts aliases once per fragment spread', () => {
    const frag = `fragment P on Viewer { ${Array.from({ length: 8 }, (_, i) => `p${i}: kind`).join(' ')} }`;
    expect(limitErrors(`{ viewer { ...P } } ${frag}`)).toEqual([]);
    expect(limitErrors(`{ viewer { ...P } v: viewer { ...P } } ${frag}`)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'aliases' },
    ]);
  });

  it('counts directives on fields, fragments, spreads, the operation and variables', () => {
    const limits = { ...DEFAULT_LIMITS, maxDirectives: 4 };
    // Only the limit rules: graphql-js would also (rightly) refuse @skip on an operation or a fragment definition.
    const limitErrors = (source: string, l: QueryLimits) =>
      validate(schema, parse(source), limitValidationRules(l, { production: false })).map((e) => ({
        code: e.extensions.code,
        limit: e.extensions.limit,
      }));
    const four =
      'query($x: Boolean = true) @skip(if: false) { viewer @include(if: $x) { ...V @include(if: $x) } } fragment V on Viewer @skip(if: false) { kind }';
    expect(limitErrors(four, limits)).toEqual([]);
    expect(limitErrors(four.replace('{ kind }', '{ kind @skip(if: false) }'), limits)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'directives' },
    ]);
    expect(limitErrors(four.replace('= true)', '= true @skip(if: false))'), limits)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'directives' },
    ]);
  });

  it("counts a spread's own directives on every spread of the same fragment", () => {
    // 60 directives, all on spreads of one fragment (graphql-armor-max-directives counts these as 1).
    const spreads = `{ viewer { ${'...V @include(if: true) '.repeat(60)} } } fragment V on Viewer { kind }`;
    expect(limitErrors(spreads)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'directives' }]);
  });

  it('counts aliases of __typename', () => {
    const typenames = `{ ${Array.from({ length: 16 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect(limitErrors(typenames)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'aliases' }]);
  });

  it('reports each limit once per operation as QUERY_TOO_COMPLEX with the limit and its maximum', () => {
    const limits = { ...DEFAULT_LIMITS, maxDepth: 2, maxAliases: 1, maxDirectives: 1 };
    const source = `query A { a: viewer @include(if: true) { k: kind @skip(if: false) } } query B { account(id: "1") { holder { account { id } } } }`;
    const errors = validate(schema, parse(source), limitValidationRules(limits, { production: false }));
    expect(errors.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
      {
        message: 'Aliases limit of 1 exceeded, found 2.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 1 },
      },
      {
        message: 'Directives limit of 1 exceeded, found 2.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 1 },
      },
      {
        message: 'Query depth limit of 2 exceeded, found 4.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 2 },
      },
    ]);
  });

  it('survives fragment cycles (reported by graphql-js, not by a stack overflow here)', () => {
    const codes = limitErrors(
      '{ viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A kind }',
    );
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.code === undefined)).toBe(true); // graphql-js's NoFragmentCycles
  });
});

/**
 * The admission step's document and operation stages as graphql-ws runs them (admitPayload), on the schema above.
 * Authentication and metrics are not reached by admitPayload; the caller's rate limit always admits here.
 */
function admissionOn(limits: QueryLimits, production: boolean) {
  const unused = {} as never;
  const options: AdmissionOptions = {
    schema,
    limits,
    production,
    deps: unused,
    authFailures: unused,
    meter: unused,
    rateLimiter: {
      consume: async () => ({ allowed: true as const }),
    } as unknown as AdmissionOptions['rateLimiter'],
    formatError: (formatted) => formatted,
  };
  return createAdmission(options);
}
const partner = { kind: 'partner', partnerId: 'p' } as Caller;

describe('parseWithLimits and the admission step (the WebSocket pipeline)', () => {
  it('stops at the token limit and at the length limit with QUERY_TOO_COMPLEX', () => {
    const tokens = () => parseWithLimits(`{ viewer { ${'kind '.repeat(3000)} } }`, DEFAULT_LIMITS);
    expect(tokens).toThrow(GraphQLError);
    try {
      tokens();
    } catch (e) {
      expect((e as GraphQLError).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens' });
    }
    try {
      parseWithLimits(`{ viewer { kind } } #${'x'.repeat(40_000)}`, DEFAULT_LIMITS);
      throw new Error('not refused');
    } catch (e) {
      expect((e as GraphQLError).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'length' });
    }
  });

  it('answers parse errors, validation errors, introspection in production and cost like HTTP does', async () => {
    const check = async (query: unknown, production = false, variables?: unknown, operationName?: string) => {
      const r = await admissionOn(DEFAULT_LIMITS, production).admitPayload(
        { query, variables, operationName },
        partner,
        'req_unit',
      );
      return 'errors' in r ? r.errors.map((e) => e.extensions.code) : 'ok';
    };
    expect(await check('{ viewer { kind } }')).toBe('ok');
    expect(await check('{ viewer { kind }')).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(await check('{ viewer { kinds } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await check(42)).toEqual(['BAD_REQUEST']);
    expect(await check('{ __schema { types { name } } }')).toBe('ok');
    expect(await check('{ __schema { types { name } } }', true)).toEqual(['INTROSPECTION_DISABLED']);
    expect(
      await check('query A { viewer { kind } } query B { viewer { kind } }', false, undefined, 'C'),
    ).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    const costly =
      'query($n: Int) { accounts(first: $n) { nodes { transactions(first: $n) { nodes { id } } } } }';
    expect(await check(costly, false, { n: 5 })).toBe('ok');
    expect(await check(costly, false, { n: 100 })).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('caps validation errors at 100', () => {
    const wide = { ...DEFAULT_LIMITS, maxTokens: 100_000, maxQueryLength: 1e6 };
    const r = admissionOn(wide, false).document(
      `{ ${Array.from({ length: 5000 }, (_, i) => `f${i}`).join(' ')} }`,
    );
    expect('errors' in r && r.errors.length).toBeGreaterThan(50);
    expect('errors' in r && r.errors.length).toBeLessThanOrEqual(101);
  });
});

describe('maskError', () => {
  const logged: string[] = [];
  const log = createLogger(
    'debug',
    new Writable({
      write(chunk, _e, cb) {
        logged.push(String(chunk));
        cb();
      },
    }),
  );
  const mask = (e: GraphQLError, production = false) =>
    maskError(e.toJSON(), e, { requestId: 'req_unit_test_1', production, log });

  it('turns an unexpected error into INTERNAL_SERVER_ERROR and logs it redacted under the request id', () => {
    const secret = 'sk_test_LeakedKey123456789';
    const wrapped = new GraphQLError(`boom: cannot reach ${secret}`, {
      path: ['viewer'],
      originalError: new TypeError(`boom: cannot reach ${secret}`),
      extensions: { stacktrace: ['at x (/work/main/src/a.ts:1:1)'] },
    });
    const out = mask(wrapped);
    expect(out).toEqual({
      message: INTERNAL_MESSAGE,
      path: ['viewer'],
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: 'req_unit_test_1' },
    });
    const line = logged.find((l) => l.includes('req_unit_test_1'));
    expect(line).toBeDefined();
    expect(line).toContain('boom');
    expect(line).not.toContain(secret);
  });

  it('keeps a deliberate GatewayError (minus stacktrace/http) and adds the request id', () => {
    const e = new GatewayError(ErrorCode.NOT_FOUND, 'FinancialAccount fca_1 was not found.', {
      stacktrace: ['x'],
      http: { status: 404 },
    });
    expect(mask(e)).toEqual({
      message: 'FinancialAccount fca_1 was not found.',
      extensions: { code: 'NOT_FOUND', requestId: 'req_unit_test_1' },
    });
  });

  it('maps a Stripe error that escaped a resolver, never forwarding its text', () => {
    const stripeError = Stripe.errors.StripeError.generate({
      type: 'api_error',
      message: 'Stripe internal detail acct_1SECRET',
    } as Stripe.StripeRawError);
    const out = mask(new GraphQLError(stripeError.message, { originalError: stripeError }));
    expect(out.extensions?.code).toMatch(/^UPSTREAM_/);
    expect(JSON.stringify(out)).not.toContain('acct_1SECRET');
  });

  it('restores QUERY_TOO_COMPLEX and INTROSPECTION_DISABLED under Apollo wrappers, and hides suggestions in production', () => {
    const limit = new GraphQLError('too deep', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
    });
    expect(mask(limit).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth' });
    const intro = new GraphQLError('GraphQL introspection is not allowed by Apollo Server…', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' },
    });
    expect(mask(intro)).toMatchObject({
      message: 'Introspection is disabled.',
      extensions: { code: 'INTROSPECTION_DISABLED' },
    });
    const typo = new GraphQLError('Cannot query field "acount" on type "Query". Did you mean "account"?', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(mask(typo, true).message).toBe('Cannot query field "acount" on type "Query".');
    expect(mask(typo, false).message).toContain('Did you mean');
  });

  it('scrubs secret-shaped text even from deliberate messages', () => {
    const e = new GraphQLError('Variable "$id" got invalid value "sk_live_abcdef123456"', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(mask(e).message).not.toContain('sk_live_abcdef123456');
  });
});

describe('originAllowed', () => {
  it.each([
    [undefined, ['https://app.example.com'], true],
    ['https://app.example.com', ['https://app.example.com'], true],
    ['https://APP.example.com/', ['https://app.example.com'], true],
    ['https://evil.example', ['https://app.example.com'], false],
    ['null', ['https://app.example.com'], false],
    ['https://app.example.com.evil.example', ['https://app.example.com'], false],
    ['https://evil.example', ['*'], true],
  ])('%s against %j → %s', (origin, allowed, expected) => {
    expect(originAllowed(origin, allowed)).toBe(expected);
  });

  it("allows the gateway's own pages (same host as the request), and only those", () => {
    const allowed = ['https://app.example.com'];
    expect(originAllowed('http://gw.internal:4000', allowed, 'gw.internal:4000')).toBe(true);
    expect(originAllowed('http://gw.internal:4001', allowed, 'gw.internal:4000')).toBe(false);
    expect(originAllowed('null', allowed, 'gw.internal:4000')).toBe(false);
    expect(originAllowed('not a url', allowed, 'gw.internal:4000')).toBe(false);
  });
});

describe('caller rate limiter', () => {
  const log = createLogger('silent');
  const partner = { kind: 'partner' as const, partnerId: 'p1' };

  // One contract, both backends: in this process, and leased from a real Redis (services/auth/leased-window.ts).
  describe.each(['in memory', 'on Redis'] as const)('%s', (backend) => {
    let server: Awaited<ReturnType<typeof startRedis>> | undefined;
    let client: Redis | undefined;
    const store = () => client;
    beforeAll(async () => {
      if (backend === 'in memory') return;
      server = await startRedis();
      client = new Redis(server.url, { enableOfflineQueue: false });
      await new Promise((resolve) => client!.once('ready', resolve));
    });
    beforeEach(async () => {
      await client?.flushall();
    });
    afterAll(async () => {
      client?.disconnect();
      await server?.stop();
    });

    it('allows the budget, then refuses with a Retry-After within the minute', async () => {
      const limiter = createCallerRateLimiter({ perMinute: 3, log, redis: store() });
      for (let i = 0; i < 3; i += 1) expect(await limiter.consume(partner)).toEqual({ allowed: true });
      const refused = await limiter.consume(partner);
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(await limiter.consume({ kind: 'partner', partnerId: 'p2' })).toEqual({ allowed: true });
    });

    it('should refuse every caller of a partner once their operations together spend its budget', async () => {
      const limiter = createCallerRateLimiter({ perMinute: 2, perPartnerPerMinute: 3, log, redis: store() });
      const token = (customerId: string): Caller => ({
        kind: 'customer',
        partnerId: 'p1',
        customerId,
        expiresAt: Number.MAX_SAFE_INTEGER,
      });
      // Three callers of p1, one operation each: the partner's budget of 3 is spent.
      for (const caller of [partner, token('c1'), token('c2')])
        expect(await limiter.consume(caller)).toEqual({ allowed: true });
      const refused = await limiter.consume(token('c3'));
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((await limiter.consume(partner)).allowed).toBe(false);
      expect(await limiter.consume({ kind: 'partner', partnerId: 'p2' })).toEqual({ allowed: true });
    });

    it("should not spend the partner's budget on an operation the caller's own budget refused", async () => {
      const limiter = createCallerRateLimiter({ perMinute: 1, perPartnerPerMinute: 2, log, redis: store() });
      const noisy: Caller = { kind: 'customer', partnerId: 'p1', customerId: 'noisy', expiresAt: Infinity };
      expect((await limiter.consume(noisy)).allowed).toBe(true);
      for (let i = 0; i < 5; i++) expect((await limiter.consume(noisy)).allowed).toBe(false);
      // One of the partner's two is left for another of its callers.
      expect((await limiter.consume(partner)).allowed).toBe(true);
    });
  });

  it('keeps limiting in memory while Redis is unreachable (insurance limiter)', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    client.on('error', () => undefined);
    await redis.stop(); // the client never connects
    try {
      const limiter = createCallerRateLimiter({ perMinute: 2, redis: client, log });
      expect((await limiter.consume(partner)).allowed).toBe(true);
      expect((await limiter.consume(partner)).allowed).toBe(true);
      expect((await limiter.consume(partner)).allowed).toBe(false);
    } finally {
      client.disconnect();
    }
  });
});

describe('WebSocket connections per partner', () => {
  const socket = () => new EventEmitter() as unknown as WebSocket;
  const caller = (partnerId: string, customerId?: string): Caller =>
    customerId
      ? { kind: 'customer', partnerId, customerId, expiresAt: Infinity }
      : { kind: 'partner', partnerId };

  it("should count a partner's key and tokens together, up to the cap", () => {
    const cap = new ConnectionCap(2);
    expect(cap.admit(socket(), caller('p1'))).toBe(true);
    expect(cap.admit(socket(), caller('p1', 'c1'))).toBe(true);
    expect(cap.admit(socket(), caller('p1', 'c2'))).toBe(false);
    expect(cap.admit(socket(), caller('p2'))).toBe(true);
    expect(cap.held('p1')).toBe(2);
  });

  it("should free a partner's place when one of its sockets closes", () => {
    const cap = new ConnectionCap(1);
    const first = socket();
    expect(cap.admit(first, caller('p1'))).toBe(true);
    expect(cap.admit(socket(), caller('p1'))).toBe(false);
    (first as unknown as EventEmitter).emit('close');
    expect(cap.held('p1')).toBe(0);
    expect(cap.admit(socket(), caller('p1', 'c1'))).toBe(true);
  });
});

describe('production defaults (config.ts)', () => {
  const production = {
    NODE_ENV: 'production',
    PARTNER_KEYS: 'p1:key_0123456789abcdef',
    TOKEN_SECRET: 'x'.repeat(32),
    STRIPE_SECRET_KEY: 'sk_test_x',
  };

  it('should allow no foreign origin in production without ALLOWED_ORIGINS, and any outside production', () => {
    expect(parseConfig(production).allowedOrigins).toEqual([]);
    expect(originAllowed('https://evil.example', parseConfig(production).allowedOrigins, 'gw:4000')).toBe(
      false,
    );
    expect(parseConfig({ ...production, ALLOWED_ORIGINS: 'https://app.example' }).allowedOrigins).toEqual([
      'https://app.example',
    ]);
    expect(parseConfig({ PARTNER_KEYS: 'p1:key_0123456789abcdef' }).allowedOrigins).toEqual(['*']);
  });

  it('should validate the per-partner caps and give their defaults', () => {
    const c = parseConfig(production);
    expect([c.wsMaxConnectionsPerPartner, c.partnerRateLimitPerMinute]).toEqual([100, 6000]);
    // Ten callers' worth of the per-caller limit, unless set.
    expect(parseConfig({ ...production, RATE_LIMIT_PER_MINUTE: '50' }).partnerRateLimitPerMinute).toBe(500);
    expect(
      parseConfig({ ...production, RATE_LIMIT_PER_MINUTE: '50', PARTNER_RATE_LIMIT_PER_MINUTE: '70' })
        .partnerRateLimitPerMinute,
    ).toBe(70);
    expect(() => parseConfig({ ...production, WS_MAX_CONNECTIONS_PER_PARTNER: '0' })).toThrow(
      /Invalid WS_MAX_CONNECTIONS_PER_PARTNER: must be a positive integer/,
    );
    expect(() => parseConfig({ ...production, PARTNER_RATE_LIMIT_PER_MINUTE: 'many' })).toThrow(
      /Invalid PARTNER_RATE_LIMIT_PER_MINUTE: must be a positive integer/,
    );
  });
});
