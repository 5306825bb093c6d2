// /metrics behind METRICS_TOKEN, or on its own METRICS_PORT only.
import { startGateway } from '../helpers/gateway';
import { freePort } from '../helpers/ports';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('/metrics access', () => {
  let sandbox: StartedSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());
  const env = (extra: Record<string, string>) => ({
    STRIPE_API_BASE: sandbox.url,
    STRIPE_WEBHOOK_SECRET: 'whsec_metricsAccess0123456789',
    ...extra,
  });

  it('should require the Bearer METRICS_TOKEN', async () => {
    const gw = await startGateway(env({ METRICS_TOKEN: 'metrics-token-0123456789' }));
    try {
      expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${gw.url}/metrics`, {
        headers: { authorization: 'Bearer nope-0123456789abcdef' },
      });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${gw.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-0123456789' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('graphql_operations_total');
    } finally {
      await gw.close();
    }
  });

  it('should serve metrics on METRICS_PORT only', async () => {
    const port = await freePort();
    const gw = await startGateway(env({ METRICS_PORT: String(port) }));
    try {
      expect((await fetch(`${gw.url}/metrics`)).status).toBe(404);
      const separate = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(separate.status).toBe(200);
      expect(await separate.text()).toContain('graphql_operations_total');
    } finally {
      await gw.close();
    }
  });
});
