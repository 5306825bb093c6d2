// Partner endpoint signing secrets sealed at rest (AES-256-GCM, PARTNER_SECRETS_KEY) in the Redis webhook store.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Why sealed: Redis is the only store of partner endpoints, and is copied (replicas, RDB/AOF backups, `MONITOR`,
 * a managed provider's snapshots). A secret in clear there lets anyone with such a copy sign deliveries in the
 * gateway's name. The key lives only in the gateway's environment.
 *
 * Form: `sealed:v1:<key id>:<base64url(iv | ciphertext | tag)>`. The key id (the first 8 hex digits of the key's
 * SHA-256, not secret) says which key sealed it, so a rotation (PARTNER_SECRETS_KEY_PREVIOUS) knows what to open
 * and what to seal again. The endpoint id is the associated data: a sealed secret copied into another endpoint's
 * record does not open.
 */
const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretKeys {
  /** Seals and opens. */
  current: Buffer;
  /** Opens only (what sealed before a rotation). */
  previous?: Buffer;
}

export interface SecretSealer {
  /** `secret` sealed with the current key, bound to `endpointId`. */
  seal(endpointId: string, secret: string): string;
  /**
   * The secret in clear, and whether it should be written again sealed with the current key (it was sealed with
   * the previous key, or stored in clear before PARTNER_SECRETS_KEY was set).
   * @throws Error when sealed with a key that is neither the current nor the previous one (or tampered with)
   */
  open(endpointId: string, stored: string): { secret: string; stale: boolean };
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Whether a stored value is sealed (and not a secret in clear). */
export const isSealed = (stored: string) => stored.startsWith(PREFIX);

export function createSecretSealer(keys: SecretKeys): SecretSealer {
  const currentId = keyId(keys.current);
  const byId = new Map([[currentId, keys.current]]);
  if (keys.previous) byId.set(keyId(keys.previous), keys.previous);
  return {
    seal(endpointId, secret) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.current, iv);
      cipher.setAAD(Buffer.from(endpointId));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `${PREFIX}${currentId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(endpointId, stored) {
      if (!isSealed(stored)) return { secret: stored, stale: true };
      const [id, payload = ''] = stored.slice(PREFIX.length).split(':');
      const key = byId.get(id!);
      // Never the stored value in the message: only which key it names.
      if (!key)
        throw new Error(
          `partner webhook secret of endpoint ${endpointId} is sealed with key ${id}, neither PARTNER_SECRETS_KEY nor PARTNER_SECRETS_KEY_PREVIOUS`,
        );
      const raw = Buffer.from(payload, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const secret = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      return { secret, stale: id !== currentId };
    },
  };
}
