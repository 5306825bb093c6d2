// The fast lane's response cache (src/transport/graphql/response-cache.ts): kept per caller, dropped with what it was built from.
import { CustomerDashboardDocument, TransactionUpdatesDocument } from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { customerToken, linkedCustomer } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('response cache', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  let a: Awaited<ReturnType<typeof linkedCustomer>>;

  const kept = () => gw.gateway.fastLane!.stats.kept;
  const dashboard = (token = PARTNER_A.apiKey) =>
    gql(gw.graphqlUrl, CustomerDashboardDocument, { id: a.customerId }, { token });

  beforeAll(async () => {
    sb = await startSandbox({ refreshDelayMs: 50 });
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      STRIPE_MAX_RPS: '100',
    });
    a = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER');
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('should answer a warm dashboard from the kept answer, with no Stripe request and the same body', async () => {
    const first = ok(await dashboard()); // first sight: Apollo Server
    ok(await dashboard()); // the lane executes and keeps the answer
    const before = kept();
    sb.sandbox.clearRequestLog();
    expect(ok(await dashboard())).toEqual(first);
    expect(kept()).toBe(before + 1);
    expect(sb.sandbox.requestLog).toEqual([]);
  });

  it('should drop the kept answer when an object it contains is invalidated, and show the new data', async () => {
    ok(await dashboard());
    const accountId = a.accountIds[0];
    const record = sb.sandbox.store.fcAccounts.get(accountId)!;
    (record.account as { display_name: string }).display_name = 'Renamed By Test';
    // What a webhook or the poller does for an account event (services/live): every tenant's copy is forgotten.
    await gw.gateway.readStore.invalidateAllTenants(`fca:${accountId}:*`);
    await gw.gateway.readStore.invalidateAllTenants('fcas:*');
    const before = kept();
    const fresh = ok(await dashboard());
    expect(kept()).toBe(before);
    const names = fresh.customer?.financialAccounts.nodes.map((n) => n.displayName);
    expect(names).toContain('Renamed By Test');
    // Built again from the new reads, it is kept again.
    expect(ok(await dashboard())).toEqual(fresh);
    expect(kept()).toBe(before + 1);
  });

  it("should never give one caller another caller's kept answer", async () => {
    ok(await dashboard());
    ok(await dashboard());
    const token = await customerToken(gw, PARTNER_A.apiKey, a.customerId);
    const before = kept();
    // Same document and variables as the partner's kept answer, another caller: executed on the lane, and kept
    // under this caller.
    ok(await dashboard(token));
    expect(kept()).toBe(before);
    ok(await dashboard(token));
    expect(kept()).toBe(before + 1);
  });

  it('should never keep an operation with a field outside the pure allowlist (transactionUpdates)', async () => {
    const vars = { accountId: a.accountIds[0], first: 2 };
    for (let i = 0; i < 3; i++) {
      const before = kept();
      ok(await gql(gw.graphqlUrl, TransactionUpdatesDocument, vars, { token: PARTNER_A.apiKey }));
      expect(kept()).toBe(before);
    }
  });
});
