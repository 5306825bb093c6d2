// Customer tokens on graphql-ws as graphql-ws's own client meets them: connection_ack says when the token expires; at
// expiry the socket closes with a code the client retries, so a `connectionParams` function renews the token and the
// subscription continues, and receives what was pushed while it was away (its graphql-ws id resumes it, on this
// instance or, with Redis, another); a fixed token, or a bad one, closes with a code the client treats as fatal and
// it stops.
import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { PARTNER_A, TEST_TOKEN_SECRET, startGateway, type StartedGateway } from '../helpers/gateway';
import { customerToken, linkedCustomer } from '../helpers/linking';
import { listening, subscribed } from '../helpers/live';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { LiveEvent } from '../../src/services/live/live-events';

const REFRESHED = `subscription($accountId: ID) {
  financialAccountRefreshed(accountId: $accountId) { feature status financialAccount { id } }
}`;

const REFRESHED_BY_CUSTOMER = `subscription($customerId: ID) {
  financialAccountRefreshed(customerId: $customerId) { feature status financialAccount { id } }
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

/** Resolves once one of `gws` has published the live event `match` picks (across instances one of them does). */
function published(gws: StartedGateway[], match: (e: LiveEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const removers = gws.map((g) =>
      g.gateway.live.publisher.addSink((e) => {
        if (!match(e)) return;
        removers.forEach((remove) => remove());
        resolve();
      }),
    );
  });
}

/** Refreshes `feature` of `accountId` in the sandbox and resolves once a gateway of `gws` has pushed the outcome. */
async function pushRefresh(
  sandbox: StartedSandbox,
  gws: StartedGateway[],
  accountId: string,
  feature: 'balance' | 'ownership',
) {
  const pushed = published(
    gws,
    (e) => e.kind === 'account.refreshed' && e.accountId === accountId && e.feature === feature,
  );
  await sandbox.stripe.financialConnections.accounts.refresh(accountId, { features: [feature] });
  await pushed;
}

/**
 * graphql-ws's client as a renewing app would configure it: `connectionParams` asks the partner backend for a new
 * token after the first (short-lived) one, and `url` runs `whileAway` before each reconnection, i.e. after the
 * socket closed and before the subscription is sent again: what it pushes happened while the client was away.
 * `urls` are taken in turn (a load balancer sending the reconnection to another instance).
 */
function renewingClient(o: {
  urls: string[];
  mint: () => Promise<string>;
  first: string;
  whileAway: () => Promise<void>;
}) {
  const { seen, on } = observed();
  const dialed: string[] = [];
  const client = createClient({
    url: async () => {
      if (dialed.length > 0) await o.whileAway();
      dialed.push(o.urls[dialed.length % o.urls.length]);
      return dialed[dialed.length - 1];
    },
    webSocketImpl: WebSocket,
    connectionParams: async () => ({
      authorization: `Bearer ${seen.attempts <= 1 ? o.first : await o.mint()}`,
    }),
    on,
  });
  return { client, seen, dialed };
}

describe('customer tokens on graphql-ws', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let a: { customerId: string; accountId: string };
  let other: { customerId: string; accountId: string };
  const clients: Client[] = [];
  const track = (c: Client) => (clients.push(c), c);

  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 200 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    a = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    other = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
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

    // The resumed subscription is the same graphql-ws subscription (its id, drawn once per `subscribe`, is sent
    // again after the reconnection); what was published since it stopped comes first, then live pushes, each once.
    it('should deliver a push made while the client was away (after the 4403, before it subscribed again), once', async () => {
      const first = await shortLivedToken(a.customerId, 2);
      const { client, seen } = renewingClient({
        urls: [gw.wsUrl],
        first: first.token,
        mint: () => customerToken(gw, PARTNER_A.apiKey, a.customerId),
        whileAway: () => pushRefresh(sandbox, [gw], a.accountId, 'ownership'),
      });
      track(client);
      const sub = await subscribed<RefreshedMessage>(gw, client, REFRESHED, { accountId: a.accountId });
      await listening(gw, 1, 30_000);
      expect(seen.closes).toEqual([{ code: 4403, reason: 'Forbidden: token expired' }]);

      expect((await sub.next(15_000)).financialAccountRefreshed).toEqual({
        feature: 'OWNERSHIP',
        status: 'SUCCEEDED',
        financialAccount: { id: a.accountId },
      });
      await pushRefresh(sandbox, [gw], a.accountId, 'balance');
      // Next is the live push: the gap's push is not delivered twice.
      expect((await sub.next(15_000)).financialAccountRefreshed.feature).toBe('BALANCE');
      expect(sub.pending).toBe(0);
      sub.stop();
    });

    it("should not replay another customer's push made while the client was away", async () => {
      const first = await shortLivedToken(a.customerId, 2);
      const { client } = renewingClient({
        urls: [gw.wsUrl],
        first: first.token,
        mint: () => customerToken(gw, PARTNER_A.apiKey, a.customerId),
        whileAway: async () => {
          await pushRefresh(sandbox, [gw], other.accountId, 'balance');
          await pushRefresh(sandbox, [gw], a.accountId, 'ownership');
        },
      });
      track(client);
      const sub = await subscribed<RefreshedMessage>(gw, client, REFRESHED_BY_CUSTOMER, {
        customerId: a.customerId,
      });
      await listening(gw, 1, 30_000);
      // The other customer's push came first; the first message is this customer's.
      expect((await sub.next(15_000)).financialAccountRefreshed).toMatchObject({
        feature: 'OWNERSHIP',
        financialAccount: { id: a.accountId },
      });
      await pushRefresh(sandbox, [gw], a.accountId, 'balance');
      expect((await sub.next(15_000)).financialAccountRefreshed).toMatchObject({
        feature: 'BALANCE',
        financialAccount: { id: a.accountId },
      });
      expect(sub.pending).toBe(0);
      sub.stop();
    });
  });

  describe('beyond SUBSCRIPTION_RESUME_WINDOW_MS', () => {
    const WINDOW_MS = 1000;
    let short: StartedGateway;
    beforeAll(async () => {
      short = await startGateway({
        STRIPE_API_BASE: sandbox.url,
        SUBSCRIPTION_RESUME_WINDOW_MS: String(WINDOW_MS),
      });
    });
    afterAll(() => short?.close());

    // The choice: past the window nothing is replayed (the subscription starts afresh, as a new one would); an app
    // away that long re-reads what it shows (docs/architecture.md, the event path).
    it('should start afresh, without the push made while the client was away', async () => {
      const first = await shortLivedToken(a.customerId, 2);
      const { client } = renewingClient({
        urls: [short.wsUrl],
        first: first.token,
        mint: () => customerToken(short, PARTNER_A.apiKey, a.customerId),
        whileAway: async () => {
          await pushRefresh(sandbox, [short], a.accountId, 'ownership');
          await new Promise((r) => setTimeout(r, WINDOW_MS + 500)); // the window passes
        },
      });
      track(client);
      const sub = await subscribed<RefreshedMessage>(short, client, REFRESHED, { accountId: a.accountId });
      await listening(short, 1, 30_000);
      await pushRefresh(sandbox, [short], a.accountId, 'balance');
      expect((await sub.next(15_000)).financialAccountRefreshed.feature).toBe('BALANCE');
      expect(sub.pending).toBe(0);
      sub.stop();
    });
  });

  describe('two instances joined by Redis', () => {
    let redis: StartedRedis;
    let one: StartedGateway;
    let two: StartedGateway;
    beforeAll(async () => {
      redis = await startRedis();
      const env = { STRIPE_API_BASE: sandbox.url, REDIS_URL: redis.url };
      one = await startGateway(env);
      two = await startGateway(env);
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
      await redis?.stop();
    });

    it('should deliver, on the instance the client reconnects to, a push made while it was away', async () => {
      const first = await shortLivedToken(a.customerId, 2);
      const { client, dialed } = renewingClient({
        urls: [one.wsUrl, two.wsUrl],
        first: first.token,
        mint: () => customerToken(one, PARTNER_A.apiKey, a.customerId),
        whileAway: () => pushRefresh(sandbox, [one, two], a.accountId, 'ownership'),
      });
      track(client);
      const sub = await subscribed<RefreshedMessage>(one, client, REFRESHED, { accountId: a.accountId });
      await listening(two, 1, 30_000); // the token expired on instance one; the subscription is back on two
      expect(dialed).toEqual([one.wsUrl, two.wsUrl]);

      expect((await sub.next(15_000)).financialAccountRefreshed).toEqual({
        feature: 'OWNERSHIP',
        status: 'SUCCEEDED',
        financialAccount: { id: a.accountId },
      });
      await pushRefresh(sandbox, [one, two], a.accountId, 'balance');
      expect((await sub.next(15_000)).financialAccountRefreshed.feature).toBe('BALANCE');
      expect(sub.pending).toBe(0);
      // Instance two resumed it, from what instance one remembered and the stream in Redis.
      expect((await two.gateway.metrics.subscriptionResumes.get()).values[0]?.value).toBe(1);
      expect((await two.gateway.metrics.subscriptionEventsReplayed.get()).values[0]?.value).toBe(1);
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
