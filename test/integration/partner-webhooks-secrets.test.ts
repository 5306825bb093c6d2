// Partner endpoint signing secrets at rest in Redis: sealed with PARTNER_SECRETS_KEY (no `whsec_` in the stored
// record), deliveries still verify with the secret the partner was given, a secret stored in clear before the key
// was set is sealed on first read, and a key rotation (PARTNER_SECRETS_KEY_PREVIOUS) re-seals with the new key.
import { Redis } from 'ioredis';
import type Stripe from 'stripe';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { linkedCustomer } from '../helpers/linking';
import { postWebhook, refreshedEvent, TEST_WEBHOOK_SECRET } from '../helpers/live';
import { createEndpoint } from '../helpers/partner-webhooks';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { waitUntil } from '../helpers/wait';
import { docsVerifier, startReceiver, type Receiver } from '../helpers/webhook-receiver';

const verify = docsVerifier();
const KEY_1 = '11'.repeat(32);
const KEY_2 = '22'.repeat(32);

describe('partner webhook secrets at rest (Redis)', () => {
  let redis: StartedRedis;
  let raw: Redis;
  let sandbox: StartedSandbox;
  let receiver: Receiver;
  let account: Stripe.FinancialConnections.Account;
  let endpoint: { id: string; secret: string };
  const gateways: StartedGateway[] = [];
  let last = 0;
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));

  const start = async (keys: Record<string, string>) => {
    const gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      REDIS_URL: redis.url,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...keys,
    });
    gateways.push(gw);
    // Its Redis connection up (a webhook is answered 503 until then, for Stripe to retry it).
    await waitUntil(async () => (await fetch(`${gw.url}/readyz`)).status === 200, 'the gateway to be ready');
    return gw;
  };
  const stored = async () => (await raw.get(`fcgw:pwh:ep:${endpoint.id}`))!;
  /** Sends one Stripe event to `gw` and returns the delivery the receiver got, verified with the partner's secret. */
  const deliverOne = async (gw: StartedGateway) => {
    const at = tick();
    const body = JSON.stringify(refreshedEvent(account, 'balance', at, { created: at }));
    expect((await postWebhook(gw, body)).status).toBe(200);
    const delivery = await receiver.next((r) => r.event.type === 'financial_account.refreshed');
    return verify(delivery.body, delivery.headers, endpoint.secret);
  };

  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
    sandbox = await startSandbox();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
    raw?.disconnect();
    await receiver?.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it('should store the secret in clear without PARTNER_SECRETS_KEY, and say so at start-up', async () => {
    const gw = await start({});
    expect(gw.logs.some((l) => l.includes('PARTNER_SECRETS_KEY is unset'))).toBe(true);
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    endpoint = await createEndpoint(gw, PARTNER_A.apiKey, receiver.url);
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(await stored()).toContain(endpoint.secret);
    await gw.close();
  });

  it('should seal a secret stored in clear on first read once the key is set, and deliveries still verify', async () => {
    const gw = await start({ PARTNER_SECRETS_KEY: KEY_1 });
    expect(gw.logs.some((l) => l.includes('PARTNER_SECRETS_KEY is unset'))).toBe(false);
    expect(await deliverOne(gw)).toMatchObject({ type: 'financial_account.refreshed' });
    const record = await stored();
    expect(record).not.toContain('whsec_');
    expect(record).not.toContain(endpoint.secret.slice('whsec_'.length));
    expect(JSON.parse(record)).toMatchObject({
      id: endpoint.id,
      secret: expect.stringMatching(/^sealed:v1:/),
    });
    await gw.close();
  });

  it('should seal the secret of an endpoint created with the key, never writing it in clear', async () => {
    const gw = await start({ PARTNER_SECRETS_KEY: KEY_1 });
    const second = await createEndpoint(gw, PARTNER_A.apiKey, `${receiver.url}/second`);
    const record = (await raw.get(`fcgw:pwh:ep:${second.id}`))!;
    expect(record).not.toContain('whsec_');
    expect(JSON.parse(record).secret).toMatch(/^sealed:v1:/);
    // Deleted again so that each event below is delivered once.
    await raw.del(`fcgw:pwh:ep:${second.id}`);
    await raw.srem('fcgw:pwh:eps', second.id);
    await raw.zrem(`fcgw:pwh:eps:${PARTNER_A.partnerId}`, second.id);
    await gw.close();
  });

  it('should seal every secret again with the new key at start-up during a rotation, and deliveries still verify', async () => {
    const before = JSON.parse(await stored()).secret as string;
    const gw = await start({ PARTNER_SECRETS_KEY: KEY_2, PARTNER_SECRETS_KEY_PREVIOUS: KEY_1 });
    // Before any delivery read it: start-up re-seals them all and says when the previous key may go.
    await waitUntil(
      () =>
        gw.logs.some((l) =>
          l.includes('partner webhook secrets sealed with the current PARTNER_SECRETS_KEY'),
        ),
      'the re-sealing line',
    );
    const after = JSON.parse(await stored()).secret as string;
    expect(after).toMatch(/^sealed:v1:/);
    // The key id (the part after sealed:v1:) names the new key now.
    expect(after.split(':')[2]).not.toBe(before.split(':')[2]);
    expect(await deliverOne(gw)).toMatchObject({ type: 'financial_account.refreshed' });
    await gw.close();

    // The rotation is over: the new key alone opens it.
    const only = await start({ PARTNER_SECRETS_KEY: KEY_2 });
    expect(await deliverOne(only)).toMatchObject({ type: 'financial_account.refreshed' });
    expect(JSON.parse(await stored()).secret).toBe(after);
  });
});
