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
});
