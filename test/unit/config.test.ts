import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../src/platform/config';

/**
 * `node -e RUN_TYPESCRIPT <file.ts>` (in the repository root): runs a TypeScript entry point, every .ts file compiled
 * as it is required by swc with the options jest uses (jest.config.js), so nothing is built into dist/.
 */
const RUN_TYPESCRIPT = `
  const fs = require('node:fs');
  const path = require('node:path');
  const swc = require('@swc/core');
  const [[, options]] = Object.values(require('./jest.config.js').transform);
  require.extensions['.ts'] = (module, filename) =>
    module._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
  require(path.resolve(process.argv[1]));
`;

describe('parseConfig', () => {
  describe('defaults', () => {
    it('should run on the embedded sandbox with the demo partner when nothing is set', () => {
      const c = parseConfig({});
      expect(c.port).toBe(4000);
      expect(c.sandboxMode).toBe(true);
      expect(c.stripe.apiBase).toBe('http://127.0.0.1:12111');
      expect(c.partners).toEqual([{ partnerId: 'demo', apiKey: 'demo_partner_key' }]);
    });

    it('should not start a sandbox and default to a test key when STRIPE_API_BASE is set', () => {
      const c = parseConfig({ STRIPE_API_BASE: 'http://127.0.0.1:12999' });
      expect(c.sandboxMode).toBe(false);
      expect(c.stripe.apiBase).toBe('http://127.0.0.1:12999');
      expect(c.stripe.secretKey).toMatch(/^sk_test_/);
    });
  });

  describe('validation', () => {
    it('should name each bad variable on its own line', () => {
      let error: ConfigError | undefined;
      try {
        parseConfig({ PORT: 'abc', REDIS_URL: 'http://x', STRIPE_MAX_RPS: '-1' });
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.problems).toHaveLength(3);
      expect(error!.problems.join('\n')).toMatch(/^Invalid PORT: /m);
      expect(error!.problems.join('\n')).toMatch(/^Invalid REDIS_URL: /m);
      expect(error!.problems.join('\n')).toMatch(/^Invalid STRIPE_MAX_RPS: /m);
    });

    it('should never echo a secret value in its message', () => {
      expect(() => parseConfig({ STRIPE_SECRET_KEY: 'sk_nope_leaky', PARTNER_KEYS: 'p:short' })).toThrow(
        ConfigError,
      );
      try {
        parseConfig({ STRIPE_SECRET_KEY: 'sk_nope_leaky', PARTNER_KEYS: 'p:short' });
      } catch (e) {
        expect((e as Error).message).not.toMatch(/leaky|short/);
      }
    });

    it('should parse PARTNER_KEYS pairs', () => {
      const c = parseConfig({ PARTNER_KEYS: 'a:aaaaaaaaaa, b:bbbbbbbbbb' });
      expect(c.partners).toEqual([
        { partnerId: 'a', apiKey: 'aaaaaaaaaa' },
        { partnerId: 'b', apiKey: 'bbbbbbbbbb' },
      ]);
    });

    it('should require PARTNER_KEYS and TOKEN_SECRET in production against real Stripe', () => {
      expect(() => parseConfig({ NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_abc' })).toThrow(
        /PARTNER_KEYS[\s\S]*TOKEN_SECRET/,
      );
    });
  });

  describe('rotation and secrets at rest', () => {
    const production = {
      NODE_ENV: 'production',
      STRIPE_SECRET_KEY: 'sk_live_abc',
      PARTNER_KEYS: 'a:aaaaaaaaaa',
      TOKEN_SECRET: 'x'.repeat(32),
    };
    const KEY_HEX = 'ab'.repeat(32);
    const problemsOf = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };

    it('should read PARTNER_KEYS_FILE, pairs separated by commas or line breaks, instead of PARTNER_KEYS', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'partner-keys-'));
      const file = path.join(dir, 'partners');
      writeFileSync(file, 'a:aaaaaaaaaa\na:aaaaaaaaa2, b:bbbbbbbbbb\n\n');
      try {
        const c = parseConfig({ ...production, PARTNER_KEYS: '', PARTNER_KEYS_FILE: file });
        expect(c.partners).toEqual([
          { partnerId: 'a', apiKey: 'aaaaaaaaaa' },
          { partnerId: 'a', apiKey: 'aaaaaaaaa2' },
          { partnerId: 'b', apiKey: 'bbbbbbbbbb' },
        ]);
        expect(c.partnerKeysFile).toBe(file);
        expect(problemsOf({ ...production, PARTNER_KEYS_FILE: file })).toEqual([
          'Invalid PARTNER_KEYS_FILE: set PARTNER_KEYS or PARTNER_KEYS_FILE, not both',
        ]);
        writeFileSync(file, 'a:leaky');
        expect(problemsOf({ ...production, PARTNER_KEYS: '', PARTNER_KEYS_FILE: file })).toEqual([
          expect.stringMatching(/^Invalid PARTNER_KEYS_FILE: each entry must be partnerId:apiKey/),
        ]);
        expect(problemsOf({ ...production, PARTNER_KEYS: '', PARTNER_KEYS_FILE: `${file}.missing` })).toEqual(
          ['Invalid PARTNER_KEYS_FILE: cannot read it (ENOENT)'],
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('should require PARTNER_SECRETS_KEY in production with REDIS_URL, and accept hex or base64 keys', () => {
      const redis = { ...production, REDIS_URL: 'redis://127.0.0.1:6379' };
      expect(problemsOf(redis)).toEqual([
        expect.stringMatching(/^Invalid PARTNER_SECRETS_KEY: required when/),
      ]);
      expect(problemsOf(production)).toEqual([]);
      const hex = parseConfig({ ...redis, PARTNER_SECRETS_KEY: KEY_HEX });
      expect(hex.partnerSecretsKeys?.current).toEqual(Buffer.from(KEY_HEX, 'hex'));
      const base64 = Buffer.from(KEY_HEX, 'hex').toString('base64');
      expect(parseConfig({ ...redis, PARTNER_SECRETS_KEY: base64 }).partnerSecretsKeys?.current).toEqual(
        Buffer.from(KEY_HEX, 'hex'),
      );
      const short = problemsOf({ ...redis, PARTNER_SECRETS_KEY: 'leaky0123456789' });
      expect(short).toEqual([expect.stringMatching(/^Invalid PARTNER_SECRETS_KEY: must be 32 bytes/)]);
      expect(short.join()).not.toContain('leaky');
      expect(problemsOf({ ...production, PARTNER_SECRETS_KEY_PREVIOUS: KEY_HEX })).toEqual([
        expect.stringMatching(/^Invalid PARTNER_SECRETS_KEY_PREVIOUS: only with PARTNER_SECRETS_KEY/),
      ]);
    });

    it('should take TOKEN_SECRET_PREVIOUS only beside TOKEN_SECRET', () => {
      const previous = 'p'.repeat(32);
      expect(parseConfig({ ...production, TOKEN_SECRET_PREVIOUS: previous }).tokenSecretPrevious).toBe(
        previous,
      );
      expect(problemsOf({ TOKEN_SECRET_PREVIOUS: previous })).toEqual([
        expect.stringMatching(/^Invalid TOKEN_SECRET_PREVIOUS: only with TOKEN_SECRET/),
      ]);
    });
  });

  describe('TRUST_PROXY', () => {
    it('should read false, true, a hop count or a list of proxy addresses/CIDRs', () => {
      expect(parseConfig({}).trustProxy).toBe(false);
      expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
      expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
      expect(parseConfig({ TRUST_PROXY: '10.0.0.0/8, ::1,loopback' }).trustProxy).toEqual([
        '10.0.0.0/8',
        '::1',
        'loopback',
      ]);
    });

    it('should refuse anything else, naming TRUST_PROXY', () => {
      expect(() => parseConfig({ TRUST_PROXY: 'lb.internal' })).toThrow(/^Invalid TRUST_PROXY: /);
      expect(() => parseConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/^Invalid TRUST_PROXY: /);
    });
  });

  describe('DEMO and the upstream', () => {
    const key = { STRIPE_SECRET_KEY: 'sk_test_abc' };
    it('should keep the demo off against Stripe itself unless DEMO=true', () => {
      expect(parseConfig({ ...key, PARTNER_KEYS: 'a:aaaaaaaaaa' }).demo).toBe('off');
      expect(() => parseConfig(key)).toThrow(/^Invalid PARTNER_KEYS: required when the upstream is Stripe/);
      const on = parseConfig({ ...key, DEMO: 'true' });
      expect(on.demo).toBe('on');
      expect(on.partners).toEqual([{ partnerId: 'demo', apiKey: 'demo_partner_key' }]);
    });

    it('should leave an explicit STRIPE_API_BASE to the start-up identity check, and never demo in production', () => {
      expect(parseConfig({ ...key, STRIPE_API_BASE: 'https://stripe-proxy.internal' }).demo).toBe(
        'if-sandbox',
      );
      expect(parseConfig({ DEMO: 'false', PARTNER_KEYS: 'a:aaaaaaaaaa' }).demo).toBe('off');
    });

    it('should mint demo tokens under a real partner only with DEMO=true', () => {
      expect(parseConfig({ PARTNER_KEYS: 'a:aaaaaaaaaa' }).demo).toBe('off');
      expect(parseConfig({ PARTNER_KEYS: 'a:aaaaaaaaaa', DEMO: 'true' }).demo).toBe('on');
      expect(parseConfig({}).demo).toBe('if-sandbox');
      expect(() =>
        parseConfig({
          NODE_ENV: 'production',
          DEMO: 'true',
          PARTNER_KEYS: 'a:aaaaaaaaaa',
          TOKEN_SECRET: 'x'.repeat(32),
        }),
      ).toThrow(/^Invalid DEMO: /);
    });
  });

  describe('Stripe API versions', () => {
    it('should pin the installed stripe-node version unless STRIPE_API_VERSION says otherwise', () => {
      expect(parseConfig({}).stripe.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.[a-z]+$/);
      expect(parseConfig({ STRIPE_API_VERSION: '2025-03-31.basil' }).stripe.apiVersion).toBe(
        '2025-03-31.basil',
      );
      expect(parseConfig({}).stripe.v2ApiVersion).toMatch(/\.preview$/);
      expect(() => parseConfig({ STRIPE_API_VERSION: 'latest' })).toThrow(/^Invalid STRIPE_API_VERSION: /);
    });
  });

  describe('process start-up', () => {
    it('should exit non-zero with one readable line naming PORT when PORT=abc', () => {
      const root = path.resolve(__dirname, '../..');
      const r = spawnSync(process.execPath, ['-e', RUN_TYPESCRIPT, 'src/main.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH, PORT: 'abc' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBeNull();
      const lines = r.stderr.trim().split('\n');
      expect(lines).toEqual(['Invalid PORT: must be a port number (0-65535; 0: any free port)']);
    });
  });
});
