// Failed authentications are budgeted per client address and credential shape: guessing keys or tokens gets
// 429 (HTTP) / 4403 (WS) for credentials shaped like the guesses, while valid keys from the address keep working.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const BUDGET = 3;

function wsCloseCode(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: (event) => resolve((event as { code: number }).code) },
      onNonLazyError: () => undefined,
    });
    void client;
  });
}

describe('authentication failure budget', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_authFailureSuite0123456789',
      AUTH_FAILURES_PER_MINUTE: String(BUDGET),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should answer 401 to each wrong key within the budget, then 429 to that shape, while a valid key of another shape works', async () => {
    for (let i = 0; i < BUDGET; i++) {
      const wrong = await gql(gw.graphqlUrl, '{ viewer { partnerId } }', undefined, {
        token: `guess_${i}_0123456789`,
      });
      expect(wrong.status).toBe(401);
      expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    }
    const blocked = await gql(gw.graphqlUrl, '{ viewer { partnerId } }', undefined, {
      token: 'guess_9_0123456789',
    });
    expect(blocked.status).toBe(429);
    expect(errorCodes(blocked)).toEqual(['RATE_LIMITED']);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The guesses were 18-character keys; partner A's key is not shaped like them.
    const valid = await gql(gw.graphqlUrl, '{ viewer { partnerId } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    expect(valid.status).toBe(200);
    expect(valid.errors).toBeUndefined();
  });

  it('should refuse, unchecked, a right key shaped like the guesses once that shape is over budget', async () => {
    const sameShape = (i: number) => `${i}`.padStart(PARTNER_A.apiKey.length, 'z');
    for (let i = 0; i < BUDGET; i++) {
      await gql(gw.graphqlUrl, '{ viewer { partnerId } }', undefined, { token: sameShape(i) });
    }
    const before = gw.stripeRequests();
    const blocked = await gql(gw.graphqlUrl, '{ viewer { partnerId } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    expect(blocked.status).toBe(429);
    expect(errorCodes(blocked)).toEqual(['RATE_LIMITED']);
    expect(JSON.stringify(blocked.errors)).not.toContain(PARTNER_A.apiKey);
    expect(gw.stripeRequests()).toBe(before);
  });

  it('should refuse a WebSocket with a blocked shape from that address with 4403', async () => {
    expect(await wsCloseCode(gw.wsUrl, PARTNER_A.apiKey)).toBe(4403);
  });
});
