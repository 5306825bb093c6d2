// Partner webhook secrets sealed at rest (src/services/partner-webhooks/secret-sealing.ts): bound to their endpoint,
// opened only by the current or previous key, and never echoed in an error.
import { createSecretSealer } from '../../src/services/partner-webhooks/secret-sealing';

const KEY_1 = Buffer.alloc(32, 1);
const KEY_2 = Buffer.alloc(32, 2);
const SECRET = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=';

describe('createSecretSealer', () => {
  describe('seal and open', () => {
    it('should give back the secret, sealed differently each time and never in clear', () => {
      const sealer = createSecretSealer({ current: KEY_1 });
      const [a, b] = [sealer.seal('we_1', SECRET), sealer.seal('we_1', SECRET)];
      expect(a).not.toBe(b);
      expect(a).toMatch(/^sealed:v1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
      expect(a).not.toContain('whsec_');
      expect(sealer.open('we_1', a)).toEqual({ secret: SECRET, stale: false });
    });

    it('should refuse a sealed secret copied into another endpoint', () => {
      const sealer = createSecretSealer({ current: KEY_1 });
      expect(() => sealer.open('we_2', sealer.seal('we_1', SECRET))).toThrow();
    });

    it('should take a secret stored in clear (before the key was set) as stale', () => {
      expect(createSecretSealer({ current: KEY_1 }).open('we_1', SECRET)).toEqual({
        secret: SECRET,
        stale: true,
      });
    });
  });

  describe('rotation', () => {
    it('should open with the previous key, say it is stale, and refuse an unknown key without echoing anything', () => {
      const sealed = createSecretSealer({ current: KEY_1 }).seal('we_1', SECRET);
      expect(createSecretSealer({ current: KEY_2, previous: KEY_1 }).open('we_1', sealed)).toEqual({
        secret: SECRET,
        stale: true,
      });
      const opening = () => createSecretSealer({ current: KEY_2 }).open('we_1', sealed);
      expect(opening).toThrow(
        /sealed with key [0-9a-f]{8}, neither PARTNER_SECRETS_KEY nor PARTNER_SECRETS_KEY_PREVIOUS/,
      );
      try {
        opening();
      } catch (e) {
        expect((e as Error).message).not.toContain(sealed.split(':')[3]);
      }
    });
  });
});
