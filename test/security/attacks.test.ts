// The attack table (docs/security-catalogue.md): each row is one attack and its expected outcome, plus the common assertions.
import { SANDBOX_SECRET_KEY } from '../../src/sandbox/server';
import { startSandbox } from '../helpers/sandbox';
import { startRedis } from '../helpers/redis';
import {
  WEBHOOK_SECRET,
  gatewayEnvs,
  PARTNER_A,
  PARTNER_B,
  TEST_TOKEN_SECRET,
  assertErrorShape,
  assertNoLeak,
  assertStillServes,
  recordStripeCalls,
  startGateway,
  type GatewayName,
  type Harness,
  type Probe,
} from './harness';
import { assertWsErrorShape, type AttackRow } from './rows';
import { setUpTenants, tenancyRows } from './tenancy.rows';
import { authRows, corsRows, csrfRows, inputRows, limitRows, rateRows } from './transport.rows';
import { upstreamRows, webhookRows } from './upstream.rows';
import { wsRows } from './ws.rows';
import { edgeRows } from './edges.rows';
import { trustRows } from './trust.rows';
import type { StartedGateway } from '../helpers/gateway';

const ROWS: AttackRow[] = [
  ...authRows,
  ...inputRows,
  ...csrfRows,
  ...corsRows,
  ...limitRows,
  ...rateRows,
  ...wsRows,
  ...tenancyRows,
  ...upstreamRows,
  ...webhookRows,
  ...edgeRows,
  ...trustRows,
];

const gateways = new Map<GatewayName, StartedGateway>();
const h = {
  gw: (name: GatewayName = 'dev') => {
    const g = gateways.get(name);
    if (!g) throw new Error(`gateway ${name} not started`);
    return g;
  },
  secrets: new Set<string>([PARTNER_A.apiKey, PARTNER_B.apiKey, TEST_TOKEN_SECRET, SANDBOX_SECRET_KEY]),
} as Harness;

beforeAll(async () => {
  h.sandbox = await startSandbox({ refreshDelayMs: 50, achDelayMs: 50, deactivationDelayMs: 60_000 });
  h.redis = await startRedis();
  h.secrets.add(WEBHOOK_SECRET);
  for (const [name, env] of Object.entries(gatewayEnvs(h.redis.url)) as [
    GatewayName,
    Record<string, string>,
  ][]) {
    gateways.set(name, await startGateway({ STRIPE_API_BASE: h.sandbox.url, ...env }));
  }
  h.tenants = await setUpTenants(h);
}, 60_000);

afterAll(async () => {
  for (const g of gateways.values()) await g.close();
  await h.sandbox?.close();
  await h.redis?.stop();
});

describe('security attack table', () => {
  it('has at least 60 rows with unique ids', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ROWS.map((r) => r.id)).size).toBe(ROWS.length);
  });

  it.each(ROWS.map((r) => [`${r.id}: ${r.attack}`, r] as const))('%s', async (_title, row) => {
    if (row.needsTenants && !h.tenants.ready) {
      throw new Error(`cross-tenant data could not be set up: ${h.tenants.error ?? 'unknown'}`);
    }
    const gw = h.gw(row.on);
    // Cold reads: a lookup the row needs reaches Stripe every time, whatever earlier rows left in the cache.
    await gw.gateway.readStore.invalidateAllTenants('*');
    const stripeBefore = gw.stripeRequests();
    const writesBefore = h.sandbox.sandbox.requestLog.filter((e) => e.method !== 'GET').length;
    const recorder = recordStripeCalls(gw);

    let probe: Probe;
    try {
      probe = await row.run(h);
      await recorder.settled();
    } finally {
      recorder.stop();
    }
    // The attack's own Stripe requests (a row's expect may send comparison probes of its own).
    const made = gw.stripeRequests() - stripeBefore;
    const calls = [...recorder.calls].sort();
    if (process.env.SECURITY_PRINT_REQUESTS) console.log(`REQ ${row.id} ${made} ${JSON.stringify(calls)}`);
    await row.expect(probe, h);

    // Common assertions (docs/security-catalogue.md): exactly the Stripe requests the row needs (none for a
    // rejected request), nothing leaked, the error has a code and a request id, and the gateway still serves the
    // next valid request.
    const wanted =
      typeof row.stripeRequests === 'function' ? row.stripeRequests(probe) : (row.stripeRequests ?? 0);
    if (typeof wanted === 'number') expect({ row: row.id, made }).toEqual({ row: row.id, made: wanted });
    else {
      // Each call once: no retry, nothing more than the lookups the row needs.
      expect({ row: row.id, calls, made }).toEqual({
        row: row.id,
        calls: [...wanted].sort(),
        made: wanted.length,
      });
    }
    // No row may cause a write in the sandbox (cross-tenant mutations included).
    if (row.writes !== 'expected') {
      expect(h.sandbox.sandbox.requestLog.filter((e) => e.method !== 'GET').length).toBe(writesBefore);
    }
    assertNoLeak(probe.text, h.secrets, row.id);
    if (probe.kind === 'http') assertErrorShape(probe, row.id);
    else if (probe.kind === 'ws') assertWsErrorShape(probe);
    else for (const p of probe.probes) assertErrorShape(p, row.id);
    await assertStillServes(gw, row.nextAs?.(h));
  });

  it('logged no secret the suite used, on any gateway', () => {
    for (const [name, g] of gateways) {
      const text = g.logs.join('\n');
      for (const s of h.secrets) {
        if (s && text.includes(s)) throw new Error(`gateway ${name} logged a secret (${s.slice(0, 6)}…)`);
      }
      expect(text).not.toMatch(/_secret_[A-Za-z0-9]/);
    }
  });
});
