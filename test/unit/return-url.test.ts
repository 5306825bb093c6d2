// returnUrl validation: https only, localhost http outside production, credentials refused, host allowlist.
import { GatewayError } from '../../src/platform/errors';
import { validateReturnUrl } from '../../src/services/domain/return-url';

const dev = { production: false, returnUrlHosts: [] };
const prod = { production: true, returnUrlHosts: [] };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    return e instanceof GatewayError ? String(e.extensions.code) : 'OTHER';
  }
}

describe('validateReturnUrl', () => {
  it.each([
    ['https://app.example.com/done', dev],
    ['https://app.example.com/done?x=1#y', prod],
    ['http://localhost:3000/cb', dev],
    ['http://127.0.0.1/cb', dev],
    ['myapp-universal-link.example/x'.replace(/^/, 'https://'), prod],
  ])('should accept %s', (url, policy) => {
    expect(codeOf(() => validateReturnUrl(url, policy))).toBeUndefined();
  });

  it.each([
    ['javascript:alert(1)', dev],
    ['data:text/html,hi', dev],
    ['http://example.com/cb', dev],
    ['http://localhost:3000/cb', prod],
    ['https://user:pw@example.com/', dev],
    ['//example.com/x', dev],
    ['relative/path', dev],
    [`https://example.com/${'a'.repeat(2100)}`, dev],
  ])('should refuse %s with BAD_USER_INPUT', (url, policy) => {
    expect(codeOf(() => validateReturnUrl(url, policy))).toBe('BAD_USER_INPUT');
  });

  it('should never echo the URL in its message', () => {
    try {
      validateReturnUrl('javascript:secret-looking-value', dev);
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-looking-value');
      expect((e as GatewayError).extensions.field).toBe('returnUrl');
    }
    expect.assertions(2);
  });

  describe('with RETURN_URL_HOSTS', () => {
    const policy = { production: true, returnUrlHosts: ['app.example.com', '*.partner.example'] };
    it.each(['https://app.example.com/x', 'https://eu.partner.example/x', 'https://a.b.partner.example/'])(
      'should accept the allowed host of %s',
      (url) => expect(codeOf(() => validateReturnUrl(url, policy))).toBeUndefined(),
    );
    it.each([
      'https://other.example.com/x',
      'https://app.example.com.evil.io/x',
      'https://partner.example/x',
      'https://evilpartner.example/x',
      'https://localhost/x',
    ])('should refuse the host of %s', (url) =>
      expect(codeOf(() => validateReturnUrl(url, policy))).toBe('BAD_USER_INPUT'),
    );
  });
});
