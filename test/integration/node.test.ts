// node(id) for every type that implements Node in the emitted schema: each round-trips for its owner, and answers
// NOT_FOUND alike for another partner, another customer's token and forged qualified ids.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildSchema, isInterfaceType } from 'graphql';
import { startGateway, PARTNER_A, PARTNER_B, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { ALL_FEATURES, ALL_PERMISSIONS, customerToken, linkedCustomer } from '../helpers/linking';
import { postWebhook, stripeEvent, TEST_WEBHOOK_SECRET } from '../helpers/live';
import { createPayment } from '../helpers/payment-intents';
import { createEndpoint } from '../helpers/partner-webhooks';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { waitUntil } from '../helpers/wait';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

/** Every object type implementing Node in the committed schema (what clients generate their types from). */
function nodeTypesOfSchema(): string[] {
  const sdl = readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8');
  const schema = buildSchema(sdl);
  const node = schema.getType('Node');
  if (!isInterfaceType(node)) throw new Error('schema/schema.graphql has no Node interface');
  return schema
    .getImplementations(node)
    .objects.map((t) => t.name)
    .sort();
}

const NODE = 'query($id: ID!) { node(id: $id) { __typename id } }';

interface Tenant {
  customerId: string;
  token: string;
  sessionId: string;
  accountId: string;
  ownershipId: string;
  ownerId: string;
  transactionId: string;
  paymentIntentId: string;
  setupIntentId: string;
  paymentMethodId: string;
  mandateId: string;
  endpointId: string;
  deliveryId: string;
}

describe('node(id)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let receiver: Receiver;
  let a: Tenant;
  let b: Tenant;
  /** A second customer of partner A, whose token must see none of customer A's objects. */
  let a2Token: string;

  const run = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    gql<Record<string, never>>(gw.graphqlUrl, query, variables, { token });

  /** Every object of one tenant, each id read from the field a client would read it from (never from node). */
  async function tenant(partnerKey: string): Promise<Tenant> {
    const linked = await linkedCustomer(gw, sandbox, partnerKey, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
      accounts: ['checking'],
    });
    const accountId = linked.accountId;
    type Owners = {
      financialAccount: {
        ownership: { id: string; owners: { nodes: { id: string }[] } } | null;
        transactions: { nodes: { id: string }[] };
      };
    };
    let read: Owners | undefined;
    await waitUntil(async () => {
      read = ok(
        await gql<Owners>(
          gw.graphqlUrl,
          `query($id: ID!) { financialAccount(id: $id) { ownership { id owners(first: 5) { nodes { id } } }
            transactions(first: 1) { nodes { id } } } }`,
          { id: accountId },
          { token: partnerKey },
        ),
      );
      const f = read.financialAccount;
      return !!f.ownership?.owners.nodes.length && f.transactions.nodes.length > 0;
    }, 'the prefetched ownership and transactions');
    const account = read!.financialAccount;
    const paymentIntentId = await createPayment(gw, partnerKey, {
      customerId: linked.customerId,
      accountId,
      idempotencyKey: randomUUID(),
    });
    const setup = ok(
      await gql<{
        createSetupIntent: {
          setupIntent: { id: string; paymentMethod: { id: string }; mandate: { id: string } };
        };
      }>(
        gw.graphqlUrl,
        'mutation($i: CreateSetupIntentInput!) { createSetupIntent(input: $i) { setupIntent { id paymentMethod { id } mandate { id } } } }',
        {
          i: {
            customerId: linked.customerId,
            financialAccountId: accountId,
            billingName: 'Node Test',
            idempotencyKey: randomUUID(),
          },
        },
        { token: partnerKey },
      ),
    ).createSetupIntent.setupIntent;
    // A delivery: the account's Stripe event, delivered to the partner's endpoint.
    const endpoint = await createEndpoint(gw, partnerKey, receiver.url, ['financial_account.linked']);
    const stripeAccount = await sandbox.stripe.financialConnections.accounts.retrieve(accountId);
    const posted = await postWebhook(
      gw,
      JSON.stringify(stripeEvent('financial_connections.account.created', stripeAccount)),
    );
    expect(posted.status).toBe(200);
    const delivered = await receiver.next(
      (r) => (r.event.data.financialAccount as { id: string } | undefined)?.id === accountId,
    );
    const log = ok(
      await gql<{
        webhookEndpoints: {
          nodes: { id: string; deliveries: { nodes: { id: string; eventId: string }[] } }[];
        };
      }>(
        gw.graphqlUrl,
        'query { webhookEndpoints(first: 10) { nodes { id deliveries(first: 10) { nodes { id eventId } } } } }',
        {},
        { token: partnerKey },
      ),
    );
    const deliveries = log.webhookEndpoints.nodes.find((e) => e.id === endpoint.id)!.deliveries.nodes;
    return {
      customerId: linked.customerId,
      token: await customerToken(gw, partnerKey, linked.customerId),
      sessionId: linked.sessionId,
      accountId,
      ownershipId: account.ownership!.id,
      ownerId: account.ownership!.owners.nodes[0].id,
      transactionId: account.transactions.nodes[0].id,
      paymentIntentId,
      setupIntentId: setup.id,
      paymentMethodId: setup.paymentMethod.id,
      mandateId: setup.mandate.id,
      endpointId: endpoint.id,
      deliveryId: deliveries.find((d) => d.eventId === delivered.event.id)!.id,
    };
  }

  /**
   * One id per Node type, read from tenant `t`, and whether only the partner may see it (webhook objects). A Node type
   * missing here fails the first test: add the type's resolution (registerNodeLoader) and its row.
   */
  const SAMPLES: Record<string, { id: (t: Tenant) => string; partnerOnly?: true }> = {
    Customer: { id: (t) => t.customerId },
    FinancialConnectionsSession: { id: (t) => t.sessionId },
    FinancialAccount: { id: (t) => t.accountId },
    Ownership: { id: (t) => t.ownershipId },
    AccountOwner: { id: (t) => t.ownerId },
    Transaction: { id: (t) => t.transactionId },
    PaymentIntent: { id: (t) => t.paymentIntentId },
    SetupIntent: { id: (t) => t.setupIntentId },
    PaymentMethod: { id: (t) => t.paymentMethodId },
    Mandate: { id: (t) => t.mandateId },
    WebhookEndpoint: { id: (t) => t.endpointId, partnerOnly: true },
    WebhookDelivery: { id: (t) => t.deliveryId, partnerOnly: true },
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ transactionsPerAccount: 3 });
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    receiver = await startReceiver();
    a = await tenant(PARTNER_A.apiKey);
    b = await tenant(PARTNER_B.apiKey);
    const other = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
    a2Token = await customerToken(gw, PARTNER_A.apiKey, other.customerId);
  }, 60_000); // two tenants linked through the hosted flow: a hang guard, not a time bound
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  it('should have a sample for every type implementing Node in schema/schema.graphql', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(nodeTypesOfSchema());
  });

  describe('round trip', () => {
    it.each(nodeTypesOfSchema())('should answer %s by the id its field gave, for its owner', async (type) => {
      const sample = SAMPLES[type];
      expect(sample).toBeDefined();
      const id = sample.id(a);
      for (const token of sample.partnerOnly ? [PARTNER_A.apiKey] : [PARTNER_A.apiKey, a.token]) {
        const r = await run(token, NODE, { id });
        expect(r.errors).toBeUndefined();
        expect(r.data?.node).toEqual({ __typename: type, id });
      }
    });
  });

  describe('authorization', () => {
    it.each(nodeTypesOfSchema())(
      "should answer NOT_FOUND for partner A's %s to partner B and to another customer's token",
      async (type) => {
        const id = SAMPLES[type].id(a);
        for (const token of [PARTNER_B.apiKey, a2Token]) {
          const r = await run(token, NODE, { id });
          expect(errorCodes(r)).toEqual(['NOT_FOUND']);
          expect(r.data?.node ?? null).toBeNull();
        }
      },
    );

    it("should answer NOT_FOUND for a webhook endpoint or delivery to its own partner's customer token", async () => {
      for (const id of [a.endpointId, a.deliveryId]) {
        const r = await run(a.token, NODE, { id });
        expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      }
    });

    it("should answer NOT_FOUND for a victim's ownership, owner or event qualified by the attacker's own parent", async () => {
      const own = (id: string) => id.split('.')[0];
      const forged = [
        `${own(a.ownershipId)}.${b.accountId}`, // A's ownership as if it were B's account's
        `${own(a.ownerId)}.${b.accountId}`, // A's owner listed under B's account
        `${own(a.deliveryId)}.${b.endpointId}`, // A's event as if delivered to B's endpoint
      ];
      for (const id of forged) {
        const r = await run(PARTNER_B.apiKey, NODE, { id });
        expect({ id, codes: errorCodes(r) }).toEqual({ id, codes: ['NOT_FOUND'] });
      }
    });

    it('should answer NOT_FOUND for a bare ownership or owner id and for malformed qualified ids', async () => {
      const own = (id: string) => id.split('.')[0];
      for (const id of [
        own(a.ownershipId),
        own(a.ownerId),
        `${a.ownershipId}.${a.accountId}`,
        `${own(a.ownershipId)}.`,
        `${own(a.ownershipId)}.fca_../x`,
      ]) {
        const r = await run(PARTNER_A.apiKey, NODE, { id });
        expect({ id, codes: errorCodes(r) }).toEqual({ id, codes: ['NOT_FOUND'] });
      }
    });
  });

  describe('qualified ids', () => {
    it('should keep the Stripe prefix first and stay the same however the object is reached', async () => {
      expect(a.ownershipId).toMatch(/^fcaowns_[A-Za-z0-9]+\.fca_[A-Za-z0-9]+$/);
      expect(a.ownerId).toMatch(/^fcaown_[A-Za-z0-9]+\.fca_[A-Za-z0-9]+$/);
      expect(a.deliveryId).toMatch(/^wevt_[0-9a-f]{24}\.we_[0-9a-f]{24}$/);
      const viaNode = ok(
        await gql<{ node: { owners: { nodes: { id: string }[] } } }>(
          gw.graphqlUrl,
          'query($id: ID!) { node(id: $id) { ... on Ownership { owners(first: 5) { nodes { id } } } } }',
          { id: a.ownershipId },
          { token: PARTNER_A.apiKey },
        ),
      );
      expect(viaNode.node.owners.nodes.map((o) => o.id)).toContain(a.ownerId);
      const endpoint = ok(
        await gql<{ node: { deliveries: { nodes: { id: string }[] } } }>(
          gw.graphqlUrl,
          'query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries(first: 10) { nodes { id } } } } }',
          { id: a.endpointId },
          { token: PARTNER_A.apiKey },
        ),
      );
      expect(endpoint.node.deliveries.nodes.map((d) => d.id)).toContain(a.deliveryId);
    });
  });
});
