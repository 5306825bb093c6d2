// GraphQL over HTTP as urql and graphql-request send it by default: queries as GET with a Bearer credential and no
// preflight header are answered; CSRF prevention still refuses what could ride on ambient credentials; mutations
// over GET stay 405; an expired customer token is told apart from an invalid one (reason TOKEN_EXPIRED).
import { SignJWT } from 'jose';
import { PARTNER_A, TEST_TOKEN_SECRET, startGateway, type StartedGateway } from '../helpers/gateway';
import { createCustomer, customerToken } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

/** urql's (and graphql-request's) `accept` header: the GraphQL-over-HTTP media type first. */
const CLIENT_ACCEPT = 'application/graphql-response+json, application/json';

const VIEWER = 'query Viewer { viewer { kind partnerId customer { id } } }';
const CUSTOMER = 'query Customer($id: ID!) { customer(id: $id) { id } }';

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** A GET as urql builds it (makeFetchURL): query, operationName and JSON variables in the URL, no content-type. */
async function getQuery(
  gw: StartedGateway,
  params: { query: string; operationName?: string; variables?: Record<string, unknown> },
  headers: Record<string, string>,
): Promise<Answer> {
  const url = new URL(gw.graphqlUrl);
  url.searchParams.set('query', params.query);
  if (params.operationName) url.searchParams.set('operationName', params.operationName);
  if (params.variables) url.searchParams.set('variables', JSON.stringify(params.variables));
  const res = await fetch(url, { method: 'GET', headers: { accept: CLIENT_ACCEPT, ...headers } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const codes = (a: Answer) => (a.body.errors ?? []).map((e) => e.extensions?.code);

/** A customer token signed like the gateway's own (services/auth/auth.ts), with a chosen expiry or secret. */
function signedToken(customerId: string, expSecondsFromNow: number, secret = TEST_TOKEN_SECRET) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ pid: PARTNER_A.partnerId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setIssuer('fc-graphql-gateway')
    .setAudience('fc-graphql-gateway:customer')
    .setIssuedAt(now - 120)
    .setExpirationTime(now + expSecondsFromNow)
    .sign(new TextEncoder().encode(secret));
}

describe('GraphQL over HTTP from client defaults', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let customerId: string;
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_httpGetClients0123456789',
    });
    customerId = (await createCustomer(gw, PARTNER_A.apiKey, 'CUSTOMER')).id;
    token = await customerToken(gw, PARTNER_A.apiKey, customerId);
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  describe('GET queries', () => {
    it("should answer urql's default GET (customer token, no preflight header) with 200 and the data", async () => {
      const a = await getQuery(
        gw,
        { query: VIEWER, operationName: 'Viewer' },
        { authorization: `Bearer ${token}` },
      );
      expect(a.status).toBe(200);
      expect(a.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      expect(a.body).toEqual({
        data: { viewer: { kind: 'CUSTOMER', partnerId: PARTNER_A.partnerId, customer: { id: customerId } } },
      });
    });

    it("should answer graphql-request's method: 'GET' with URL-encoded variables with 200", async () => {
      const a = await getQuery(
        gw,
        { query: CUSTOMER, operationName: 'Customer', variables: { id: customerId } },
        { authorization: `Bearer ${PARTNER_A.apiKey}` },
      );
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ data: { customer: { id: customerId } } });
    });

    it('should keep refusing a mutation over GET with 405, running nothing', async () => {
      const before = gw.stripeRequests();
      const a = await getQuery(
        gw,
        { query: 'mutation { createCustomer(input: {}) { customer { id } } }' },
        { authorization: `Bearer ${PARTNER_A.apiKey}` },
      );
      expect(a.status).toBe(405);
      expect(a.headers.get('allow')).toBe('POST');
      expect(codes(a)).toEqual(['BAD_REQUEST']);
      expect(gw.stripeRequests()).toBe(before);
    });
  });

  describe('CSRF prevention', () => {
    it('should refuse a GET with no Authorization and no preflight header as a potential CSRF (400)', async () => {
      const a = await getQuery(gw, { query: VIEWER }, {});
      expect(a.status).toBe(400);
      expect(codes(a)).toEqual(['BAD_REQUEST']);
      expect(a.body.errors?.[0].message).toMatch(/Cross-Site Request Forgery/);
    });

    it('should refuse a GET carrying Basic credentials (the kind a browser attaches by itself) before any operation runs', async () => {
      const before = gw.stripeRequests();
      const a = await getQuery(
        gw,
        { query: CUSTOMER, variables: { id: customerId } },
        { authorization: `Basic ${Buffer.from(`x:${PARTNER_A.apiKey}`).toString('base64')}` },
      );
      expect(a.status).toBe(401);
      expect(codes(a)).toEqual(['UNAUTHENTICATED']);
      expect(a.body.data ?? null).toBeNull();
      expect(gw.stripeRequests()).toBe(before);
    });
  });

  describe('expired and invalid customer tokens', () => {
    it('should answer an expired customer token with UNAUTHENTICATED and reason TOKEN_EXPIRED', async () => {
      const expired = await signedToken(customerId, -5);
      const a = await getQuery(gw, { query: VIEWER }, { authorization: `Bearer ${expired}` });
      expect(a.status).toBe(401);
      expect(a.body.errors).toHaveLength(1);
      expect(a.body.errors?.[0].extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'TOKEN_EXPIRED',
      });
      expect(JSON.stringify(a.body)).not.toContain(expired);
    });

    it.each([
      [
        'a token signed with another secret',
        () => signedToken('cus_x', 600, 'another-secret-0123456789abcdef01234567'),
      ],
      [
        'an expired token signed with another secret',
        () => signedToken('cus_x', -5, 'another-secret-0123456789abcdef01234567'),
      ],
      ['a garbage token', async () => 'not.a.token'],
      ['an unknown API key', async () => 'key_unknown_0123456789'],
    ])('should answer %s with UNAUTHENTICATED and no reason', async (_what, make) => {
      const a = await getQuery(gw, { query: VIEWER }, { authorization: `Bearer ${await make()}` });
      expect(a.status).toBe(401);
      expect(a.body.errors?.map((e) => e.extensions)).toEqual([
        { code: 'UNAUTHENTICATED', requestId: expect.any(String) },
      ]);
    });
  });
});
