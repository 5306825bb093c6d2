// A slow request body is cut: the server answers 408 and closes the connection (defaults: docs/configuration.md).
import { connect } from 'node:net';
import { parseConfig } from '../../src/platform/config';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

/** Sends headers declaring a large body, then one byte, and resolves with what the server sent before closing. */
function slowBody(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
          `authorization: Bearer ${PARTNER_A.apiKey}\r\ncontent-length: 100000\r\n\r\n{`,
      );
    });
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('HTTP timeouts', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_httpTimeouts0123456789',
      HTTP_BODY_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should cut a request whose body never completes with 408, before authentication', async () => {
    const before = gw.stripeRequests();
    expect(await slowBody(gw.graphqlUrl)).toMatch(/^HTTP\/1\.1 408 /);
    expect(gw.stripeRequests()).toBe(before);
  });

  it('should default to cutting a slow body within 30 s', () => {
    const config = parseConfig({ NODE_ENV: 'test' });
    expect(config.httpTimeouts.bodyMs).toBeLessThanOrEqual(30_000);
    expect(config.httpTimeouts.headersMs).toBeLessThanOrEqual(config.httpTimeouts.bodyMs);
  });
});
