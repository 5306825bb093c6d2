// What every demo browser test runs against: a sandbox, a gateway on it (partner keys configured and DEMO=true: the
// demo's server route uses the first key; the page never sees it) and headless Chromium, started before the tests.
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { startGateway, type StartedGateway } from '../helpers/gateway';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

export interface DemoStack {
  sandbox: StartedSandbox;
  gateway: StartedGateway;
  browser: LaunchedBrowser;
}

/** Registers the file's beforeAll/afterAll; the returned object is filled in before the first test runs. */
export function useDemoStack(sandboxOptions?: Parameters<typeof startSandbox>[0]): DemoStack {
  const stack = {} as DemoStack;
  beforeAll(async () => {
    stack.sandbox = await startSandbox(sandboxOptions);
    stack.gateway = await startGateway({ STRIPE_API_BASE: stack.sandbox.url, DEMO: 'true' });
    stack.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await stack.browser?.close();
    await stack.gateway?.close();
    await stack.sandbox?.close();
  });
  return stack;
}
