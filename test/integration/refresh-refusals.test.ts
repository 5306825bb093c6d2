// Refresh and subscribe refusals as Stripe answers them (docs/stripe-facts.md §10), over HTTP against the sandbox:
// an inactive or disconnected account is Stripe's `financial_connections_account_inactive`, mapped to
// REFRESH_UNAVAILABLE; a refresh still pending or before `next_refresh_available_at` has no Stripe code, so the gateway
// refuses it itself with REFRESH_UNAVAILABLE and sends Stripe nothing.
import type Stripe from 'stripe';
import {
  DisconnectFinancialAccountDocument,
  RefreshFinancialAccountDocument,
  SubscribeFinancialAccountDocument,
} from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const COOLDOWN_SECONDS = 3_600;

describe('refresh and subscribe refusals', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  const token = PARTNER_A.apiKey;

  beforeAll(async () => {
    sb = await startSandbox({ refreshDelayMs: 10, refreshCooldownSeconds: COOLDOWN_SECONDS });
    gw = await startGateway({ STRIPE_API_BASE: sb.url });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  /** The requests to Stripe `run` causes (method and path). */
  async function sent(run: () => Promise<unknown>): Promise<string[]> {
    const start = sb.sandbox.requestLog.length;
    await run();
    return sb.sandbox.requestLog.slice(start).map((e) => `${e.method} ${e.path}`);
  }

  const refresh = (accountId: string, features: ('BALANCE' | 'OWNERSHIP' | 'TRANSACTIONS')[]) =>
    gql(gw.graphqlUrl, RefreshFinancialAccountDocument, { input: { accountId, features } }, { token });

  /** A subscribe that Stripe refuses with its inactive-account code, answered REFRESH_UNAVAILABLE. */
  async function expectSubscribeRefused(accountId: string) {
    const subscribe = await gql(
      gw.graphqlUrl,
      SubscribeFinancialAccountDocument,
      { input: { accountId, features: ['TRANSACTIONS'] } },
      { token },
    );
    expect(errorCodes(subscribe)).toEqual(['REFRESH_UNAVAILABLE']);
    expect(subscribe.errors![0].extensions?.stripe).toMatchObject({
      code: 'financial_connections_account_inactive',
    });
  }

  const refreshed = (accountId: string, type: string) =>
    sb.sandbox.waitForEvent((e) => e.type === type && (e.data.object as { id?: string }).id === accountId);

  it('refuses a refresh before next_refresh_available_at with REFRESH_UNAVAILABLE, without sending the refresh to Stripe', async () => {
    const { accountId } = await linkedCustomer(gw, sb, token);
    const done = refreshed(accountId, 'financial_connections.account.refreshed_balance');
    expect(ok(await refresh(accountId, ['BALANCE'])).refreshFinancialAccount).toBeTruthy();
    const event = await done;
    const next = (event.data.object as unknown as Stripe.FinancialConnections.Account).balance_refresh!
      .next_refresh_available_at!;
    expect(next).toBeGreaterThan(Math.floor(Date.now() / 1000));

    let r!: Awaited<ReturnType<typeof refresh>>;
    const requests = await sent(async () => (r = await refresh(accountId, ['BALANCE'])));
    expect(errorCodes(r)).toEqual(['REFRESH_UNAVAILABLE']);
    expect(r.errors![0].extensions).toMatchObject({
      feature: 'BALANCE',
      nextRefreshAvailableAt: new Date(next * 1000).toISOString(),
    });
    // Decided on the account read again from Stripe (the copy first loaded may be cached); no refresh was POSTed.
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests)).toEqual(new Set([`GET /v1/financial_connections/accounts/${accountId}`]));

    // Another feature of the same account is not held back.
    expect(ok(await refresh(accountId, ['OWNERSHIP'])).refreshFinancialAccount).toBeTruthy();
  });

  it('answers Stripe’s financial_connections_account_inactive on an inactive account with REFRESH_UNAVAILABLE (refresh and subscribe)', async () => {
    const { accountId } = await linkedCustomer(gw, sb, token);
    const res = await fetch(
      `${sb.url}/v1/test_helpers/financial_connections/accounts/${accountId}/deactivate`,
      { method: 'POST', headers: { authorization: `Bearer ${sb.secretKey}` } },
    );
    expect(res.status).toBe(200);
    const refused = await refresh(accountId, ['BALANCE']);
    expect(errorCodes(refused)).toEqual(['REFRESH_UNAVAILABLE']);
    expect(refused.errors![0].extensions?.stripe).toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'financial_connections_account_inactive',
    });
    await expectSubscribeRefused(accountId);
  });

  it('answers a subscribe on a disconnected account with REFRESH_UNAVAILABLE (Stripe’s code)', async () => {
    const { accountId } = await linkedCustomer(gw, sb, token);
    ok(await gql(gw.graphqlUrl, DisconnectFinancialAccountDocument, { input: { accountId } }, { token }));
    await expectSubscribeRefused(accountId);
  });
});

describe('a refresh while one is pending', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  const token = PARTNER_A.apiKey;

  beforeAll(async () => {
    sb = await startSandbox({ refreshDelayMs: 600_000 }); // pending for the whole test
    gw = await startGateway({ STRIPE_API_BASE: sb.url });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('is refused with REFRESH_UNAVAILABLE after a fresh read, without sending the refresh to Stripe', async () => {
    const { accountId } = await linkedCustomer(gw, sb, token);
    const input = { input: { accountId, features: ['TRANSACTIONS' as const] } };
    ok(await gql(gw.graphqlUrl, RefreshFinancialAccountDocument, input, { token }));
    const start = sb.sandbox.requestLog.length;
    const second = await gql(gw.graphqlUrl, RefreshFinancialAccountDocument, input, { token });
    expect(errorCodes(second)).toEqual(['REFRESH_UNAVAILABLE']);
    expect(second.errors![0].extensions).toMatchObject({
      feature: 'TRANSACTIONS',
      nextRefreshAvailableAt: null,
    });
    const requests = sb.sandbox.requestLog.slice(start).map((e) => `${e.method} ${e.path}`);
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests)).toEqual(new Set([`GET /v1/financial_connections/accounts/${accountId}`]));
  });
});
