// The per-request DataLoaders against the sandbox: de-duplication, list priming, keyed lists, failures not cached.
import { createLoaders } from '../../src/services/stripe/loaders';
import { createPassThroughReadStore } from '../../src/services/stripe/stripe-reads';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('Stripe loaders', () => {
  let sandbox: StartedSandbox;
  let customerId: string;
  let accountIds: string[];
  const reads = createPassThroughReadStore().forTenant('p');

  /** Sandbox requests made while `run` ran. */
  async function requests(run: () => Promise<unknown>): Promise<string[]> {
    const start = sandbox.sandbox.requestLog.length;
    await run();
    return sandbox.sandbox.requestLog.slice(start).map((e) => `${e.method} ${e.path} ${e.status}`);
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ transactionsPerAccount: 12 });
    const c = await sandbox.stripe.customers.create({ email: 'loaders@example.com' });
    customerId = c.id;
    const s = await sandbox.stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer: c.id },
      permissions: ['balances', 'transactions'],
      prefetch: ['transactions'],
    });
    accountIds = sandbox.sandbox.completeSession(s.id).accounts.map((a) => a.id);
  });
  afterAll(() => sandbox?.close());

  it('should fetch an object once however many times one operation asks for it', async () => {
    const loaders = createLoaders(sandbox.stripe, reads);
    const sent = await requests(() => Promise.all([1, 2, 3].map(() => loaders.account.load(accountIds[0]))));
    expect(sent).toEqual([`GET /v1/financial_connections/accounts/${accountIds[0]} 200`]);
    expect(await requests(() => loaders.account.load(accountIds[0]))).toEqual([]);
  });

  it('should prime the account loader from a list, so each account costs nothing more', async () => {
    const loaders = createLoaders(sandbox.stripe, reads);
    const sent = await requests(async () => {
      await loaders.accountList.load({ holder: { customer: customerId }, limit: 10 });
      await Promise.all(accountIds.map((id) => loaders.account.load(id)));
    });
    expect(sent).toEqual(['GET /v1/financial_connections/accounts 200']);
  });

  it('should key list loaders by their parameters', async () => {
    const account = accountIds[0];
    // What Stripe answers for each parameter set, asked directly (newest first, 12 in the history).
    const all = (await sandbox.stripe.financialConnections.transactions.list({ account, limit: 100 })).data;
    expect(all).toHaveLength(12);
    const cutoff = all[3].transacted_at;
    const idsOf = (page: { data: { id: string }[] }) => page.data.map((t) => t.id);

    const loaders = createLoaders(sandbox.stripe, reads);
    let pages: { data: { id: string }[] }[] = [];
    const sent = await requests(async () => {
      pages = await Promise.all([
        loaders.transactionList.load({ account, limit: 5 }),
        loaders.transactionList.load({ account, limit: 5 }),
        loaders.transactionList.load({ account, limit: 3 }),
        loaders.transactionList.load({ account, limit: 5, transacted_at: { gt: cutoff } }),
      ]);
    });
    const [five, fiveAgain, three, newest] = pages;
    // One call per distinct parameter set; the repeated key shares its call and its page.
    expect(sent).toEqual(Array(3).fill('GET /v1/financial_connections/transactions 200'));
    expect(fiveAgain).toBe(five);
    expect(idsOf(five)).toEqual(all.slice(0, 5).map((t) => t.id));
    expect(idsOf(three)).toEqual(all.slice(0, 3).map((t) => t.id));
    const after = all.filter((t) => t.transacted_at > cutoff).map((t) => t.id);
    expect(after.length).toBeGreaterThan(0);
    expect(idsOf(newest)).toEqual(after.slice(0, 5));
  });

  it('should not cache a failure: the next load of the key asks Stripe again', async () => {
    const loaders = createLoaders(sandbox.stripe, reads);
    sandbox.sandbox.setFaults({ errorRate: 1 });
    try {
      await expect(loaders.customer.load(customerId)).rejects.toMatchObject({
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      });
    } finally {
      sandbox.sandbox.setFaults(null);
    }
    const sent = await requests(async () => {
      const c = await loaders.customer.load(customerId);
      expect(c.id).toBe(customerId);
    });
    expect(sent).toEqual([`GET /v1/customers/${customerId} 200`]);
  });

  it('should turn a 404 into NOT_FOUND without Stripe’s message', async () => {
    const loaders = createLoaders(sandbox.stripe, reads);
    const error = await loaders.account.load('fca_Missing000000000000').catch((e: Error) => e);
    expect(error).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect((error as Error).message).not.toMatch(/No such/);
  });

  it('should never hand out a session client_secret', async () => {
    const s = await sandbox.stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer: customerId },
      permissions: ['balances'],
    });
    expect(s.client_secret).toBeTruthy();
    const loaded = await createLoaders(sandbox.stripe, reads).session.load(s.id);
    expect(JSON.stringify(loaded)).not.toMatch(/_secret_/);
  });
});
