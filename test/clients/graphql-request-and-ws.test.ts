// graphql-request (POST and method: 'GET') and a bare graphql-ws client as docs/clients.md sets them up (its snippets,
// run as written), with a customer token the partner backend snippet mints.
import type { Client as WsClient } from 'graphql-ws';
import {
  installWebSocketGlobal,
  snippetLoader,
  startPartnerBackend,
  type PartnerBackend,
  recordedSnippets,
  type SentRequest,
} from '../helpers/docs-snippets';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { completeSession, createCustomer, linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { listening } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

interface DashboardData {
  viewer: { customer: { id: string; financialAccounts: { edges: { node: { id: string } }[] } } };
}
type Money = { amount: number; currency: string };
/** The part of graphql-request's GraphQLClient the test calls (its types are ESM-only, this suite CommonJS). */
interface GraphQLClient {
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
}

describe('graphql-request and graphql-ws (docs/clients.md)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let backend: PartnerBackend;
  let linked: LinkedCustomer;
  let load: ReturnType<typeof snippetLoader>;
  let ops: Record<string, string>;
  let sent: SentRequest[];

  beforeAll(async () => {
    installWebSocketGlobal();
    sandbox = await startSandbox({ refreshDelayMs: 50 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey, 'CUSTOMER', { prefetch: ['BALANCE'] });
    backend = await startPartnerBackend(gw.graphqlUrl, PARTNER_A.apiKey, linked.customerId);
    ({ load, sent, ops } = recordedSnippets(gw, backend.url));
  });
  afterAll(async () => {
    await backend?.close();
    await gw?.close();
    await sandbox?.close();
  });

  describe('graphql-request', () => {
    it('should POST the dashboard query and get the data', async () => {
      sent.length = 0;
      const data = await (load('graphql-request').gateway as GraphQLClient).request<DashboardData>(
        ops.DASHBOARD,
      );
      expect(data.viewer.customer.id).toBe(linked.customerId);
      expect(sent.map(({ method, status }) => ({ method, status }))).toEqual([
        { method: 'POST', status: 200 },
      ]);
    });

    it("should send method: 'GET' with URL-encoded variables and get 200", async () => {
      sent.length = 0;
      const data = await (load('graphql-request').gatewayOverGet as GraphQLClient).request<{
        financialAccount: { id: string };
      }>('query One($id: ID!) { financialAccount(id: $id) { id } }', { id: linked.accountId });
      expect(data.financialAccount.id).toBe(linked.accountId);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ method: 'GET', status: 200 });
      expect(new URL(sent[0].url).searchParams.get('variables')).toBe(
        JSON.stringify({ id: linked.accountId }),
      );
    });
  });

  describe('graphql-ws', () => {
    let socket: WsClient;
    afterAll(async () => {
      await socket?.dispose();
    });

    it('should push a refreshed balance to a subscription authenticated by the connectionParams function', async () => {
      const { createGatewaySocket, watchBalances } = load('graphql-ws') as {
        createGatewaySocket: () => WsClient;
        watchBalances: (socket: WsClient, accountId: string, onBalance: (b: Money[]) => void) => () => void;
      };
      socket = createGatewaySocket();
      const acked = new Promise<unknown>((resolve) =>
        socket.on('connected', (_s, payload) => resolve(payload)),
      );
      const opened = listening(gw);
      const balances: Money[][] = [];
      let onBalance: () => void = () => undefined;
      const balance = new Promise<Money[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no balance pushed in 15 s')), 15_000);
        onBalance = () => {
          clearTimeout(timer);
          resolve(balances[0]);
        };
      });
      const stop = watchBalances(socket, linked.accountId, (b) => {
        balances.push(b);
        onBalance();
      });
      await opened;
      // connection_ack tells when the customer token expires (docs/errors.md, close code 4403).
      expect(await acked).toEqual({ expiresAt: expect.any(String) });

      await sandbox.stripe.financialConnections.accounts.refresh(linked.accountId, { features: ['balance'] });
      const pushed = await balance;
      stop();
      const upstream = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
      expect(pushed).toEqual(
        Object.entries(upstream.balance!.current).map(([currency, amount]) => ({ amount, currency })),
      );
    });
  });

  describe('the mobile flow (React Native, iOS, Android, WebView)', () => {
    it("should link accounts through the backend's session route and read them through the gateway", async () => {
      // A new user: their gateway customer has nothing linked yet.
      const customer = await createCustomer(gw, PARTNER_A.apiKey, 'CUSTOMER');
      const mobileBackend = await startPartnerBackend(gw.graphqlUrl, PARTNER_A.apiKey, customer.id);
      try {
        const app = snippetLoader({
          config: { GATEWAY_URL: gw.graphqlUrl, GATEWAY_WS_URL: gw.wsUrl, BACKEND_URL: mobileBackend.url },
        });
        const gateway = app('graphql-request').gateway as GraphQLClient;
        const dashboard = () =>
          gateway.request<DashboardData>((app('operations') as Record<string, string>).DASHBOARD);
        expect((await dashboard()).viewer.customer.financialAccounts.edges).toEqual([]);

        // 1. The app asks the partner backend for a session: it gets the client secret and nothing else.
        const res = await fetch(`${mobileBackend.url}/api/link-session`, { method: 'POST' });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { clientSecret: string };
        expect(Object.keys(body)).toEqual(['clientSecret']);

        // 2. Stripe's SDK runs the authentication flow with it (here the sandbox's completion helper stands in).
        const session = sandbox.sandbox.store.findSessionByClientSecret(body.clientSecret);
        expect(session?.account_holder).toMatchObject({ customer: customer.id });
        const linkedAccounts = (await completeSession(sandbox, session!.id)).accounts.data.map((a) => a.id);

        // 3. The app reads the linked accounts through the gateway with its customer token.
        const ids = (await dashboard()).viewer.customer.financialAccounts.edges.map((e) => e.node.id);
        expect(ids.sort()).toEqual(linkedAccounts.sort());
        expect(mobileBackend.requests).toEqual(
          expect.arrayContaining(['/api/link-session', '/api/gateway-token']),
        );
      } finally {
        await mobileBackend.close();
      }
    });
  });
});
