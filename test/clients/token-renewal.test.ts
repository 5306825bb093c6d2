// Customer tokens on graphql-ws as graphql-ws's own client meets them: connection_ack says when the token expires; at
// expiry the socket closes with a code the client retries, so a `connectionParams` function renews the token and the
// subscription continues; a fixed token, or a bad one, closes with a code the client treats as fatal and it stops.
import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { PARTNER_A, TEST_TOKEN_SECRET, startGateway, type StartedGateway } from '../helpers/gateway';
import { customerToken, linkedCustomer } from '../helpers/linking';
import { listening, subscribed } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const REFRESHED = `subscription($accountId: ID) {
  financialAccountRefreshed(accountId: $accountId) { feature status financialAccount { id } }
}`;

interface RefreshedMessage {
  financialAccountRefreshed: { feature: string; status: string; financialAccount: { id: string } };
}

/**
 * A customer token exactly as the gateway signs one (services/auth/auth.ts), but living `seconds` from now: the
 * gateway's own minimum lifetime is 60 s, too long to wait for in a test.
 */
async function shortLivedToken(customerId: string, seconds: number, secret = TEST_TOKEN_SECRET) {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + seconds;
  const token = await new SignJWT({ pid: PARTNER_A.partnerId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setIssuer('fc-graphql-gateway')
    .setAudience('fc-graphql-gateway:customer')
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** What a graphql-ws client went through: its connection attempts, acks' payloads and close codes. */
function observed() {
  const seen = { attempts: 0, acks: [] as unknown[], closes: [] as { code: number; reason: string }[] };
  const on = {
    connecting: () => void (seen.attempts += 1),
    connected: (_socket: unknown, payload: unknown) => void seen.acks.push(payload),
    closed: (event: unknown) => {
      const { code, reason } = event as { code: number; reason: string };
      seen.closes.push({ code, reason: String(reason) });
    },
  };
  return { seen, on };
}

/** Subscribes with a sink that resolves with the subscription's terminal error (graphql-ws's close event). */
function subscriptionEnd(client: Client, accountId: string): Promise<{ code?: number; reason?: string }> {
  return new Promise((resolve) => {
    client.subscribe(
      { query: REFRESHED, variables: { accountId } },
      {
        next: () => undefined,
        error: (e) => resolve(e as { code?: number; reason?: string }),
        complete: () => resolve({}),
      },
    );
  });
}

describe('customer tokens on graphql-ws', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let a: { customerId: string; accountId: string };
  const clients: Client[] = [];
  const track = (c: Client) => (clients.push(c), c);

  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 200 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    a = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await gw?.close();
    await sandbox?.close();
  });

  describe('renewal with connectionParams as a function', () => {
    it('should continue a subscription whose token expires mid-stream with a token the function fetched', async () => {
      const first = await shortLivedToken(a.customerId, 2);
      const sent: string[] = [];
      const { seen, on } = observed();
      const client = track(
        createClient({
          url: gw.wsUrl,
          webSocketImpl: WebSocket,
          // The partner backend's route that mints a token (createCustomerToken with the partner key).
          connectionParams: async () => {
            const token =
              sent.length === 0 ? first.token : await customerToken(gw, PARTNER_A.apiKey, a.customerId);
            sent.push(token);
            return { authorization: `Bearer ${token}` };
          },
          on,
        }),
      );
      const sub = await subscribed<RefreshedMessage>(gw, client, REFRESHED, { accountId: a.accountId });
      expect(seen.acks).toEqual([{ expiresAt: first.expiresAt }]);

      // The same subscription is registered again once the client reconnected with the renewed token.
      await listening(gw, 1, 20_000);
      expect(seen.closes).toEqual([{ code: 4403, reason: 'Forbidden: token expired' }]);
      expect(sent).toHaveLength(2);
      expect(sent[1]).not.toBe(first.token);
      expect(seen.acks).toHaveLength(2);
      const renewed = seen.acks[1] as { expiresAt: string };
      expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));

      await sandbox.stripe.financialConnections.accounts.refresh(a.accountId, { features: ['balance'] });
      const pushed = (await sub.next(15_000)).financialAccountRefreshed;
      expect(pushed).toEqual({
        feature: 'BALANCE',
        status: 'SUCCEEDED',
        financialAccount: { id: a.accountId },
      });
      sub.stop();
    });
  });

  describe("graphql-ws's default client with a fixed token", () => {
    it('should stop after one retry when the token expires mid-stream (4403, then 4401 on the retry)', async () => {
      const fixed = await shortLivedToken(a.customerId, 2);
      const { seen, on } = observed();
      const client = track(
        createClient({
          url: gw.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${fixed.token}` },
          on,
        }),
      );
      const end = await subscriptionEnd(client, a.accountId);
      expect(end).toMatchObject({ code: 4401, reason: 'Unauthorized: token expired' });
      expect(seen.attempts).toBe(2);
      expect(seen.acks).toEqual([{ expiresAt: fixed.expiresAt }]);
      expect(seen.closes).toEqual([
        { code: 4403, reason: 'Forbidden: token expired' },
        { code: 4401, reason: 'Unauthorized: token expired' },
      ]);
    });

    it.each([
      [
        'an already expired token',
        async () => (await shortLivedToken('cus_x', -5)).token,
        'Unauthorized: token expired',
      ],
      [
        'a forged token',
        async () => (await shortLivedToken('cus_x', 600, 'forged-secret-0123456789abcdef0123456789')).token,
        'Unauthorized',
      ],
      ['an unknown API key', async () => 'key_unknown_0123456789', 'Unauthorized'],
    ])('should stop without retrying on %s (4401)', async (_what, make, reason) => {
      const { seen, on } = observed();
      const client = track(
        createClient({
          url: gw.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${await make()}` },
          on,
        }),
      );
      const end = await subscriptionEnd(client, a.accountId);
      expect(end).toMatchObject({ code: 4401, reason });
      expect(seen.attempts).toBe(1);
      expect(seen.acks).toEqual([]);
    });
  });

  it('should acknowledge a partner key without an expiry', async () => {
    const { seen, on } = observed();
    const client = track(
      createClient({
        url: gw.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${PARTNER_A.apiKey}` },
        on,
      }),
    );
    const sub = await subscribed(gw, client, REFRESHED, { accountId: a.accountId });
    expect(seen.acks).toEqual([undefined]);
    sub.stop();
  });
});
