// The failed-authentication budget never refuses a valid credential: keys and tokens are verified first, and only
// failures count, per client address and per presented credential (docs/security-catalogue.md AU11). Guessing meets
// 429 (HTTP) / 4403 (WS) once over either budget, while valid keys and tokens from the same address keep working.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createLogger } from '../../src/platform/logger';
import { createAuthFailureLimiter } from '../../src/services/auth/rate-limit';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const BUDGET = 3;
const VIEWER = '{ viewer { partnerId } }';

function wsCloseCode(url: string, token: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    class WithHeaders extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    const client = createClient({
      url,
      webSocketImpl: WithHeaders,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${token}` },
      on: {
        closed: (event) => resolve((event as { code: number }).code),
        connected: () => void client.dispose(),
      },
      onNonLazyError: () => undefined,
    });
  });
}

describe('authentication failure budget', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  /** Each test's own client address (TRUST_PROXY=1 believes one X-Forwarded-For hop). */
  let address = 0;
  const from = () => ({ 'x-forwarded-for': `198.51.100.${++address}` });

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_authFailureSuite0123456789',
      AUTH_FAILURES_PER_MINUTE: String(BUDGET),
      TRUST_PROXY: '1',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  const ask = (token: string, headers: Record<string, string>) =>
    gql(gw.graphqlUrl, VIEWER, undefined, { token, headers });

  it('should answer 401 to each wrong key within the budget, then 429, while valid keys of the same length work', async () => {
    const headers = from();
    const sameLength = (i: number) => `${i}`.padStart(PARTNER_A.apiKey.length, 'z');
    for (let i = 0; i < BUDGET; i++) {
      const wrong = await ask(sameLength(i), headers);
      expect({ status: wrong.status, codes: errorCodes(wrong) }).toEqual({
        status: 401,
        codes: ['UNAUTHENTICATED'],
      });
    }
    const before = gw.stripeRequests();
    const blocked = await ask(sameLength(99), headers);
    expect({ status: blocked.status, codes: errorCodes(blocked) }).toEqual({
      status: 429,
      codes: ['RATE_LIMITED'],
    });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Verified before the budget applies: both partners' keys answer from the blocked address.
    for (const partner of [PARTNER_A, PARTNER_B]) {
      const valid = await ask(partner.apiKey, headers);
      expect({ status: valid.status, data: valid.data, errors: valid.errors }).toEqual({
        status: 200,
        data: { viewer: { partnerId: partner.partnerId } },
        errors: undefined,
      });
    }
    // …and the guesses are still refused.
    expect((await ask(sameLength(100), headers)).status).toBe(429);
    expect(gw.stripeRequests()).toBe(before);
  });

  it('should refuse one wrong credential replayed from many addresses once it is over its own budget', async () => {
    const revoked = 'revoked_key_0123456789abcdef0123456789';
    const statuses: number[] = [];
    for (let i = 0; i <= BUDGET; i++) statuses.push((await ask(revoked, from())).status);
    expect(statuses).toEqual([...Array<number>(BUDGET).fill(401), 429]);
    // Another wrong credential from yet another address is answered on its own.
    expect((await ask('another_wrong_key_0123456789', from())).status).toBe(401);
  });

  it('should keep answering 401 to requests without a credential from many addresses (nothing to guess)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= BUDGET * 2; i++) {
      const r = await gql(gw.graphqlUrl, VIEWER, undefined, { headers: from() });
      statuses.push(r.status);
    }
    expect(statuses).toEqual(Array<number>(BUDGET * 2 + 1).fill(401));
  });

  it('should refuse a WebSocket with a wrong key from a blocked address with 4403, and accept a valid key from it', async () => {
    const headers = from();
    for (let i = 0; i <= BUDGET; i++) await ask(`ws_guess_${i}_0123456789`, headers);
    expect(await wsCloseCode(gw.wsUrl, 'ws_guess_9_0123456789', headers)).toBe(4403);
    // The valid key's socket is acknowledged (the test then closes it itself: 1000).
    expect(await wsCloseCode(gw.wsUrl, PARTNER_A.apiKey, headers)).toBe(1000);
  });
});

describe('AuthFailureLimiter', () => {
  const log = createLogger('silent');

  it('should block an address over its budget for every credential, and a credential over its budget from every address', async () => {
    const limiter = createAuthFailureLimiter({ perMinute: 2, log });
    expect(await limiter.recordFailure('10.0.0.1', 'fp1')).toBeNull();
    expect(await limiter.recordFailure('10.0.0.1', 'fp2')).toBeNull();
    // The third failure from the address: blocked, whatever the credential.
    expect(await limiter.recordFailure('10.0.0.1', 'fp3')).toEqual(expect.any(Number));
    // fp1 failed once; from two more addresses it is over its own budget.
    expect(await limiter.recordFailure('10.0.0.2', 'fp1')).toBeNull();
    expect(await limiter.recordFailure('10.0.0.3', 'fp1')).toEqual(expect.any(Number));
    expect(await limiter.recordFailure('10.0.0.4', 'fp4')).toBeNull();
  });
});
