// Partner webhook URLs that point inside the network are refused at registration and again at delivery (SSRF).
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { postWebhook, stripeEvent, TEST_WEBHOOK_SECRET } from '../helpers/live';
import { linkedCustomer } from '../helpers/linking';
import { waitUntil } from '../helpers/wait';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';
import { createEndpoint } from '../helpers/partner-webhooks';

const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { webhookEndpoint { id } } }`;

/**
 * Private addresses are refused (WEBHOOK_ALLOW_PRIVATE_URLS unset). Made-up `.test` names answer
 * through the gateway's DNS seam, so a test can change an answer between registration and delivery.
 */
describe('partner webhook URLs: no SSRF', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let receiver: Receiver;
  const dns = new Map<string, string[]>([
    ['public.example.test', ['93.184.216.34']],
    ['loopback.example.test', ['127.0.0.1']],
    ['private.example.test', ['10.0.0.5']],
    ['metadata.example.test', ['169.254.169.254']],
    ['mapped.example.test', ['::ffff:127.0.0.1']],
    ['mixed.example.test', ['93.184.216.34', '127.0.0.1']],
    ['rebinding.example.test', ['93.184.216.34']],
  ]);

  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway(
      {
        STRIPE_API_BASE: sandbox.url,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        WEBHOOK_RETRY_BASE_MS: '60000',
        RATE_LIMIT_PER_MINUTE: '100000',
      },
      {
        resolveWebhookHost: async (host) => {
          const answer = dns.get(host);
          if (!answer) throw new Error(`ENOTFOUND ${host}`);
          return answer;
        },
      },
    );
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  /**
   * Each refusal names its reason (src/services/partner-webhooks/address-policy.ts): the non-public address found, or
   * that the name did not resolve. Pinning it keeps a row from passing because another rule refused the URL.
   */
  const rows: [string, string, string][] = [
    ['IPv4 loopback', 'http://127.0.0.1:8080/hooks', '127.0.0.1'],
    ['IPv6 loopback', 'http://[::1]:8080/hooks', '::1'],
    ['private (10/8)', 'http://10.1.2.3/hooks', '10.1.2.3'],
    ['private (192.168/16)', 'http://192.168.0.10/hooks', '192.168.0.10'],
    ['link-local', 'http://169.254.1.1/hooks', '169.254.1.1'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['IPv6 metadata', 'http://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['multicast', 'http://224.0.0.1/hooks', '224.0.0.1'],
    ['IPv6 link-local', 'http://[fe80::1]/hooks', 'fe80::1'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hooks', '::ffff:7f00:1'],
    ['unspecified', 'http://0.0.0.0/hooks', '0.0.0.0'],
    ['decimal-encoded loopback (WHATWG parses it to 127.0.0.1)', 'http://2130706433/hooks', '127.0.0.1'],
    ['a hostname resolving to loopback', 'http://loopback.example.test:8080/hooks', '127.0.0.1'],
    ['a hostname resolving to a private address', 'http://private.example.test/hooks', '10.0.0.5'],
    ['a hostname resolving to the metadata address', 'http://metadata.example.test/hooks', '169.254.169.254'],
    [
      'a hostname resolving to an IPv4-mapped loopback',
      'http://mapped.example.test/hooks',
      '::ffff:127.0.0.1',
    ],
    ['a hostname with one private answer among public ones', 'http://mixed.example.test/hooks', '127.0.0.1'],
    ['a hostname that does not resolve', 'http://nowhere.example.test/hooks', 'did not resolve'],
  ];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  it.each(rows)('should refuse an endpoint at %s with BAD_USER_INPUT', async (_kind, url, reason) => {
    const r = await gql(
      gw.graphqlUrl,
      CREATE,
      { i: { url, events: ['financial_account.linked'] } },
      { token: PARTNER_A.apiKey },
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors?.[0].message).toMatch(/url/);
    const host = new URL(url).hostname;
    expect(r.errors?.[0].message).toMatch(
      reason === 'did not resolve'
        ? /the host did not resolve/
        : new RegExp(`${escape(host)} resolves to a non-public address \\(${escape(reason)}\\)`),
    );
  });

  it('should accept a public host', async () => {
    const r = await gql(
      gw.graphqlUrl,
      CREATE,
      { i: { url: 'http://public.example.test/hooks', events: ['financial_account.linked'] } },
      { token: PARTNER_A.apiKey },
    );
    expect(r.errors).toBeUndefined();
  });

  it('should check again at delivery: a DNS answer that turns private after registration gets no request', async () => {
    const port = new URL(receiver.url).port;
    const endpoint = await createEndpoint(
      gw,
      PARTNER_A.apiKey,
      `http://rebinding.example.test:${port}/hooks`,
      ['financial_account.linked'],
    );
    dns.set('rebinding.example.test', ['127.0.0.1']); // now it points at the receiver on loopback
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    const event = stripeEvent('financial_connections.account.created', account);
    expect((await postWebhook(gw, JSON.stringify(event))).status).toBe(200);
    let lastError: string | null = null;
    await waitUntil(async () => {
      const r = await gql<{
        webhookEndpoints: {
          nodes: { id: string; deliveries: { nodes: { attempts: number; lastError: string | null }[] } }[];
        };
      }>(
        gw.graphqlUrl,
        'query { webhookEndpoints(first: 5) { nodes { id deliveries(first: 5) { nodes { attempts lastError } } } } }',
        {},
        { token: PARTNER_A.apiKey },
      );
      const d = r.data?.webhookEndpoints.nodes.find((e) => e.id === endpoint.id)?.deliveries.nodes[0];
      lastError = d && d.attempts > 0 ? d.lastError : null;
      return lastError !== null;
    }, 'the first attempt to be recorded');
    expect(lastError).toMatch(/non-public address \(127\.0\.0\.1\)/);
    expect(receiver.received).toHaveLength(0);
  });
});
