// The account lifecycle through GraphQL: Stripe's notices in financialAccountUpdated, accountNumbers,
// the relink path of an inactive account, and the session options (limits, manual entry, filters).
import type { Client } from 'graphql-ws';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql } from '../helpers/gql';
import {
  postWebhook,
  stripeEvent,
  subscribe,
  TEST_WEBHOOK_SECRET,
  wsClient,
  type Subscription,
  listening,
} from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const UPDATED = `subscription($customerId: ID!) {
  financialAccountUpdated(customerId: $customerId) {
    type financialAccount { id status statusDetails { action expectedDeactivationAt }
      accountNumbers { identifierType status supportedNetworks expectedExpiryAt } }
  }
}`;
interface AccountNumbers {
  identifierType: string;
  status: string;
  supportedNetworks: string[];
  expectedExpiryAt: string | null;
}
interface Updated {
  financialAccountUpdated: {
    type: string;
    financialAccount: {
      id: string;
      status: string;
      statusDetails: { action: string; expectedDeactivationAt: string | null } | null;
      accountNumbers: AccountNumbers[] | null;
    };
  };
}
const CREATE_SESSION = `mutation($i: CreateFinancialConnectionsSessionInput!) {
  createFinancialConnectionsSession(input: $i) {
    session { id filters { countries accountSubcategories } limits { accounts } manualEntryMode }
  }
}`;
interface CreatedSession {
  createFinancialConnectionsSession: {
    session: {
      id: string;
      filters: { countries: string[] | null; accountSubcategories: string[] | null } | null;
      limits: { accounts: number } | null;
      manualEntryMode: string | null;
    };
  };
}

describe('account lifecycle', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let ws: Client;
  let sub: Subscription<Updated>;
  let customerId: string;
  const query = <T>(q: string, v: Record<string, unknown>) =>
    gql<T>(gw.graphqlUrl, q, v, { token: PARTNER_A.apiKey });

  async function link(institution: string, extra: Record<string, unknown> = {}) {
    const s = await query<CreatedSession>(CREATE_SESSION, {
      i: { customerId, permissions: ['PAYMENT_METHOD', 'TRANSACTIONS'], ...extra },
    });
    if (!s.data) throw new Error(JSON.stringify(s.errors));
    const done = sandbox.sandbox.completeSession(s.data.createFinancialConnectionsSession.session.id, {
      institution,
    });
    return {
      session: s.data.createFinancialConnectionsSession.session,
      accounts: done.accounts as { id: string }[],
    };
  }

  const received: Updated['financialAccountUpdated'][] = [];
  /** The push of `type` about `accountId`, whenever it came (pushes about several accounts interleave). */
  async function nextFor(accountId: string, type: string) {
    const match = (e: Updated['financialAccountUpdated']) =>
      e.financialAccount.id === accountId && e.type === type;
    for (;;) {
      const i = received.findIndex(match);
      if (i >= 0) return received.splice(i, 1)[0];
      received.push((await sub.next()).financialAccountUpdated);
    }
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ deactivationDelayMs: 20 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    sandbox.sandbox.addWebhookEndpoint({ url: `${gw.url}/webhooks/stripe`, secret: TEST_WEBHOOK_SECRET });
    const c = await query<{ createCustomer: { customer: { id: string } } }>(
      'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
      { i: { email: 'lifecycle@example.com' } },
    );
    customerId = c.data!.createCustomer.customer.id;
    ws = wsClient(gw, PARTNER_A.apiKey);
    const opened = listening(gw);
    sub = subscribe<Updated>(ws, UPDATED, { customerId });
    await opened;
  });
  afterAll(async () => {
    sub?.stop();
    await ws?.dispose();
    await gw?.close();
    await sandbox?.close();
  });

  it('should push tokenized account number notices and show accountNumbers (never a number)', async () => {
    const { accounts } = await link('fcinst_tokenized_account_number');
    const [expired, eventually, immediately] = accounts.map((a) => a.id);
    const updated = await nextFor(immediately, 'ACCOUNT_NUMBERS_UPDATED');
    expect(updated.financialAccount.accountNumbers).toEqual([
      expect.objectContaining({
        identifierType: 'TOKENIZED_ACCOUNT_NUMBER',
        status: 'DEACTIVATED',
        supportedNetworks: ['ach'],
      }),
    ]);
    const expiry = await nextFor(eventually, 'UPCOMING_ACCOUNT_NUMBER_EXPIRY');
    expect(expiry.financialAccount.accountNumbers?.[0]).toMatchObject({ status: 'TRANSACTABLE' });
    expect(Date.parse(expiry.financialAccount.accountNumbers![0].expectedExpiryAt!)).toBeGreaterThan(
      Date.now(),
    );
    const r = await query<{ financialAccount: { accountNumbers: AccountNumbers[] } }>(
      'query($id: ID!) { financialAccount(id: $id) { accountNumbers { identifierType status } } }',
      { id: expired },
    );
    expect(r.data!.financialAccount.accountNumbers).toEqual([
      { identifierType: 'TOKENIZED_ACCOUNT_NUMBER', status: 'DEACTIVATED' },
    ]);
    expect(JSON.stringify(r.data)).not.toMatch(/\d{6,}/);
  });

  it('should push UPCOMING_DEACTIVATION with the expected deactivation date', async () => {
    const { accounts } = await link('fcinst_eventually_requires_reauthentication');
    const e = await nextFor(accounts[0].id, 'UPCOMING_DEACTIVATION');
    expect(Date.parse(e.financialAccount.statusDetails!.expectedDeactivationAt!)).toBeGreaterThan(Date.now());
  });

  it('should relink an inactive account: a new session for the same customer makes the same id ACTIVE', async () => {
    const { accounts } = await link('fcinst_inactive_accounts');
    const id = accounts[0].id;
    expect((await nextFor(id, 'DEACTIVATED')).financialAccount.status).toBe('INACTIVE');
    const again = await link('fcinst_inactive_accounts');
    expect(again.accounts.map((a) => a.id)).toEqual([id]);
    // This institution deactivates again shortly after each link: the push shows the relinked state.
    expect((await nextFor(id, 'REACTIVATED')).financialAccount.status).toBe('ACTIVE');
  });

  it('should push SUPPORTED_PAYMENT_METHOD_TYPES_UPDATED', async () => {
    const { accounts } = await link('fcinst_test_non_oauth');
    const account = await sandbox.stripe.financialConnections.accounts.retrieve(accounts[0].id);
    const event = stripeEvent('financial_connections.account.supported_payment_method_types_updated', {
      ...account,
      supported_payment_method_types: ['link'],
    });
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    await nextFor(account.id, 'SUPPORTED_PAYMENT_METHOD_TYPES_UPDATED');
  });

  it('should pass limits.accounts and manualEntry.mode to Stripe and show filters and limits', async () => {
    const { session, accounts } = await link('fcinst_test_non_oauth', {
      limits: { accounts: 1 },
      manualEntry: { mode: 'DISABLED' },
      filters: { countries: ['us'], accountSubcategories: ['CHECKING', 'SAVINGS'] },
    });
    expect(session).toMatchObject({
      filters: { countries: ['US'], accountSubcategories: ['CHECKING', 'SAVINGS'] },
      limits: { accounts: 1 },
      manualEntryMode: 'DISABLED',
    });
    expect(accounts).toHaveLength(1);
    const bad = await query(CREATE_SESSION, {
      i: { customerId, permissions: ['BALANCES'], limits: { accounts: 0 } },
    });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});
