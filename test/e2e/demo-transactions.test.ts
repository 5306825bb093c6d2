// The demo keeps its transaction list with transactionUpdates and transactionUpdatesAvailable: after
// "Refresh transactions", postings and voids show on the page without a reload.
import { linkThroughHostedFlow } from './hosted-flow';
import { screenshots } from './screenshots';
import { useDemoStack } from './demo-stack';

jest.setTimeout(90_000);

const stack = useDemoStack({ refreshDelayMs: 50 });

it('shows posted and voided transactions as they are synced after each push, without reloading', async () => {
  const shots = screenshots('demo-transactions');
  const page = await stack.browser.newPage();
  const shot = (name: string) => shots.take(page, name);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, shot);
    const card = page.getByTestId('account').first();
    await card.getByTestId('transactions').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const seen = new Set<string>();
    for (let syncs = 1; syncs <= 6 && !(seen.has('posted') && seen.has('voided')); syncs++) {
      await card.getByTestId('refresh-transactions').click();
      // Each refresh ends in one push, and the page syncs once per push.
      await card.locator(`[data-testid="txn-sync-note"][data-syncs="${syncs}"]`).waitFor({ timeout: 20_000 });
      for (const change of await card
        .locator('tr[data-change]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-change')!)))
        seen.add(change);
    }
    await shot('synced-changes');
    expect(seen.has('posted')).toBe(true);
    expect(seen.has('voided')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
  } finally {
    await page.context().close();
  }
});
