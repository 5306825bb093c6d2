// TOKEN_SECRET rotation: during the window (TOKEN_SECRET_PREVIOUS set) customer tokens and sync cursors sealed with
// the previous secret still open, new ones are sealed with the new secret only; without the previous secret the old
// ones are refused. Partner keys replaced at run time (PARTNER_KEYS_FILE on SIGHUP) take effect at once.
import { SignJWT } from 'jose';
import { Authenticator } from '../../src/services/auth/auth';
import { SyncCursorCodec } from '../../src/services/domain/sync-cursor';

const OLD = 'old-token-secret-0123456789abcdef0123456789';
const NEW = 'new-token-secret-0123456789abcdef0123456789';
const PARTNERS = [{ partnerId: 'partner_a', apiKey: 'key_partner_a_0123456789' }];
const bearer = (token: string) => `Bearer ${token}`;

describe('Authenticator', () => {
  describe('during a TOKEN_SECRET rotation', () => {
    const before = new Authenticator(PARTNERS, OLD);
    const during = new Authenticator(PARTNERS, NEW, OLD);
    const after = new Authenticator(PARTNERS, NEW);

    it('should accept a token signed with the previous secret, and refuse it once the window is closed', async () => {
      const { token } = await before.issueCustomerToken('partner_a', 'cus_1', 600);
      expect(await during.authenticate(bearer(token))).toMatchObject({
        kind: 'customer',
        partnerId: 'partner_a',
        customerId: 'cus_1',
      });
      expect(await after.authenticate(bearer(token))).toBeNull();
    });

    it('should sign new tokens with the new secret only', async () => {
      const { token } = await during.issueCustomerToken('partner_a', 'cus_2', 600);
      expect(await after.authenticate(bearer(token))).toMatchObject({ customerId: 'cus_2' });
      expect(await before.authenticate(bearer(token))).toBeNull();
    });

    it('should still say "expired" of an expired token signed with the previous secret, and never of a forged one', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sign = (secret: string) =>
        new SignJWT({ pid: 'partner_a' })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject('cus_3')
          .setIssuer('fc-graphql-gateway')
          .setAudience('fc-graphql-gateway:customer')
          .setIssuedAt(now - 7200)
          .setExpirationTime(now - 3600)
          .sign(new TextEncoder().encode(secret));
      expect(await during.isExpiredToken(bearer(await sign(OLD)))).toBe(true);
      expect(await during.authenticate(bearer(await sign(OLD)))).toBeNull();
      expect(
        await during.isExpiredToken(bearer(await sign('forged-secret-0123456789abcdef0123456789'))),
      ).toBe(false);
    });
  });

  describe('setPartners', () => {
    it('should accept the new keys and refuse removed ones and their customers’ tokens at once', async () => {
      const auth = new Authenticator(PARTNERS, NEW);
      const { token } = await auth.issueCustomerToken('partner_a', 'cus_4', 600);
      auth.setPartners([{ partnerId: 'partner_b', apiKey: 'key_partner_b_0123456789' }]);
      expect(await auth.authenticate(bearer('key_partner_b_0123456789'))).toEqual({
        kind: 'partner',
        partnerId: 'partner_b',
      });
      expect(await auth.authenticate(bearer('key_partner_a_0123456789'))).toBeNull();
      expect(await auth.authenticate(bearer(token))).toBeNull();
    });
  });
});

describe('SyncCursorCodec', () => {
  describe('during a TOKEN_SECRET rotation', () => {
    const state = { w: 'fctxnref_1', wt: 1_700_000_000 };

    it('should open a cursor sealed with the previous secret, and refuse it once the window is closed', () => {
      const cursor = new SyncCursorCodec(OLD).encode('fca_1', state);
      expect(new SyncCursorCodec(NEW, OLD).decode('fca_1', cursor)).toEqual(state);
      expect(() => new SyncCursorCodec(NEW).decode('fca_1', cursor)).toThrow(
        /not a transactionUpdates cursor/,
      );
    });

    it('should seal new cursors with the new secret only, still bound to their account', () => {
      const cursor = new SyncCursorCodec(NEW, OLD).encode('fca_1', state);
      expect(new SyncCursorCodec(NEW).decode('fca_1', cursor)).toEqual(state);
      expect(() => new SyncCursorCodec(OLD).decode('fca_1', cursor)).toThrow(
        /not a transactionUpdates cursor/,
      );
      expect(() => new SyncCursorCodec(NEW, OLD).decode('fca_2', cursor)).toThrow(
        /not a transactionUpdates cursor/,
      );
    });
  });
});
