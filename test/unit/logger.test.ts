import { Writable } from 'node:stream';
import { createLogger, scrubSecrets } from '../../src/platform/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

const SECRETS = [
  'sk_test_51Habcdefghijklmnop',
  'rk_live_abcdefghijklmnop',
  'whsec_abcdefghijklmnop',
  'fcsess_1AbC_secret_XyZ123',
  'pi_123_secret_456',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfMSJ9.c2lnbmF0dXJl',
];

describe('logger', () => {
  describe('scrubSecrets', () => {
    it.each(SECRETS)('should remove %s from free text', (secret) => {
      expect(scrubSecrets(`failed with ${secret} inside`)).toBe('failed with [REDACTED] inside');
    });
  });

  describe('createLogger', () => {
    it('should redact secrets in messages, nested fields, headers and errors', () => {
      const { lines, log } = capture();
      log.info(
        { headers: { authorization: 'Bearer demo_partner_key' }, nested: { note: SECRETS[0] } },
        `msg ${SECRETS[2]}`,
      );
      log.error({ err: new Error(`boom ${SECRETS[3]}`) }, 'failed');
      log.info({ clientSecret: 'anything-at-all', token: 'abc' }, 'fields');
      const out = lines.join('');
      for (const s of [...SECRETS.slice(0, 4), 'demo_partner_key', 'anything-at-all'])
        expect(out).not.toContain(s);
      expect(out).toContain('[REDACTED]');
      expect(out).toContain('boom');
    });

    it('should scrub whatever follows "Bearer" in free text of a log line', () => {
      const { lines, log } = capture();
      log.warn({ note: 'sent Bearer demo_partner_key' }, 'retrying with Bearer other_key_1');
      const out = lines.join('');
      expect(out).not.toContain('demo_partner_key');
      expect(out).not.toContain('other_key_1');
    });
  });

  describe('scrubSecrets (also applied to what clients read)', () => {
    it('should leave prose alone: only known secret formats are replaced', () => {
      const message = 'A valid Authorization: Bearer credential is required.';
      expect(scrubSecrets(message)).toBe(message);
    });
  });
});
