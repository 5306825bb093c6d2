// Who is calling: partner API keys (constant-time compare) and short-lived customer tokens (HS256 JWT).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/** A partner app (server-side, API key) or one end user (customer token) of one partner. */
export type Caller =
  | { kind: 'partner'; partnerId: string }
  | { kind: 'customer'; partnerId: string; customerId: string; expiresAt: number };

export interface Partner {
  partnerId: string;
  apiKey: string;
}

const TOKEN_ISSUER = 'fc-graphql-gateway';
const TOKEN_AUDIENCE = 'fc-graphql-gateway:customer';
const MAX_TOKEN_TTL_SECONDS = 24 * 3600;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * True when every segment is the canonical base64url form of its bytes: no padding, and unused trailing
 * bits zero. Why: decoders ignore those bits, so one signature has several spellings; a token must have
 * exactly one (docs/security-catalogue.md AU11), or a blocked or logged token could be replayed as another.
 */
const isCanonicalJwt = (token: string) =>
  token
    .split('.')
    .every(
      (segment) =>
        /^[A-Za-z0-9_-]*$/.test(segment) &&
        Buffer.from(segment, 'base64url').toString('base64url') === segment,
    );

/**
 * A non-secret fingerprint of a presented credential, for the failed-authentication budget
 * (services/auth/rate-limit.ts AuthFailureLimiter): 128 bits of the SHA-256 of the credential (of the whole
 * value when it is not a `Bearer` one). Why a hash: the failure counters (in Redis when shared) must not hold
 * the credential itself, and one credential replayed from many addresses must still meet one budget.
 * Only failed credentials are ever fingerprinted; null when none was presented.
 */
export function credentialFingerprint(authorization: unknown): string | null {
  // No credential at all: nothing to guess, and one shared "none" bucket would turn every caller's 401 into 429.
  if (typeof authorization !== 'string' || authorization.trim() === '') return null;
  const bounded = authorization.length > 4096 ? authorization.slice(0, 4096) : authorization;
  const match = /^Bearer\s+(\S+)$/i.exec(bounded.trim());
  return createHash('sha256')
    .update(match ? match[1] : bounded)
    .digest('hex')
    .slice(0, 32);
}

/** Why hash before compare: timingSafeEqual needs equal lengths, and hashing hides the key's length too. */
export class Authenticator {
  private partners: { partnerId: string; keyDigest: Buffer }[] = [];
  private version = 0;
  private readonly secret: Uint8Array;
  /** Verifies, never signs: the secret before a rotation of TOKEN_SECRET (TOKEN_SECRET_PREVIOUS). */
  private readonly previousSecret?: Uint8Array;

  /**
   * @param tokenSecret signs and verifies customer tokens; absent (development only): a per-process random key
   * @param previousTokenSecret also accepted when verifying, while tokens signed before a rotation live out their TTL
   */
  constructor(partners: Partner[], tokenSecret?: string, previousTokenSecret?: string) {
    this.setPartners(partners);
    this.secret = tokenSecret ? new TextEncoder().encode(tokenSecret) : randomBytes(32);
    if (previousTokenSecret) this.previousSecret = new TextEncoder().encode(previousTokenSecret);
  }

  /**
   * Replaces the partner keys (PARTNER_KEYS_FILE re-read on SIGHUP). Customer tokens of a partner no longer listed
   * stop verifying; those of partners still listed keep working.
   */
  setPartners(partners: Partner[]): void {
    this.partners = partners.map((p) => ({ partnerId: p.partnerId, keyDigest: digest(p.apiKey) }));
    this.version += 1;
  }

  /** Moves on every {@link setPartners}: whoever remembers verified credentials forgets them then. */
  get partnersVersion(): number {
    return this.version;
  }

  /**
   * Resolves an `Authorization` header value (or graphql-ws `authorization` payload) to a caller.
   * @returns null when the credential is missing, malformed, unknown, forged or expired.
   */
  async authenticate(authorization: unknown): Promise<Caller | null> {
    if (typeof authorization !== 'string' || authorization.length > 4096) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return null;
    const credential = match[1];
    if (credential.split('.').length === 3) {
      if (!isCanonicalJwt(credential)) return null;
      const verified = await this.verifyCustomerToken(credential);
      return verified === 'expired' ? null : verified;
    }
    const candidate = digest(credential);
    let found: string | null = null;
    // Compare against every key so timing does not reveal which partner matched.
    for (const p of this.partners) {
      if (timingSafeEqual(candidate, p.keyDigest)) found = p.partnerId;
    }
    return found ? { kind: 'partner', partnerId: found } : null;
  }

  /**
   * True when `authorization` is a customer token this gateway signed, for a known partner, whose only fault is
   * that it expired: the client should fetch a new one (`extensions.reason: TOKEN_EXPIRED`, graphql-ws close 4401
   * with reason "Unauthorized: token expired"). A forged, malformed or foreign token is never "expired".
   */
  async isExpiredToken(authorization: unknown): Promise<boolean> {
    if (typeof authorization !== 'string' || authorization.length > 4096) return false;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match || match[1].split('.').length !== 3 || !isCanonicalJwt(match[1])) return false;
    return (await this.verifyCustomerToken(match[1])) === 'expired';
  }

  /** Signs a token that lets one end user act on one customer of one partner. */
  async issueCustomerToken(
    partnerId: string,
    customerId: string,
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
      throw new RangeError(`ttlSeconds must be an integer between 60 and ${MAX_TOKEN_TTL_SECONDS}`);
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = now + ttlSeconds;
    const token = await new SignJWT({ pid: partnerId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(customerId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.secret);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The token's caller, `'expired'` when it is ours and valid but past its `exp`, else null. */
  private async verifyCustomerToken(token: string): Promise<Caller | 'expired' | null> {
    const current = await this.verifyWith(this.secret, token);
    // Only a signature that does not match the current secret is tried against the previous one.
    if (current !== 'bad signature' || !this.previousSecret)
      return current === 'bad signature' ? null : current;
    const previous = await this.verifyWith(this.previousSecret, token);
    return previous === 'bad signature' ? null : previous;
  }

  private async verifyWith(
    secret: Uint8Array,
    token: string,
  ): Promise<Caller | 'expired' | 'bad signature' | null> {
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: ['HS256'], // never `none`, never an algorithm the token picks
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'sub', 'pid'],
      });
      const partnerId = payload.pid;
      if (typeof partnerId !== 'string' || !this.partners.some((p) => p.partnerId === partnerId)) return null;
      return { kind: 'customer', partnerId, customerId: payload.sub!, expiresAt: payload.exp! * 1000 };
    } catch (e) {
      // jose checks the signature, then iss/aud/required claims, and `exp` last: JWTExpired means all else held.
      if (e instanceof joseErrors.JWTExpired && e.claim === 'exp') {
        const { pid } = e.payload;
        return typeof pid === 'string' && this.partners.some((p) => p.partnerId === pid) ? 'expired' : null;
      }
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
      if (e instanceof joseErrors.JOSEError) return null;
      throw e;
    }
  }
}
