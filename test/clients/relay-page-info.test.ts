// Relay's PageInfo as Apollo Client's relayStylePagination and urql's graphcache read it: startCursor and
// hasPreviousPage next to endCursor and hasNextPage, page by page over a customer's linked accounts.
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const PAGE = `query Page($id: ID!, $after: String) {
  customer(id: $id) {
    financialAccounts(first: 1, after: $after) {
      edges { cursor node { id } }
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
    }
  }
}`;

interface Page {
  customer: {
    financialAccounts: {
      edges: { cursor: string; node: { id: string } }[];
      pageInfo: {
        hasNextPage: boolean;
        endCursor: string | null;
        hasPreviousPage: boolean;
        startCursor: string | null;
      };
    };
  };
}

describe('PageInfo', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let linked: LinkedCustomer;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_relayPageInfo0123456789',
    });
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should give startCursor and hasPreviousPage on every page, walking a connection forward to its end', async () => {
    expect(linked.accountIds.length).toBeGreaterThan(1);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page['customer']['financialAccounts'] = ok(
        await gql<Page>(gw.graphqlUrl, PAGE, { id: linked.customerId, after }, { token: PARTNER_A.apiKey }),
      ).customer.financialAccounts;
      expect(page.edges).toHaveLength(1);
      expect(page.pageInfo).toEqual({
        hasNextPage: page.pageInfo.hasNextPage,
        endCursor: page.edges[0].cursor,
        hasPreviousPage: after !== null,
        startCursor: page.edges[0].cursor,
      });
      seen.push(page.edges[0].node.id);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual([...linked.accountIds].sort());
  });

  it('should give a null startCursor on an empty page', async () => {
    const empty = `query($id: ID!) { customer(id: $id) { paymentIntents(first: 5) { pageInfo { hasPreviousPage startCursor endCursor hasNextPage } } } }`;
    const data = ok(
      await gql<{ customer: { paymentIntents: { pageInfo: unknown } } }>(
        gw.graphqlUrl,
        empty,
        { id: linked.customerId },
        { token: PARTNER_A.apiKey },
      ),
    );
    expect(data.customer.paymentIntents.pageInfo).toEqual({
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
      hasNextPage: false,
    });
  });
});
