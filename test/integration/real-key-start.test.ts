// The gateway as a real process (src/main.ts) with a real-looking Stripe key and no STRIPE_API_BASE: the upstream is
// Stripe itself, so the public demo partner and /demo are off unless DEMO=true, and start-up names the mode in one
// line. Nothing here reaches Stripe: start-up sends no request upstream, and the checked routes need none.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { transpiledMain, type MainProcess, type MainProcesses } from '../helpers/main-process';

type Run = MainProcess;

const PARTNER_KEYS = 'partner_a:key_partner_a_0123456789';

/** Resolves with the `count`-th line of the run's output containing `text`, once it was printed. */
function outputOf(r: Run, text: string, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const lines = r.out.split('\n').filter((l) => l.includes(text));
      if (lines.length < count) return;
      r.child.stdout!.off('data', check);
      resolve(lines[count - 1]);
    };
    r.child.stdout!.on('data', check);
    void r.exited.then(({ out }) => reject(new Error(`gateway exited before printing "${text}": ${out}`)));
    check();
  });
}

describe('start-up against Stripe itself (real process)', () => {
  let main: MainProcesses;
  const run = (env: Record<string, string>): Run => main.start(env);

  const viewerWith = (url: string, key: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { kind partnerId } }' }),
    });

  beforeAll(() => {
    main = transpiledMain('gateway-main-');
  });
  afterAll(() => main.close());

  it('stops with one line when there is no partner key and no DEMO=true', async () => {
    const { code, out } = await run({ STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef' }).exited;
    expect(code).toBe(1);
    expect(out.trim()).toBe(
      'Invalid PARTNER_KEYS: required when the upstream is Stripe (DEMO=true enables the public demo partner)',
    );
  });

  it.each([
    ['sk_test_0123456789abcdef', 'Stripe test mode'],
    ['sk_live_0123456789abcdef', 'Stripe live mode'],
  ])('with %s: no /demo, no demo partner, and the mode in one line', async (key, mode) => {
    const r = run({ STRIPE_SECRET_KEY: key, PARTNER_KEYS });
    const url = await r.ready;
    expect(r.out).toMatch(
      new RegExp(`^Mode: ${mode} \\(Stripe-Version \\d{4}-\\d{2}-\\d{2}\\.[a-z]+, `, 'm'),
    );
    expect(r.out).not.toMatch(/demo_partner_key|Demo app:/);
    expect(r.out).toMatch(/^Payment follow-up: in memory \(lost on restart; set REDIS_URL to keep it\)$/m);
    // No STRIPE_WEBHOOK_SECRET outside production: one warning, and the gateway runs (pushes come from polling).
    const warnings = r.out.split('\n').filter((l) => l.includes('STRIPE_WEBHOOK_SECRET'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40 });
    expect((await fetch(`${url}/demo`)).status).toBe(404);
    expect((await fetch(`${url}/demo/api/session`, { method: 'POST' })).status).toBe(404);
    expect((await viewerWith(url, 'demo_partner_key')).status).toBe(401);
    const partner = await viewerWith(url, 'key_partner_a_0123456789');
    expect(await partner.json()).toEqual({ data: { viewer: { kind: 'PARTNER', partnerId: 'partner_a' } } });
  });

  it('with NODE_ENV=production and no STRIPE_WEBHOOK_SECRET: stops with one line saying why', async () => {
    const { code, out } = await run({
      NODE_ENV: 'production',
      STRIPE_SECRET_KEY: 'sk_live_0123456789abcdef',
      PARTNER_KEYS,
      TOKEN_SECRET: 'production-token-secret-0123456789abcdef',
      METRICS_TOKEN: 'metrics-token-0123456789',
    }).exited;
    expect(code).toBe(1);
    expect(out.trim()).toBe(
      'Invalid STRIPE_WEBHOOK_SECRET: required with NODE_ENV=production against Stripe (webhooks carry ACH outcomes)',
    );
  });

  it('with PARTNER_KEYS_FILE: SIGHUP re-reads the file, and a broken file keeps the previous keys', async () => {
    const file = path.join(main.dir, 'partner-keys');
    writeFileSync(file, 'partner_a:key_partner_a_0123456789\n');
    const r = run({
      STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef',
      PARTNER_KEYS_FILE: file,
      LOG_LEVEL: 'info',
    });
    const url = await r.ready;
    const partnerOf = async (key: string) => {
      const res = await viewerWith(url, key);
      return res.status === 200
        ? ((await res.json()) as { data: { viewer: { partnerId: string } } })
        : res.status;
    };
    expect(await partnerOf('key_partner_a_0123456789')).toEqual({
      data: { viewer: { kind: 'PARTNER', partnerId: 'partner_a' } },
    });
    expect(await partnerOf('key_partner_b_0123456789')).toBe(401);

    // A new partner, and partner_a's key rotated: its old and new key both listed during the rotation.
    writeFileSync(
      file,
      'partner_a:key_partner_a_0123456789\npartner_a:key_partner_a_rotated_0123\npartner_b:key_partner_b_0123456789\n',
    );
    r.child.kill('SIGHUP');
    await outputOf(r, 'partner keys reloaded', 1);
    expect(await partnerOf('key_partner_b_0123456789')).toMatchObject({
      data: { viewer: { partnerId: 'partner_b' } },
    });
    expect(await partnerOf('key_partner_a_rotated_0123')).toMatchObject({
      data: { viewer: { partnerId: 'partner_a' } },
    });
    expect(await partnerOf('key_partner_a_0123456789')).toMatchObject({
      data: { viewer: { partnerId: 'partner_a' } },
    });

    // The rotation ends: the old key leaves the file.
    writeFileSync(file, 'partner_a:key_partner_a_rotated_0123,partner_b:key_partner_b_0123456789');
    r.child.kill('SIGHUP');
    await outputOf(r, 'partner keys reloaded', 2);
    expect(await partnerOf('key_partner_a_0123456789')).toBe(401);
    expect(await partnerOf('key_partner_a_rotated_0123')).toMatchObject({
      data: { viewer: { partnerId: 'partner_a' } },
    });

    // A broken file changes nothing, and its error names no key.
    writeFileSync(file, 'partner_c:short');
    r.child.kill('SIGHUP');
    const line = await outputOf(r, 'partner keys not reloaded', 1);
    expect(line).toContain('Invalid PARTNER_KEYS_FILE: each entry must be partnerId:apiKey');
    expect(line).not.toContain('short');
    expect(await partnerOf('key_partner_b_0123456789')).toMatchObject({
      data: { viewer: { partnerId: 'partner_b' } },
    });
    expect(r.child.exitCode).toBeNull();
  });

  it('on SIGTERM: closes everything and exits 0 (no handler of a library ends it first)', async () => {
    const r = run({ STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef', PARTNER_KEYS, LOG_LEVEL: 'info' });
    await r.ready;
    r.child.kill('SIGTERM');
    const { code, out } = await r.exited;
    expect(out).toContain('"msg":"shutting down"');
    expect(code).toBe(0);
  });

  it('with DEMO=true: the demo partner and /demo are on', async () => {
    const r = run({ STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef', DEMO: 'true' });
    const url = await r.ready;
    expect(r.out).toMatch(/^Mode: Stripe test mode .*demo on\)$/m);
    expect((await fetch(`${url}/demo`)).status).not.toBe(404);
    const demo = await viewerWith(url, 'demo_partner_key');
    expect(await demo.json()).toEqual({ data: { viewer: { kind: 'PARTNER', partnerId: 'demo' } } });
  });
});
