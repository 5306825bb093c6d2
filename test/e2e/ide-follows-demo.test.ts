// The IDE's example tabs follow the account the demo linked last in this browser, read when the IDE page loads.
import type { Page } from 'playwright-core';
import { linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(120_000);

const stack = useDemoStack();

/** The AccountRefreshed tab's variables, as the IDE shows them. */
async function subscriptionVariables(ide: Page): Promise<string> {
  await ide
    .locator('.graphiql-tab-button')
    .filter({ hasText: /^\s*AccountRefreshed\s*$/ })
    .click();
  await ide
    .getByText(/subscription\sAccountRefreshed\b/)
    .first()
    .waitFor();
  await ide.getByRole('button', { name: /^variables$/i }).click();
  const editor = ide.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
  await editor.getByText('accountId').first().waitFor();
  return ((await editor.textContent()) ?? '').replace(/\s+/g, ' ');
}

it('should fill the subscription tab with the second linked account after the IDE is reloaded', async () => {
  const demo = await stack.browser.newPage();
  // Another tab of the same browser. This stack has partner keys configured, so the IDE holds no key and its schema
  // request is answered 401: the tabs' contents are what is checked here (ide.test.ts checks a clean IDE).
  const ide = await demo.context().newPage();
  try {
    await ide.goto(`${stack.gateway.url}/graphql`);
    await ide.locator('.graphiql-query-editor .monaco-editor').first().waitFor();

    await demo.goto(`${stack.gateway.url}/demo`);
    await demo.getByTestId('link-button').click();
    await linkThroughHostedFlow(demo, undefined, 'checking');
    const first = await demo.getByTestId('account').first().getAttribute('data-account-id');

    await ide.reload();
    expect(await subscriptionVariables(ide)).toContain(`"accountId": "${first}"`);

    await demo.getByTestId('link-button').click();
    await linkThroughHostedFlow(demo, undefined, 'savings');
    await demo.locator('[data-testid="account"]').nth(1).waitFor();
    const ids = await demo.getByTestId('account').evaluateAll((els) => els.map((e) => e.dataset.accountId));
    const second = ids.find((id) => id !== first)!;

    await ide.reload();
    const variables = await subscriptionVariables(ide);
    expect(variables).toContain(`"accountId": "${second}"`);
    expect(variables).not.toContain(first!);
  } finally {
    await demo.context().close();
  }
});
