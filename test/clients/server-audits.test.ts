// graphql-http's own GraphQL-over-HTTP server audits against the gateway's /graphql: every MUST and SHOULD holds
// (MAY notices are allowed), for a client sending a bearer credential as every GraphQL client does.
import { serverAudits, type AuditResult } from 'graphql-http';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('graphql-http serverAudits', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  const results: { id: string; name: string; result: AuditResult }[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_serverAudits0123456789',
    });
    const audits = serverAudits({
      url: gw.graphqlUrl,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${PARTNER_A.apiKey}`);
        return fetch(input, { ...init, headers });
      },
    });
    // One after another: each audit is one request (or two), and their order is the library's.
    for (const audit of audits) results.push({ id: audit.id, name: audit.name, result: await audit.fn() });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should run the library audits, MUST and SHOULD among them', () => {
    // graphql-http 1.23: 13 MUST, 23 SHOULD, 25 MAY.
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(13);
    expect(results.filter((r) => r.name.startsWith('SHOULD')).length).toBeGreaterThanOrEqual(23);
  });

  it('should pass every MUST and SHOULD audit', async () => {
    const failed = await Promise.all(
      results
        .filter((r) => !r.name.startsWith('MAY') && r.result.status !== 'ok')
        .map(async ({ id, name, result }) => ({
          id,
          name,
          reason: result.status === 'ok' ? '' : result.reason,
          status: 'response' in result ? result.response.status : undefined,
          body: 'response' in result ? (await result.response.text()).slice(0, 300) : undefined,
        })),
    );
    expect(failed).toEqual([]);
  });

  it('should answer the MAY audits too (GET with URL-encoded variables and extensions, with a bearer credential)', () => {
    expect(
      results.filter((r) => r.name.startsWith('MAY') && r.result.status !== 'ok').map((r) => r.name),
    ).toEqual([]);
  });

  describe('request errors by media type (src/transport/http/json-client-status.ts)', () => {
    const send = (accept: string | undefined, body: unknown) =>
      fetch(gw.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${PARTNER_A.apiKey}`,
          ...(accept ? { accept } : {}),
        },
        body: JSON.stringify(body),
      });
    const FAILURES: [string, unknown, string][] = [
      ['a parse failure', { query: '{ viewer {' }, 'GRAPHQL_PARSE_FAILED'],
      ['a validation failure', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
      [
        'a variable that does not coerce',
        { query: 'query ($id: ID!) { customer(id: $id) { id } }', variables: { id: { not: 'an id' } } },
        'BAD_USER_INPUT',
      ],
    ];

    it.each(FAILURES)('should answer %s with 200 to Accept: application/json', async (_what, body, code) => {
      const res = await send('application/json', body);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
      expect(json.errors.map((e) => e.extensions.code)).toEqual([code]);
      expect(json.data).toBeUndefined();
    });

    it.each(FAILURES)(
      'should keep 400 for %s to a client preferring application/graphql-response+json, or accepting only */*',
      async (_what, body, code) => {
        for (const accept of ['application/graphql-response+json, application/json;q=0.9', undefined]) {
          const res = await send(accept, body);
          expect(res.status).toBe(400);
          const json = (await res.json()) as { errors: { extensions: { code: string } }[] };
          expect(json.errors.map((e) => e.extensions.code)).toEqual([code]);
        }
      },
    );

    it('should keep 401 for a refused credential whatever the Accept', async () => {
      const res = await fetch(gw.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: 'Bearer nope',
        },
        body: JSON.stringify({ query: '{ viewer { kind } }' }),
      });
      expect(res.status).toBe(401);
    });
  });
});
