// docs/deploying.md's generated blocks agree with the code: the event types the gateway subscribes to, the
// `stripe listen` line, and restricted-key permissions covering every Stripe endpoint the gateway calls.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { permissionOf, renderBlocks, renderDeployDoc, STRIPE_PERMISSIONS } from '../../src/deploy-docs';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/services/live/webhook-events.service';
import { createMetrics } from '../../src/platform/metrics';
import { GATEWAY_ENDPOINTS } from '../helpers/gateway-endpoints';

const ROOT = path.resolve(__dirname, '../..');
const page = readFileSync(path.join(ROOT, 'docs/deploying.md'), 'utf8');

describe('docs/deploying.md', () => {
  it('is what `npm run docs` renders from the code', () => {
    expect(renderDeployDoc(page)).toBe(page);
  });

  it('names every event type the gateway subscribes to, in the list and in the `stripe listen` line', () => {
    expect(SUBSCRIBED_EVENT_TYPES.length).toBeGreaterThan(15);
    const listen = /--events '([^']*)'/.exec(page)?.[1]?.split(',');
    expect(listen).toEqual([...SUBSCRIBED_EVENT_TYPES]);
    for (const type of SUBSCRIBED_EVENT_TYPES) expect(page).toContain(`- \`${type}\``);
  });

  it('fails the drift check on a planted disagreement: one event type removed from the code', () => {
    const [dropped, ...rest] = SUBSCRIBED_EVENT_TYPES;
    const stale = renderDeployDoc(page, renderBlocks(rest));
    expect(stale).not.toBe(page);
    expect(stale).not.toContain(`- \`${dropped}\``);
    // The page as committed no longer equals what the changed code renders: CI's `git diff` fails.
    expect(renderDeployDoc(stale)).toBe(page);
  });

  it('refuses a page that lost a generated block', () => {
    const cut = page.replace(/<!-- \/generated:stripe-listen -->/, '');
    expect(() => renderDeployDoc(cut)).toThrow(/generated:stripe-listen/);
  });

  it('restricted-key permissions cover every endpoint the gateway calls, writes with write access', () => {
    const endpoints = [...GATEWAY_ENDPOINTS];
    expect(endpoints.length).toBeGreaterThan(25);
    expect(endpoints.filter((e) => !permissionOf(e))).toEqual([]);
    expect(endpoints.filter((e) => !e.startsWith('GET ') && permissionOf(e)?.access !== 'write')).toEqual([]);
    // Each permission is needed by at least one endpoint (none listed for nothing).
    const used = new Set(endpoints.map((e) => permissionOf(e)?.resource));
    expect(STRIPE_PERMISSIONS.map((p) => p.resource).filter((r) => !used.has(r))).toEqual([]);
    // The ones the page once omitted.
    for (const r of ['Events', 'PaymentMethods', 'Mandates']) expect(page).toContain(`| ${r} |`);
    expect(permissionOf('GET /v1/customers/search')?.resource).toBe('Customers');
    expect(permissionOf('GET /v1/customers/{customer}/payment_methods')?.resource).toBe('PaymentMethods');
  });

  it('a planted endpoint outside every permission is caught', () => {
    expect(permissionOf('POST /v1/refunds')).toBeUndefined();
    expect(permissionOf('GET /v1/customersearch')).toBeUndefined();
  });
});

describe('metrics to watch', () => {
  // The metrics table itself is generated into docs/observability.md (test/unit/generated-docs.test.ts); the deploy
  // page's "Metrics to watch" says when to worry about each one, so it must not forget one either.
  const names = createMetrics()
    .registry.getMetricsAsArray()
    .map((m) => m.name);
  const unnamed = (all: readonly string[]) => all.filter((n) => !new RegExp(`\`${n}[\`{]`).test(page));

  it('docs/deploying.md (Metrics to watch) names every metric the gateway registers', () => {
    expect(names.length).toBeGreaterThan(10);
    // The page may name one with a selector: `graphql_operations_total{outcome="error"}`.
    expect(unnamed(names)).toEqual([]);
  });

  it('a planted metric missing from the page is caught', () => {
    expect(unnamed([...names, 'gateway_planted_total'])).toEqual(['gateway_planted_total']);
  });
});
