import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('gateway start-up', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should answer /healthz with 200', async () => {
    const res = await fetch(`${gw.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('should answer { __typename } for a partner', async () => {
    const r = await gql(gw.graphqlUrl, '{ __typename viewer { kind partnerId } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    expect(r.status).toBe(200);
    expect(r.data).toEqual({
      __typename: 'Query',
      viewer: { kind: 'PARTNER', partnerId: PARTNER_A.partnerId },
    });
  });

  it('should answer 401 UNAUTHENTICATED without a credential and send nothing to Stripe', async () => {
    const before = gw.stripeRequests();
    const r = await gql(gw.graphqlUrl, '{ __typename }');
    expect(r.status).toBe(401);
    expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
    expect(gw.stripeRequests()).toBe(before);
  });

  it('should expose Prometheus metrics', async () => {
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# HELP stripe_requests_total');
  });
});
