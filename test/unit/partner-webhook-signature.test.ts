// Partner delivery signing (src/services/partner-webhooks/signature.ts) against the `standardwebhooks` library's verify.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { scrubSecrets } from '../../src/platform/logger';
import {
  legacySignatureHeader,
  newSigningSecret,
  standardSecret,
  standardWebhookHeaders,
} from '../../src/services/partner-webhooks/signature';

const body = JSON.stringify({
  id: 'wevt_0123456789abcdef01234567',
  type: 'financial_account.linked',
  data: {},
});
const msgId = 'wevt_0123456789abcdef01234567';
const now = () => Math.floor(Date.now() / 1000);

describe('partner webhook signature', () => {
  describe('newSigningSecret', () => {
    it('should make whsec_ and 32 random bytes in base64, which the library takes as is', () => {
      const a = newSigningSecret();
      expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(a).not.toBe(newSigningSecret());
      expect(() => new Webhook(a)).not.toThrow();
    });

    it('should be scrubbed whole from logs, whatever base64 characters it holds', () => {
      const secret = `whsec_ab+/${randomBytes(30).toString('base64')}`;
      expect(scrubSecrets(`secret ${secret} end`)).toBe('secret [REDACTED] end');
    });
  });

  describe('standardWebhookHeaders', () => {
    it('should verify with Webhook.verify for the secret, and not for another', () => {
      const secret = newSigningSecret();
      const headers = standardWebhookHeaders(msgId, body, [secret], now());
      expect(headers['webhook-id']).toBe(msgId);
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
      expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow(
        'No matching signature found',
      );
    });

    it('should sign with every live secret, space-separated, so either verifies during a rotation', () => {
      const [current, previous, other] = [newSigningSecret(), newSigningSecret(), newSigningSecret()];
      const headers = standardWebhookHeaders(msgId, body, [current, previous], now());
      expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
      expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
      expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
      expect(() => new Webhook(other).verify(body, { ...headers })).toThrow();
    });

    it('should sign a secret made before Standard Webhooks (base64url) with its bytes, verifying once converted', () => {
      const bytes = randomBytes(32);
      const legacy = `whsec_${bytes.toString('base64url')}`;
      const converted = standardSecret(legacy);
      expect(converted).toBe(`whsec_${bytes.toString('base64')}`);
      expect(standardSecret(converted)).toBe(converted);
      const headers = standardWebhookHeaders(msgId, body, [legacy], now());
      expect(new Webhook(converted).verify(body, { ...headers })).toEqual(JSON.parse(body));
      // The conversion docs/partner-webhooks.md tells partners to make by hand gives the same secret.
      const byHand = legacy
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .replace(/^whsec\//, 'whsec_');
      expect(`${byHand}${'='.repeat((4 - ((byHand.length - 6) % 4)) % 4)}`).toBe(converted);
    });
  });

  describe('legacySignatureHeader (deprecated Gateway-Signature)', () => {
    it('should keep its format: t=<seconds> and one hex v1 per secret', () => {
      const header = legacySignatureHeader(body, [newSigningSecret(), newSigningSecret()], 1_700_000_000);
      expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    });
  });
});
